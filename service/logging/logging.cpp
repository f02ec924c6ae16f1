#include "logging/logging.hpp"

#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>
#include <spdlog/pattern_formatter.h>
#include <spdlog/sinks/stdout_sinks.h>
#include <spdlog/spdlog.h>

#include <stdexcept>
#include <string>
#include <type_traits>
#include <variant>

#include "logging/event.hpp"
#include "logging/redact.hpp"

namespace jobsync::logging {

namespace {

using JsonWriter = rapidjson::Writer<rapidjson::StringBuffer>;

void write_string(JsonWriter& writer, std::string_view text) {
    writer.String(text.data(), static_cast<rapidjson::SizeType>(text.size()));
}

void write_fields(JsonWriter& writer, const Fields& fields) {
    for (const auto& field : fields) {
        writer.Key(field.key.c_str(), static_cast<rapidjson::SizeType>(field.key.size()));
        std::visit(
            [&writer](const auto& value) {
                using T = std::decay_t<decltype(value)>;
                if constexpr (std::is_same_v<T, std::string>) {
                    write_string(writer, value);
                } else if constexpr (std::is_same_v<T, bool>) {
                    writer.Bool(value);
                } else if constexpr (std::is_same_v<T, double>) {
                    writer.Double(value);
                } else {
                    writer.Int64(value);
                }
            },
            field.value);
    }
}

constexpr const char* kTimestampPattern = "%Y-%m-%dT%H:%M:%S.%eZ";

std::unique_ptr<spdlog::pattern_formatter> utc_pattern(const std::string& pattern,
                                                       const std::string& eol) {
    return std::make_unique<spdlog::pattern_formatter>(pattern, spdlog::pattern_time_type::utc,
                                                       eol);
}

// One JSON object per line; RapidJSON's writer escapes quotes, backslashes and control
// characters in the message.
class JsonLineFormatter final : public spdlog::formatter {
  public:
    JsonLineFormatter() : timestamp_(utc_pattern(kTimestampPattern, "")) {}

    void format(const spdlog::details::log_msg& msg, spdlog::memory_buf_t& dest) override {
        spdlog::memory_buf_t ts;
        timestamp_->format(msg, ts);
        const auto level = spdlog::level::to_string_view(msg.level);

        rapidjson::StringBuffer buffer;
        rapidjson::Writer<rapidjson::StringBuffer> writer(buffer);
        writer.StartObject();
        writer.Key("ts");
        writer.String(ts.data(), static_cast<rapidjson::SizeType>(ts.size()));
        writer.Key("level");
        writer.String(level.data(), static_cast<rapidjson::SizeType>(level.size()));
        const Event* event = current_event();
        writer.Key("event");
        write_string(writer, event ? event->name : std::string_view("log"));
        writer.Key("msg");
        writer.String(msg.payload.data(), static_cast<rapidjson::SizeType>(msg.payload.size()));
        write_fields(writer, run_fields());
        if (event && event->fields) write_fields(writer, *event->fields);
        writer.EndObject();
        dest.append(buffer.GetString(), buffer.GetString() + buffer.GetSize());
        dest.push_back('\n');
    }

    std::unique_ptr<spdlog::formatter> clone() const override {
        return std::make_unique<JsonLineFormatter>();
    }

  private:
    std::unique_ptr<spdlog::pattern_formatter> timestamp_;
};

}  // namespace

std::optional<spdlog::level::level_enum> parse_log_level(std::string_view name) {
    using spdlog::level::level_enum;
    if (name == "trace") return level_enum::trace;
    if (name == "debug") return level_enum::debug;
    if (name == "info") return level_enum::info;
    if (name == "warn" || name == "warning") return level_enum::warn;
    if (name == "error") return level_enum::err;
    if (name == "critical") return level_enum::critical;
    if (name == "off") return level_enum::off;
    return std::nullopt;
}

std::unique_ptr<spdlog::formatter> make_formatter(LogFormat format) {
    std::unique_ptr<spdlog::formatter> inner;
    if (format == LogFormat::json) {
        inner = std::make_unique<JsonLineFormatter>();
    } else {
        inner = utc_pattern(std::string(kTimestampPattern) + " [%l] %v",
                            spdlog::details::os::default_eol);
    }
    return std::make_unique<RedactingFormatter>(std::move(inner));
}

void configure_logging(std::string_view level, LogFormat format) {
    const auto parsed = parse_log_level(level);
    if (!parsed) {
        throw std::invalid_argument("unknown log level '" + std::string(level) +
                                    "' (use trace, debug, info, warn, error, critical or off)");
    }
    configure_logging(*parsed, format, std::make_shared<spdlog::sinks::stderr_sink_mt>());
}

void configure_logging(spdlog::level::level_enum level, LogFormat format, spdlog::sink_ptr sink) {
    sink->set_formatter(make_formatter(format));
    auto logger = std::make_shared<spdlog::logger>("job-sync", std::move(sink));
    logger->set_level(level);
    logger->flush_on(spdlog::level::warn);
    spdlog::set_default_logger(std::move(logger));
}

}  // namespace jobsync::logging
