#include "sync/report_format.hpp"

#include <cmath>
#include <cstdio>

namespace jobsync::sync {

void write_guard_json(rapidjson::Writer<rapidjson::StringBuffer>& w,
                      const std::optional<GuardReport>& guard) {
    if (!guard) {
        w.Null();
        return;
    }
    w.StartObject();
    w.Key("tripped");
    w.Bool(guard->tripped);
    w.Key("active");
    w.Int64(guard->active);
    w.Key("would_deactivate");
    w.Int64(guard->would_deactivate);
    w.Key("limit");
    w.Int64(guard->limit);
    w.Key("max_deactivate_share");
    w.Double(guard->share);
    w.EndObject();
}

void write_failures_json(rapidjson::Writer<rapidjson::StringBuffer>& w,
                         const std::vector<RunFailure>& failures) {
    auto text = [&w](const char* key, std::string_view value) {
        w.Key(key);
        w.String(value.data(), static_cast<rapidjson::SizeType>(value.size()));
    };
    w.StartArray();
    for (const auto& failure : failures) {
        w.StartObject();
        text("step", to_string(failure.step));
        text("kind", to_string(failure.kind));
        text("message", failure.message);
        w.EndObject();
    }
    w.EndArray();
}

std::string percent_of(long part, long whole, std::string_view unknown) {
    if (whole <= 0) return std::string(unknown);
    return std::to_string(
               std::lround(100.0 * static_cast<double>(part) / static_cast<double>(whole))) +
           "%";
}

std::string share_text(double share) {
    std::ostringstream out;
    out << share;
    return out.str();
}

std::string seconds_text(long long ms) {
    char text[32];
    std::snprintf(text, sizeof text, "%lld.%03lld s", ms / 1000, ms % 1000);
    return text;
}

void report_line(std::ostringstream& out, std::string_view label, const std::string& value,
                 std::size_t width) {
    out << "  " << label;
    for (std::size_t i = label.size(); i < width; ++i) out << ' ';
    out << value << '\n';
}

}  // namespace jobsync::sync
