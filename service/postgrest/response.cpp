#include "postgrest/response.hpp"

#include <rapidjson/document.h>

#include "http/server_text.hpp"
#include "postgrest/retry_rule.hpp"
#include "text/strings.hpp"

namespace jobsync::postgrest {

namespace {

std::string string_member(const rapidjson::Value& object, const char* name) {
    const auto found = object.FindMember(name);
    if (found == object.MemberEnd() || !found->value.IsString()) return {};
    return http::one_line(
        std::string_view(found->value.GetString(), found->value.GetStringLength()));
}

std::string html_title(std::string_view body) {
    const std::size_t open = text::find_ignoring_case(body, "<title");
    if (open == std::string_view::npos) return {};
    const std::size_t start = body.find('>', open);
    if (start == std::string_view::npos) return {};
    const std::size_t end = text::find_ignoring_case(body.substr(start + 1), "</title");
    if (end == std::string_view::npos) return {};
    return http::one_line(body.substr(start + 1, end));
}

std::string describe_error_body(int status, const ErrorBody& error) {
    std::string text = error.code.empty()
                           ? "HTTP " + std::to_string(status)
                           : "PostgREST " + std::to_string(status) + " " + error.code;
    text += ": " + (error.message.empty() ? std::string("(no message)") : error.message);
    std::string extra;
    if (!error.details.empty()) extra += "details: " + error.details;
    if (!error.hint.empty()) extra += (extra.empty() ? "" : "; ") + ("hint: " + error.hint);
    if (!extra.empty()) text += " (" + extra + ")";
    return text;
}

sync::ClassifiedFailure with_cause(sync::Failure failure, std::string_view cause,
                                   const http::Response& response) {
    return {failure, std::string(cause) + " [" + describe_response(response) + "]"};
}

}  // namespace

std::optional<ContentRange> parse_content_range(std::string_view value) {
    value = text::trim(value);
    const std::size_t slash = value.find('/');
    if (slash == std::string_view::npos) return std::nullopt;
    const std::string_view range = value.substr(0, slash);
    const std::string_view total = value.substr(slash + 1);

    ContentRange result;
    if (total != "*") {
        result.total = text::parse_whole_number(total);
        if (!result.total) return std::nullopt;
    }
    if (range != "*") {
        const std::size_t dash = range.find('-');
        if (dash == std::string_view::npos) return std::nullopt;
        result.first = text::parse_whole_number(range.substr(0, dash));
        result.last = text::parse_whole_number(range.substr(dash + 1));
        if (!result.first || !result.last || *result.last < *result.first) return std::nullopt;
    }
    return result;
}

long affected_rows(const ContentRange& range) {
    return range.total ? *range.total : range.length();
}

std::optional<ErrorBody> parse_error_body(std::string_view body) {
    rapidjson::Document document;
    document.Parse(body.data(), body.size());
    if (document.HasParseError() || !document.IsObject()) return std::nullopt;
    ErrorBody error;
    error.code = string_member(document, "code");
    error.message = string_member(document, "message");
    if (error.message.empty()) error.message = string_member(document, "msg");
    if (error.message.empty()) error.message = string_member(document, "error");
    error.details = string_member(document, "details");
    error.hint = string_member(document, "hint");
    if (error.code.empty() && error.message.empty()) return std::nullopt;
    return error;
}

std::string describe_response(const http::Response& response) {
    if (response.transport_failed()) return http::one_line(response.error_message);
    const std::string status = std::to_string(response.status);
    if (text::trim(response.body).empty()) return "HTTP " + status + " with an empty body";
    if (const auto error = parse_error_body(response.body)) {
        return describe_error_body(response.status, *error);
    }
    if (http::looks_like_html(response.header("Content-Type").value_or(""), response.body)) {
        const std::string title = html_title(response.body);
        return "HTTP " + status + ": HTML page" + (title.empty() ? "" : " \"" + title + "\"");
    }
    return "HTTP " + status + ": " + http::one_line(response.body);
}

sync::ClassifiedFailure classify_failure(const http::Response& response, std::string_view table) {
    using sync::Failure;
    if (response.transport_failed()) {
        switch (response.error) {
            case http::TransportError::tls:
                return {Failure::tls,
                        "PostgREST TLS certificate verification failed (not "
                        "retried): " +
                            describe_response(response)};
            case http::TransportError::body_too_large:
                return {Failure::bad_response,
                        "PostgREST answer refused: " + describe_response(response)};
            case http::TransportError::cancelled:
                return {Failure::cancelled,
                        "PostgREST request cancelled: " + describe_response(response)};
            default:
                return {Failure::transient,
                        "PostgREST unreachable: " + describe_response(response)};
        }
    }
    const int status = response.status;
    const auto error = parse_error_body(response.body);
    const std::string code = error ? error->code : std::string();

    if (status == 401 || status == 403) {
        if (code == "42501") {
            return with_cause(Failure::auth,
                              "row-level security: the key is not the service_role key", response);
        }
        if (status == 401) {
            return with_cause(Failure::auth,
                              "SUPABASE_SERVICE_ROLE_KEY was rejected: wrong key, or not the "
                              "service_role key",
                              response);
        }
        return with_cause(
            Failure::auth,
            "permission denied: SUPABASE_SERVICE_ROLE_KEY is not the service_role key", response);
    }
    if (status == 404 &&
        (code == "PGRST205" || code == "42P01" || text::trim(response.body).empty())) {
        return with_cause(
            Failure::rejected,
            "table " + std::string(table) + " not found: apply the migrations in schema/",
            response);
    }
    if (status == 400 && (code == "PGRST204" || code == "42703")) {
        return with_cause(Failure::rejected, "column missing: apply the migrations in schema/",
                          response);
    }
    if (status == 400 && code == "42P10") {
        return with_cause(Failure::rejected,
                          "no unique constraint on job_id: apply the migrations in schema/",
                          response);
    }
    if (status == 500 && code == "21000") {
        return with_cause(Failure::rejected, "a job_id appears twice in one batch", response);
    }
    if (status == 500 && code == "57014") {
        return with_cause(Failure::statement_timeout,
                          "statement timeout: try a smaller --batch-size", response);
    }
    if (is_retryable(response)) return {Failure::transient, describe_response(response)};
    if (status >= 500 && status <= 599) {
        return with_cause(Failure::rejected, "the database refused the request", response);
    }
    if (status >= 400 && status <= 499) return {Failure::rejected, describe_response(response)};
    return with_cause(Failure::bad_response, "unexpected HTTP status", response);
}

bool is_statement_timeout(const http::Response& response) {
    if (response.transport_failed() || response.status < 500 || response.status > 599) {
        return false;
    }
    const auto error = parse_error_body(response.body);
    if (error && error->code == "57014") return true;
    return text::find_ignoring_case(response.body, "statement timeout") != std::string_view::npos;
}

sync::BatchProblem classify_batch_problem(const http::Response& response) {
    using sync::BatchProblem;
    if (response.transport_failed()) return BatchProblem::none;
    if (response.status == 413) return BatchProblem::body_too_large;
    if (is_statement_timeout(response)) return BatchProblem::statement_timeout;
    if (response.status < 400 || response.status > 499) return BatchProblem::none;
    switch (response.status) {
        case 401:
        case 403:
        case 404:
        case 405:
        case 406:
        case 408:
        case 429:
            return BatchProblem::none;
        default:
            break;
    }
    const auto error = parse_error_body(response.body);
    if (!error || error->code.size() != 5) return BatchProblem::none;
    const std::string_view code = error->code;
    const bool data_class = text::starts_with(code, "22") || text::starts_with(code, "23");
    return data_class || code == "P0001" ? BatchProblem::rows_refused : BatchProblem::none;
}

}  // namespace jobsync::postgrest
