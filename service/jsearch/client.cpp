#include "jsearch/client.hpp"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <cctype>
#include <optional>
#include <string>

#include "jsearch/response.hpp"
#include "logging/redact.hpp"

namespace jobsync::jsearch {

namespace {

// RapidAPI refuses these before JSearch sees them; a failed connection never arrived.
bool may_be_billed(const http::Response& response) {
    if (response.error == http::TransportError::connect_failed) return false;
    return response.status != 401 && response.status != 403 && response.status != 429;
}

std::optional<long> parse_quota(const std::optional<std::string>& header) {
    if (!header) return std::nullopt;
    std::string_view text(*header);
    while (!text.empty() && text.front() == ' ') text.remove_prefix(1);
    while (!text.empty() && text.back() == ' ') text.remove_suffix(1);
    if (text.empty() || text.size() > 18) return std::nullopt;
    long value = 0;
    for (char c : text) {
        if (!std::isdigit(static_cast<unsigned char>(c))) return std::nullopt;
        value = value * 10 + (c - '0');
    }
    return value;
}

// Belt and braces: no message leaves this client with the key in it, whatever a server echoed.
std::string scrub(std::string message, const std::string& secret) {
    return logging::redact_value(std::move(message), secret);
}

int pages_with_jobs(int jobs, int pages_asked) {
    return std::min(pages_asked, (jobs + kJobsPerPage - 1) / kJobsPerPage);
}

}  // namespace

JsearchClient::JsearchClient(http::Transport& transport, Connection connection,
                             http::RetryPolicy policy, http::RetryEnvironment environment)
    : transport_(transport),
      connection_(std::move(connection)),
      policy_(policy),
      environment_(environment) {}

sync::FetchOutcome JsearchClient::fetch(const sync::SearchQuery& query,
                                        const std::function<void(sync::FetchedPage&&)>& sink) {
    sync::FetchOutcome outcome;
    auto fail = [&](sync::Failure failure, std::string message, int attempts) {
        if (attempts > 1) message += " (after " + std::to_string(attempts) + " attempts)";
        outcome.failure = failure;
        outcome.message = scrub(std::move(message), connection_.api_key.reveal());
        return outcome;
    };

    for (const auto& range : plan_requests(query)) {
        const auto request = build_search_request(connection_, query, range);
        const auto where = describe_pages(query.text, range.page, range.num_pages);
        const int units = billed_units(range.num_pages);
        // The URL carries the query and paging only; the key travels in a header, never logged.
        spdlog::debug("JSearch GET {}", request.url);

        auto on_retry = [&](int attempt, const http::Response& response,
                            std::chrono::milliseconds wait) {
            if (may_be_billed(response)) outcome.billed_requests += units;
            std::string got = response.transport_failed()
                                  ? response.error_message
                                  : "HTTP " + std::to_string(response.status);
            spdlog::warn("JSearch {}: attempt {} failed ({}); retrying in {} ms", where, attempt,
                         scrub(got, connection_.api_key.reveal()), wait.count());
        };
        auto retried = http::send_with_retry(transport_, request, policy_, environment_, on_retry);
        const auto& response = retried.response;
        outcome.requests += retried.attempts;
        outcome.retries += retried.retries();
        if (may_be_billed(response)) outcome.billed_requests += units;

        if (auto quota = parse_quota(response.header("x-ratelimit-requests-remaining"))) {
            outcome.quota_remaining = quota;
            spdlog::info("JSearch quota: {} requests remaining", *quota);
        }
        if (response.transport_failed()) {
            auto failure = classify_transport_failure(response, where);
            return fail(failure.failure, std::move(failure.message), retried.attempts);
        }
        auto parsed =
            parse_search_response(response.status, response.header("Content-Type").value_or(""),
                                  response.body, query.text, range.page, range.num_pages);
        if (!parsed.ok()) return fail(parsed.failure, std::move(parsed.message), retried.attempts);

        outcome.pages += pages_with_jobs(parsed.jobs_received, range.num_pages);
        const bool last = parsed.jobs_received < range.num_pages * kJobsPerPage;
        spdlog::debug("JSearch {}: {} jobs, {} mapped, {} problems", where, parsed.jobs_received,
                      parsed.rows.size(), parsed.problems.size());
        sink(sync::FetchedPage{query.text, range.page, range.num_pages, std::move(parsed.rows),
                               std::move(parsed.problems)});
        if (last) break;  // fewer jobs than asked for: there are no further pages
    }
    return outcome;
}

}  // namespace jobsync::jsearch
