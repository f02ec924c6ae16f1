#include "jsearch/client.hpp"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <cctype>
#include <memory>
#include <optional>
#include <string>

#include "http/buffer_pool.hpp"
#include "jsearch/response.hpp"
#include "jsearch/retry_rule.hpp"
#include "logging/redact.hpp"

namespace jobsync::jsearch {

namespace {

// A response body the rows of its page borrow from: its buffer goes back to the pool when the
// last holder lets it go.
struct PooledBody {
    std::string text;
    PooledBody() = default;
    PooledBody(const PooledBody&) = delete;
    PooledBody& operator=(const PooledBody&) = delete;
    PooledBody(PooledBody&&) = delete;
    PooledBody& operator=(PooledBody&&) = delete;
    ~PooledBody() { http::body_buffers().give(std::move(text)); }
};

// RapidAPI refuses these before JSearch sees them; a failed connection never arrived.
bool may_be_billed(const http::Response& response) {
    if (response.error == http::TransportError::connect_failed) return false;
    return response.status != 401 && response.status != 403 && response.status != 429;
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
                             http::RetryPolicy policy, http::RetryEnvironment environment,
                             Budget budget)
    : transport_(transport),
      connection_(std::move(connection)),
      policy_(std::move(policy)),
      environment_(std::move(environment)),
      budget_(budget) {
    policy_.retryable = is_retryable;
}

sync::FetchOutcome JsearchClient::fetch(const sync::SearchQuery& query,
                                        const sync::PageSink& sink) {
    sync::FetchOutcome outcome;
    auto fail = [&](sync::Failure failure, std::string message, int attempts) {
        if (attempts > 1) message += " (after " + std::to_string(attempts) + " attempts)";
        outcome.failure = failure;
        outcome.message = scrub(std::move(message), connection_.api_key.reveal());
        return outcome;
    };

    for (const auto& range : plan_requests(query)) {
        if (const std::string spent = quota_spent_reason(); !spent.empty()) {
            return fail(sync::Failure::quota, spent + "; query \"" + query.text + "\" not fetched",
                        0);
        }
        auto request = build_search_request(connection_, query, range);
        request.max_body_bytes = budget_.max_body_bytes;
        const auto where = describe_pages(query.text, range.page, range.num_pages);
        const int units = billed_units(range.num_pages);
        // Takes the request's units from the budget before it is sent, so queries fetched at
        // once cannot pass --max-requests together; units not billed are given back.
        auto within_budget = [&] {
            std::lock_guard lock(mutex_);
            if (budget_.max_billed_requests && billed_ + units > *budget_.max_billed_requests) {
                return false;
            }
            billed_ += units;
            return true;
        };
        auto settle = [&](const http::Response& response) {
            if (may_be_billed(response)) {
                outcome.billed_requests += units;
                return;
            }
            std::lock_guard lock(mutex_);
            billed_ -= units;
        };
        // The URL carries the query and paging only; the key travels in a header, never logged.
        spdlog::debug("JSearch GET {}", request.url);

        auto on_retry = [&](int attempt, const http::Response& response,
                            std::chrono::milliseconds wait) {
            settle(response);
            std::string got = response.transport_failed()
                                  ? response.error_message
                                  : "HTTP " + std::to_string(response.status);
            spdlog::warn("JSearch {}: attempt {} failed ({}); retrying in {} ms", where, attempt,
                         scrub(got, connection_.api_key.reveal()), wait.count());
        };
        auto retried = http::send_with_retry(transport_, std::move(request), policy_, environment_,
                                             on_retry, nullptr, within_budget);
        const auto& response = retried.response;
        outcome.requests += retried.attempts;
        outcome.retries += retried.retries();
        if (retried.attempts > 0) settle(response);

        if (auto quota = quota_remaining(response)) {
            outcome.quota_remaining = quota;
            spdlog::info("JSearch quota: {} requests remaining", *quota);
        }
        switch (retried.halt) {
            case http::Halt::none:
                break;
            case http::Halt::refused: {
                std::lock_guard lock(mutex_);
                if (quota_spent_reason_.empty()) {
                    quota_spent_reason_ = "--max-requests " +
                                          std::to_string(*budget_.max_billed_requests) +
                                          " reached: " + std::to_string(billed_) +
                                          " billed so far, the next request (" + where +
                                          ") bills " + std::to_string(units);
                }
                return fail(sync::Failure::quota, quota_spent_reason_, retried.attempts);
            }
            case http::Halt::deadline:
                return fail(sync::Failure::deadline,
                            "JSearch " + where + ": not finished before the run's deadline",
                            retried.attempts);
            case http::Halt::stopped:
                return fail(sync::Failure::cancelled,
                            "JSearch " + where + ": cancelled, the run is stopping",
                            retried.attempts);
        }
        const bool success =
            !response.transport_failed() && response.status >= 200 && response.status <= 299;
        if (!success && quota_exhausted(response)) {
            const std::string reset = quota_reset(response);
            const std::string reason = spend_quota(
                "JSearch quota exhausted" + (reset.empty() ? std::string() : " (" + reset + ")"));
            auto failure =
                classify_http_status(response.status, response.header("Content-Type").value_or(""),
                                     response.body, where);
            return fail(sync::Failure::quota,
                        reason + ": " + failure.message + "; no further requests this run",
                        retried.attempts);
        }
        if (response.transport_failed()) {
            auto failure = classify_transport_failure(response, where);
            return fail(failure.failure, std::move(failure.message), retried.attempts);
        }
        // Only the response is held while the caller catches up, not its rows as well.
        if (success) sink.before_page();
        // The rows borrow their text from the body they are parsed out of, so their page keeps
        // it; when the page is done with, its buffer goes to a later response.
        auto pooled = std::make_shared<PooledBody>();
        pooled->text = std::move(retried.response.body);
        std::shared_ptr<std::string> body(pooled, &pooled->text);
        auto parsed = parse_search_response_in_place(
            response.status, response.header("Content-Type").value_or(""), std::move(body),
            query.text, range.page, range.num_pages);
        if (!parsed.ok()) return fail(parsed.failure, std::move(parsed.message), retried.attempts);

        outcome.pages += pages_with_jobs(parsed.jobs_received, range.num_pages);
        const bool last = parsed.jobs_received < range.num_pages * kJobsPerPage;
        spdlog::debug("JSearch {}: {} jobs, {} mapped, {} problems", where, parsed.jobs_received,
                      parsed.rows.size(), parsed.problems.size());
        sink(sync::FetchedPage{query.text, range.page, range.num_pages, std::move(parsed.rows),
                               std::move(parsed.problems), std::move(parsed.body)});
        if (quota_remaining(response) == 0L) {
            // This answer was the last the plan allows: use it, send nothing more.
            const std::string reset = quota_reset(response);
            spdlog::warn(
                "{}", spend_quota("JSearch quota spent (x-ratelimit-requests-remaining: 0 after " +
                                  where + ")" + (reset.empty() ? "" : ", " + reset)));
        }
        if (last) {  // fewer jobs than asked for: there are no further pages
            outcome.exhausted = true;
            break;
        }
    }
    return outcome;
}

std::string JsearchClient::quota_spent_reason() const {
    std::lock_guard lock(mutex_);
    return quota_spent_reason_;
}

std::string JsearchClient::spend_quota(std::string reason) {
    std::lock_guard lock(mutex_);
    if (quota_spent_reason_.empty()) quota_spent_reason_ = std::move(reason);
    return quota_spent_reason_;
}

}  // namespace jobsync::jsearch
