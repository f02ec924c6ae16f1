#include "jsearch/retry_rule.hpp"

#include <rapidjson/document.h>

#include "http/retry.hpp"
#include "text/strings.hpp"

namespace jobsync::jsearch {

namespace {

std::optional<long> whole_number(const std::optional<std::string>& header) {
    if (!header) return std::nullopt;
    return text::parse_whole_number(text::trim(*header));
}

// RapidAPI's {"message": "..."}; the raw body when it is not that JSON.
std::string message_of(std::string_view body) {
    rapidjson::Document document;
    document.Parse(body.data(), body.size());
    if (!document.HasParseError() && document.IsObject()) {
        const auto message = document.FindMember("message");
        if (message != document.MemberEnd() && message->value.IsString()) {
            return {message->value.GetString(), message->value.GetStringLength()};
        }
    }
    return std::string(body.substr(0, 1000));
}

}  // namespace

std::optional<long> quota_remaining(const http::Response& response) {
    return whole_number(response.header("x-ratelimit-requests-remaining"));
}

bool quota_exhausted(const http::Response& response) {
    if (response.transport_failed()) return false;
    if (quota_remaining(response) == 0L) return true;
    return response.status == 429 &&
           text::find_ignoring_case(message_of(response.body), "quota") != std::string_view::npos;
}

std::string quota_reset(const http::Response& response) {
    const auto seconds = whole_number(response.header("x-ratelimit-requests-reset"));
    if (!seconds) return {};
    const long days = *seconds / 86400;
    const long hours = (*seconds % 86400) / 3600;
    const long minutes = (*seconds % 3600) / 60;
    std::string when;
    if (days > 0) when += std::to_string(days) + " days ";
    if (days > 0 || hours > 0) when += std::to_string(hours) + " h ";
    when += std::to_string(minutes) + " min";
    return "resets in " + when + " (x-ratelimit-requests-reset: " + std::to_string(*seconds) +
           " s)";
}

bool is_retryable(const http::Response& response) {
    // A spent quota does not come back within a retry's wait: asking again only hammers.
    if (quota_exhausted(response)) return false;
    return http::is_retryable(response);
}

}  // namespace jobsync::jsearch
