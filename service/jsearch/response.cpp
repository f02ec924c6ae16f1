#include "jsearch/response.hpp"

#include <rapidjson/document.h>
#include <rapidjson/error/en.h>

#include <algorithm>
#include <cstdint>
#include <cstring>
#include <optional>

#include "http/server_text.hpp"
#include "jobs/mapping.hpp"
#include "jsearch/request.hpp"
#include "text/strings.hpp"
#include "text/word_scan.hpp"

namespace jobsync::jsearch::detail {

namespace {

// Reads the four hex digits of a `\uXXXX` escape starting at `at` (the backslash).
std::optional<unsigned> unicode_escape_at(std::string_view text, std::size_t at) {
    if (at + 6 > text.size() || text[at] != '\\' || text[at + 1] != 'u') return std::nullopt;
    unsigned value = 0;
    for (std::size_t i = at + 2; i < at + 6; ++i) {
        const char c = text[i];
        const int digit = c >= '0' && c <= '9'   ? c - '0'
                          : c >= 'a' && c <= 'f' ? c - 'a' + 10
                          : c >= 'A' && c <= 'F' ? c - 'A' + 10
                                                 : -1;
        if (digit < 0) return std::nullopt;
        value = value * 16 + static_cast<unsigned>(digit);
    }
    return value;
}

// JSearch relays text scraped from job sites, and a UTF-16 surrogate escape cut from its pair
// ("\ud83d" without the "\ude00" after it) is refused by RapidJSON (a high one: the whole page,
// and so the sweep, would fail for as long as that job stays in the feed) or decoded to bytes
// that are not UTF-8 (a low one). An escape at `at` that is such a lone surrogate is rewritten,
// before the parser reads it, to "\ufffd", the replacement character, of the same length: one
// broken character costs one character. A proper pair and every other escape stay as they are.
void repair_lone_surrogate(char* at, const char* end) {
    const std::string_view rest(at, static_cast<std::size_t>(end - at));
    const auto unit = unicode_escape_at(rest, 0);
    if (!unit || *unit < 0xD800 || *unit > 0xDFFF) return;
    if (*unit <= 0xDBFF) {
        const auto next = unicode_escape_at(rest, 6);
        if (next && *next >= 0xDC00 && *next <= 0xDFFF) return;
    }
    constexpr std::string_view kReplacement = "fffd";  // after the "\\u"
    std::copy(kReplacement.begin(), kReplacement.end(), at + 2);
}

}  // namespace

// RapidJSON's in-situ stream (strings are unescaped where they stand in the buffer, not copied
// into the document), also knowing where the buffer ends, so that the specialisation below can
// look at string text 16 or 8 bytes at a time without reading past it.
struct ScannedInsituStream : rapidjson::InsituStringStream {
    ScannedInsituStream(char* text, std::size_t size)
        : rapidjson::InsituStringStream(text), end(text + size) {}
    const char* end;
};

}  // namespace jobsync::jsearch::detail

namespace rapidjson {

// Copied by value in the parser's loops, as RapidJSON does for its own in-situ stream.
template <>
struct StreamTraits<jobsync::jsearch::detail::ScannedInsituStream> {
    enum { copyOptimization = 1 };
};

// RapidJSON's hook for copying the plain run of a string at once, before its per-character
// loop takes the next '"', '\\' or control character. It does nothing by default; its SSE2
// versions (RAPIDJSON_SSE2) count only bytes up to 0x19 as control characters, so raw 0x1A-0x1F
// would pass. This one stops at every byte below 0x20, 16 bytes at a time (text/word_scan.hpp),
// then a word at a time, moves the run in one piece once its end is found (after an escape the
// text moves up in the buffer), and repairs a lone surrogate escape it stops at before the
// parser reads it.
template <>
template <>
inline void GenericReader<UTF8<>, UTF8<>, CrtAllocator>::ScanCopyUnescapedString(
    jobsync::jsearch::detail::ScannedInsituStream& is,
    jobsync::jsearch::detail::ScannedInsituStream& /*os: the same stream*/) {
    namespace word = jobsync::text::word;
    char* const from = is.src_;
    const auto plain = static_cast<std::size_t>(word::skip_plain(from, is.end, false) - from);
    char* const at = from + plain;
    if (is.dst_ != from) std::memmove(is.dst_, from, plain);
    is.src_ = at;
    is.dst_ += plain;
    // Every escape passes here first, the parser having stopped at its backslash (near the
    // end, where no whole word is left, this runs before every character).
    if (*at == '\\') jobsync::jsearch::detail::repair_lone_surrogate(at, is.end);
}

}  // namespace rapidjson

namespace jobsync::jsearch {

namespace {

// RapidAPI's {"message": "..."} or JSearch's {"error": {"message": "..."}}.
std::optional<std::string> body_message(std::string_view body) {
    rapidjson::Document document;
    document.Parse(body.data(), body.size());
    if (document.HasParseError() || !document.IsObject()) return std::nullopt;
    const rapidjson::Value* holder = &document;
    auto error = document.FindMember("error");
    if (error != document.MemberEnd() && error->value.IsObject()) holder = &error->value;
    auto message = holder->FindMember("message");
    if (message == holder->MemberEnd() || !message->value.IsString()) return std::nullopt;
    return http::one_line({message->value.GetString(), message->value.GetStringLength()});
}

std::string server_says(std::string_view content_type, std::string_view body) {
    if (http::looks_like_html(content_type, body)) return " (got an HTML page, not JSON)";
    if (auto message = body_message(body)) return " (server says: \"" + *message + "\")";
    return "";
}

ParsedPage failed(sync::Failure failure, std::string message) {
    ParsedPage page;
    page.failure = failure;
    page.message = std::move(message);
    return page;
}

// Status "OK" or absent is fine; anything else fails the page with error.message if any.
std::optional<std::string> envelope_status_problem(const rapidjson::Value& envelope) {
    auto status = envelope.FindMember("status");
    if (status == envelope.MemberEnd()) return std::nullopt;
    if (!status->value.IsString()) {
        return std::string("status is ") + jobs::describe_type(status->value) + ", expected \"OK\"";
    }
    std::string_view value(status->value.GetString(), status->value.GetStringLength());
    if (value == "OK") return std::nullopt;
    std::string problem = "status is \"" + http::one_line(value) + "\"";
    auto error = envelope.FindMember("error");
    if (error != envelope.MemberEnd() && error->value.IsObject()) {
        auto message = error->value.FindMember("message");
        if (message != error->value.MemberEnd() && message->value.IsString()) {
            problem += ": " + http::one_line(
                                  {message->value.GetString(), message->value.GetStringLength()});
        }
    }
    return problem;
}

}  // namespace

std::string describe_pages(std::string_view query, int first_page, int page_count) {
    std::string text = "query \"" + http::one_line(query) + "\" ";
    if (page_count <= 1) return text + "page " + std::to_string(first_page);
    return text + "pages " + std::to_string(first_page) + "-" +
           std::to_string(first_page + page_count - 1);
}

sync::ClassifiedFailure classify_http_status(int status, std::string_view content_type,
                                             std::string_view body, std::string_view where) {
    std::string prefix = "JSearch " + std::string(where) + ": HTTP " + std::to_string(status);
    std::string says = server_says(content_type, body);
    if (status == 401 || status == 403) {
        return {sync::Failure::auth,
                prefix +
                    ": invalid JSEARCH_API_KEY, or the key is not subscribed to JSearch on "
                    "RapidAPI" +
                    says};
    }
    if (status == 429) {
        if (text::find_ignoring_case(body_message(body).value_or(""), "quota") !=
            std::string_view::npos) {
            return {sync::Failure::quota, prefix + ": quota exhausted" + says};
        }
        return {sync::Failure::transient, prefix + ": rate limit exceeded" + says};
    }
    if (status == 408) {
        return {sync::Failure::transient, prefix + ": request timeout" + says};
    }
    if (status >= 400 && status < 500) {
        return {sync::Failure::rejected, prefix + ": request rejected" + says};
    }
    if (status >= 500 && status < 600) {
        return {sync::Failure::transient, prefix + ": server error" + says};
    }
    return {sync::Failure::bad_response, prefix + ": unexpected status" + says};
}

sync::ClassifiedFailure classify_transport_failure(const http::Response& response,
                                                   std::string_view where) {
    std::string kind;
    sync::Failure failure = sync::Failure::transient;
    switch (response.error) {
        case http::TransportError::connect_failed:
            kind = "could not connect";
            break;
        case http::TransportError::timeout:
            kind = "timed out";
            break;
        case http::TransportError::tls:
            kind = "TLS certificate verification failed (not retried)";
            failure = sync::Failure::tls;
            break;
        case http::TransportError::body_too_large:
            kind = "response body too large (see --max-response-bytes)";
            failure = sync::Failure::bad_response;
            break;
        case http::TransportError::cancelled:
            kind = "cancelled";
            failure = sync::Failure::cancelled;
            break;
        default:
            kind = "transport error";
            break;
    }
    std::string detail =
        response.error_message.empty() ? "" : " (" + http::one_line(response.error_message) + ")";
    return {failure, "JSearch " + std::string(where) + ": " + kind + detail};
}

ParsedPage parse_search_response_in_place(int status, std::string_view content_type,
                                          std::shared_ptr<std::string> body_owner,
                                          std::string_view query, int first_page, int page_count) {
    std::string& body = *body_owner;
    const std::string where = describe_pages(query, first_page, page_count);
    if (status < 200 || status > 299) {
        auto failure = classify_http_status(status, content_type, body, where);
        return failed(failure.failure, std::move(failure.message));
    }
    const std::string prefix = "JSearch " + where + ": ";
    if (http::looks_like_html(content_type, body)) {
        return failed(sync::Failure::bad_response,
                      prefix + "got an HTML page, not JSON (HTTP " + std::to_string(status) + ")");
    }
    if (body.find_first_not_of(" \t\r\n") == std::string_view::npos) {
        return failed(sync::Failure::bad_response, prefix + "empty body, expected JSON");
    }
    // Parsed in situ: strings are unescaped where they stand in the body rather than copied
    // into the document, plain runs 16 bytes at a time, lone surrogate escapes repaired on the
    // way (ScanCopyUnescapedString above). The body is NUL-terminated, so a NUL inside it ends
    // the text, as it always did.
    const std::size_t body_size = body.size();
    detail::ScannedInsituStream stream(body.data(), body.size());
    rapidjson::Document document;
    document.ParseStream<rapidjson::kParseInsituFlag, rapidjson::UTF8<>>(stream);
    if (document.HasParseError()) {
        return failed(
            sync::Failure::bad_response,
            prefix + "malformed JSON: " + rapidjson::GetParseError_En(document.GetParseError()) +
                " at offset " + std::to_string(document.GetErrorOffset()) + " of " +
                std::to_string(body_size) + " bytes (truncated response?)");
    }
    if (!document.IsObject()) {
        return failed(
            sync::Failure::bad_response,
            prefix + "envelope is " + jobs::describe_type(document) + ", expected an object");
    }
    if (auto problem = envelope_status_problem(document)) {
        return failed(sync::Failure::bad_response, prefix + *problem);
    }
    auto data = document.FindMember("data");
    if (data == document.MemberEnd()) {
        return failed(sync::Failure::bad_response, prefix + "the response has no \"data\"");
    }
    if (!data->value.IsArray()) {
        return failed(
            sync::Failure::bad_response,
            prefix + "data is " + jobs::describe_type(data->value) + ", expected an array");
    }

    ParsedPage page;
    const auto& entries = data->value.GetArray();
    page.jobs_received = static_cast<int>(entries.Size());
    page.rows.reserve(entries.Size());
    int index = 0;
    for (const auto& job : entries) {
        const int page_number = first_page + index / kJobsPerPage;
        auto mapped = jobs::map_job(job, jobs::Texts::borrow);
        for (auto& problem : mapped.problems) {
            // Without a job_id, the position is the only way to find the job in the response.
            if (mapped.job_id.empty()) problem.message += " (data[" + std::to_string(index) + "])";
            page.problems.push_back({std::string(query), page_number, mapped.job_id,
                                     std::move(problem.message), !mapped.row.has_value()});
        }
        if (mapped.row) page.rows.push_back(std::move(*mapped.row));
        ++index;
    }
    page.body = std::move(body_owner);
    return page;
}

}  // namespace jobsync::jsearch
