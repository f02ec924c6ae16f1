#include "standins/gateway/payload.hpp"

#include <rapidjson/document.h>

#include <algorithm>

#include "standins/gateway/api_error.hpp"

namespace jobsync::testing::gateway {

namespace {

ApiError invalid_body(const std::string& message) { return ApiError(400, "PGRST102", message); }

std::vector<std::string> sorted_keys(const rapidjson::Value& object) {
    std::vector<std::string> keys;
    for (const auto& member : object.GetObject()) {
        keys.emplace_back(member.name.GetString(), member.name.GetStringLength());
    }
    std::sort(keys.begin(), keys.end());
    return keys;
}

}  // namespace

Payload parse_payload(const std::string& body,
                      const std::optional<std::vector<std::string>>& columns_param) {
    Payload payload;
    if (columns_param) {
        payload.columns = *columns_param;
        payload.json = body;
        return payload;
    }
    rapidjson::Document document;
    if (body.empty() || document.Parse(body.c_str(), body.size()).HasParseError()) {
        throw invalid_body("Empty or invalid json");
    }
    if (document.IsObject()) {
        for (const auto& member : document.GetObject()) {
            payload.columns.emplace_back(member.name.GetString(), member.name.GetStringLength());
        }
        payload.json = body;
        return payload;
    }
    if (!document.IsArray() || document.Empty()) {
        payload.has_rows = false;
        payload.json = "[]";
        return payload;
    }
    const auto& first = document[0];
    if (!first.IsObject()) throw invalid_body("All object keys must match");
    const std::vector<std::string> first_keys = sorted_keys(first);
    for (const auto& element : document.GetArray()) {
        if (!element.IsObject() || sorted_keys(element) != first_keys) {
            throw invalid_body("All object keys must match");
        }
    }
    for (const auto& member : first.GetObject()) {
        payload.columns.emplace_back(member.name.GetString(), member.name.GetStringLength());
    }
    payload.json = body;
    return payload;
}

}  // namespace jobsync::testing::gateway
