#include "postgrest/read_request.hpp"

#include <cmath>

namespace jobsync::postgrest {

http::Request build_read_request(const Endpoint& endpoint, std::string_view table,
                                 const http::QueryParams& params, std::string_view prefer) {
    http::Request request;
    request.method = "GET";
    request.url =
        http::build_url(endpoint.base_url, "/rest/v1/" + http::percent_encode(table), params);
    request.headers = auth_headers(endpoint);
    if (!prefer.empty()) request.headers.emplace_back("Prefer", std::string(prefer));
    request.timeout = endpoint.timeout;
    return request;
}

std::vector<std::string> in_list_values(const std::vector<std::string>& ids,
                                        std::size_t max_value_bytes, std::size_t max_ids) {
    std::vector<std::string> values;
    std::string list;  // quoted ids joined by ','
    std::size_t encoded = 0;
    std::size_t count = 0;
    auto flush = [&] {
        if (count == 0) return;
        values.push_back("in.(" + list + ")");
        list.clear();
        encoded = 0;
        count = 0;
    };
    for (const auto& id : ids) {
        const std::string item = quoted(id);
        const std::size_t item_bytes = http::percent_encode(item).size();
        // "in.(" + ")" encode to 3 + 3 + 3 bytes, each ',' to 3.
        if (count > 0 && (count >= max_ids || encoded + 3 + item_bytes + 9 > max_value_bytes)) {
            flush();
        }
        if (count > 0) {
            list.push_back(',');
            encoded += 3;
        }
        list += item;
        encoded += item_bytes;
        ++count;
    }
    flush();
    return values;
}

std::string column_list(const std::vector<std::string_view>& columns) {
    std::string list;
    for (std::string_view column : columns) {
        if (!list.empty()) list.push_back(',');
        list += column;
    }
    return list;
}

std::optional<rapidjson::Document> parse_rows(const http::Response& response) {
    if (response.transport_failed() || response.status < 200 || response.status > 206) {
        return std::nullopt;
    }
    rapidjson::Document rows;
    rows.Parse(response.body.data(), response.body.size());
    if (rows.HasParseError() || !rows.IsArray()) return std::nullopt;
    return rows;
}

std::string text_member(const rapidjson::Value& object, const char* name) {
    if (!object.IsObject()) return {};
    const auto found = object.FindMember(name);
    if (found == object.MemberEnd() || !found->value.IsString()) return {};
    return {found->value.GetString(), found->value.GetStringLength()};
}

std::optional<long> number_member(const rapidjson::Value& object, const char* name) {
    if (!object.IsObject()) return std::nullopt;
    const auto found = object.FindMember(name);
    if (found == object.MemberEnd()) return std::nullopt;
    if (found->value.IsInt64()) return static_cast<long>(found->value.GetInt64());
    if (found->value.IsNumber() && std::isfinite(found->value.GetDouble())) {
        return static_cast<long>(found->value.GetDouble());
    }
    return std::nullopt;
}

bool true_member(const rapidjson::Value& object, const char* name) {
    if (!object.IsObject()) return false;
    const auto found = object.FindMember(name);
    return found != object.MemberEnd() && found->value.IsTrue();
}

}  // namespace jobsync::postgrest
