#include "standins/gateway/http_mapping.hpp"

#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include "text/strings.hpp"

namespace jobsync::testing::gateway {

namespace {

void write_nullable(rapidjson::Writer<rapidjson::StringBuffer>& writer,
                    const std::optional<std::string>& value) {
    if (value) {
        writer.String(value->c_str(), static_cast<rapidjson::SizeType>(value->size()));
    } else {
        writer.Null();
    }
}

Reply gateway_reply(const std::string& message, const std::string& hint) {
    rapidjson::StringBuffer buffer;
    rapidjson::Writer<rapidjson::StringBuffer> writer(buffer);
    writer.StartObject();
    writer.Key("message");
    writer.String(message.c_str());
    writer.Key("hint");
    writer.String(hint.c_str());
    writer.EndObject();
    return Reply{401, {{"Content-Type", kJsonContentType}}, buffer.GetString()};
}

}  // namespace

int http_status_for_sqlstate(const std::string& code, const std::string& message, bool authed) {
    const std::string cls = code.substr(0, 2);
    if (cls == "08") return 503;
    if (cls == "09") return 500;
    if (cls == "0L" || cls == "0P") return 403;
    if (code == "23503" || code == "23505") return 409;
    if (code == "25006") return 405;
    // pg-safeupdate's refusal is a client error; any other cardinality violation (e.g. an
    // upsert touching a row twice) is a 500 since v12.0.3 (notes 4.2).
    if (code == "21000") return text::ends_with(message, "requires a WHERE clause") ? 400 : 500;
    if (code == "22023") {
        return text::starts_with(message, "role") && text::ends_with(message, "does not exist")
                   ? 401
                   : 400;
    }
    if (cls == "25" || cls == "2D" || cls == "38" || cls == "39" || cls == "3B" || cls == "40") {
        return 500;
    }
    if (cls == "28") return 403;
    if (code == "53400") return 500;
    if (cls == "53") return 503;
    if (cls == "54" || cls == "55") return 500;
    if (code == "57P01") return 503;
    if (cls == "57" || cls == "58" || cls == "F0" || cls == "HV" || cls == "XX") return 500;
    if (code == "P0001") return 400;
    if (cls == "P0") return 500;
    if (code == "42883") return text::starts_with(message, "function xmlagg(") ? 406 : 404;
    if (code == "42P01") return 404;
    if (code == "42P17") return 500;
    if (code == "42501") return authed ? 403 : 401;
    if (cls == "PT" && code.size() == 5) {
        const std::string digits = code.substr(2);
        if (digits.find_first_not_of("0123456789") == std::string::npos) {
            return std::stoi(digits);
        }
        return 500;
    }
    return 400;
}

ApiError api_error_from(const PgError& error, bool authed) {
    auto optional = [](const std::string& text) {
        return text.empty() ? std::nullopt : std::optional<std::string>(text);
    };
    if (text::starts_with(error.sqlstate(), "08")) {
        return ApiError(503, "PGRST001", "Database client error. Retrying the connection.",
                        optional(error.message()));
    }
    return ApiError(http_status_for_sqlstate(error.sqlstate(), error.message(), authed),
                    error.sqlstate(), error.message(), optional(error.detail()),
                    optional(error.hint()));
}

std::string content_range(long long lower, long long upper, std::optional<long long> total) {
    const bool total_not_zero = total != 0;
    const std::string range = total_not_zero && lower <= upper
                                  ? std::to_string(lower) + "-" + std::to_string(upper)
                                  : "*";
    return range + "/" + (total ? std::to_string(*total) : "*");
}

std::string error_body(const ApiError& error) {
    rapidjson::StringBuffer buffer;
    rapidjson::Writer<rapidjson::StringBuffer> writer(buffer);
    writer.StartObject();
    writer.Key("code");
    writer.String(error.code.c_str(), static_cast<rapidjson::SizeType>(error.code.size()));
    writer.Key("details");
    write_nullable(writer, error.details);
    writer.Key("hint");
    write_nullable(writer, error.hint);
    writer.Key("message");
    writer.String(error.message.c_str(), static_cast<rapidjson::SizeType>(error.message.size()));
    writer.EndObject();
    return buffer.GetString();
}

Reply error_reply(const ApiError& error, std::optional<std::string> www_authenticate) {
    Reply reply;
    reply.status = error.status;
    reply.body = error_body(error);
    reply.headers = {{"Content-Type", kJsonContentType},
                     {"Proxy-Status", "PostgREST; error=" + error.code}};
    if (www_authenticate) {
        reply.headers.emplace_back("WWW-Authenticate", *www_authenticate);
    } else if (error.status == 401) {
        reply.headers.emplace_back("WWW-Authenticate", "Bearer");
    }
    return reply;
}

Reply missing_api_key_reply() {
    return gateway_reply("No API key found in request",
                         "No `apikey` request header or url param was found.");
}

Reply invalid_api_key_reply() {
    return gateway_reply("Invalid API key",
                         "Double check your Supabase `anon` or `service_role` API key.");
}

Reply body_too_large_reply() {
    return Reply{413,
                 {{"Content-Type", "text/html"}},
                 "<html>\r\n<head><title>413 Request Entity Too Large</title></head>\r\n<body>\r\n"
                 "<center><h1>413 Request Entity Too Large</h1></center>\r\n"
                 "<hr><center>nginx</center>\r\n</body>\r\n</html>\r\n"};
}

}  // namespace jobsync::testing::gateway
