#include "standins/jsearch/responses.hpp"

#include <rapidjson/document.h>
#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include <algorithm>
#include <cstdio>
#include <mutex>
#include <random>

namespace jobsync::testing::jsearch {

namespace {

using Writer = rapidjson::Writer<rapidjson::StringBuffer>;

void write_string(Writer& writer, std::string_view text) {
    writer.String(text.data(), static_cast<rapidjson::SizeType>(text.size()));
}

// Keeps only the wanted keys of a job object, in the job's own order.
std::string project(const std::string& job, const std::vector<std::string>& fields) {
    rapidjson::Document document;
    document.Parse(job.c_str(), job.size());
    if (document.HasParseError() || !document.IsObject()) return job;
    rapidjson::StringBuffer buffer;
    Writer writer(buffer);
    writer.StartObject();
    for (const auto& member : document.GetObject()) {
        std::string key(member.name.GetString(), member.name.GetStringLength());
        if (std::find(fields.begin(), fields.end(), key) == fields.end()) continue;
        write_string(writer, key);
        member.value.Accept(writer);
    }
    writer.EndObject();
    return buffer.GetString();
}

}  // namespace

std::string make_request_id() {
    static std::mutex mutex;
    static std::mt19937_64 engine{std::random_device{}()};
    std::uint64_t high;
    std::uint64_t low;
    {
        std::lock_guard lock(mutex);
        high = engine();
        low = engine();
    }
    high = (high & ~0xF000ULL) | 0x4000ULL;                       // version 4
    low = (low & 0x3FFFFFFFFFFFFFFFULL) | 0x8000000000000000ULL;  // RFC 4122 variant
    char text[37];
    std::snprintf(text, sizeof text, "%08x-%04x-%04x-%04x-%012llx",
                  static_cast<unsigned>(high >> 32), static_cast<unsigned>((high >> 16) & 0xFFFF),
                  static_cast<unsigned>(high & 0xFFFF), static_cast<unsigned>(low >> 48),
                  static_cast<unsigned long long>(low & 0xFFFFFFFFFFFFULL));
    return text;
}

std::string rapidapi_message(std::string_view message) {
    rapidjson::StringBuffer buffer;
    Writer writer(buffer);
    writer.StartObject();
    writer.Key("message");
    write_string(writer, message);
    writer.EndObject();
    return buffer.GetString();
}

std::string error_body(std::string_view request_id, std::string_view message, int code) {
    rapidjson::StringBuffer buffer;
    Writer writer(buffer);
    writer.StartObject();
    writer.Key("status");
    writer.String("ERROR");
    writer.Key("request_id");
    write_string(writer, request_id);
    writer.Key("error");
    writer.StartObject();
    writer.Key("message");
    write_string(writer, message);
    writer.Key("code");
    writer.Int(code);
    writer.EndObject();
    writer.EndObject();
    return buffer.GetString();
}

std::string search_body(std::string_view request_id, const SearchParams& params,
                        const std::vector<std::string>& jobs) {
    rapidjson::StringBuffer buffer;
    Writer writer(buffer);
    writer.StartObject();
    writer.Key("status");
    writer.String("OK");
    writer.Key("request_id");
    write_string(writer, request_id);
    writer.Key("parameters");
    writer.StartObject();
    writer.Key("query");
    write_string(writer, params.query);
    writer.Key("page");
    writer.Int(params.page);
    writer.Key("num_pages");
    writer.Int(params.num_pages);
    for (const auto& [name, value] : params.echoed_extras) {
        write_string(writer, name);
        write_string(writer, value);
    }
    writer.Key("country");
    write_string(writer, params.country);
    writer.Key("language");
    write_string(writer, params.language);
    writer.EndObject();
    writer.Key("data");
    writer.StartArray();
    for (const auto& job : jobs) {
        std::string text = params.fields.empty() ? job : project(job, params.fields);
        writer.RawValue(text.c_str(), text.size(), rapidjson::kObjectType);
    }
    writer.EndArray();
    writer.EndObject();
    return buffer.GetString();
}

bool is_json(const std::string& text) {
    rapidjson::Document document;
    document.Parse(text.c_str(), text.size());
    return !document.HasParseError();
}

}  // namespace jobsync::testing::jsearch
