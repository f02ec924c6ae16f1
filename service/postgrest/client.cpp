#include "postgrest/client.hpp"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <utility>

#include "postgrest/response.hpp"
#include "postgrest/retry_rule.hpp"

namespace jobsync::postgrest {

namespace {

// A stop or the deadline, not the server, ended the request.
std::optional<sync::Failure> halted(const http::RetriedResponse& sent) {
    switch (sent.halt) {
        case http::Halt::deadline:
            return sync::Failure::deadline;
        case http::Halt::stopped:
            return sync::Failure::cancelled;
        default:
            return std::nullopt;
    }
}

}  // namespace

PostgrestStore::PostgrestStore(http::Transport& transport, Endpoint endpoint,
                               http::RetryPolicy policy, http::RetryEnvironment environment)
    : connection_(transport, std::move(endpoint), std::move(policy), std::move(environment)) {
    connection_.policy.retryable = is_retryable;
}

sync::StoreOutcome PostgrestStore::upsert(sync::UpsertBatch& batch) {
    const std::string what = "upsert of " + std::to_string(batch.rows) + " rows";
    // The batch's text is lent to the request, not copied: every attempt and cpprestsdk's
    // stream read it where it is (http::Body), and it is given back, unchanged, before this
    // returns, since the runner may split the batch. Only if an abandoned request's stream
    // still holds it is the text copied back instead.
    http::Body body(std::move(batch.json));
    http::RetriedResponse sent;
    try {
        // The client's rule (retry_rule.hpp), and no statement timeout by any wording: the
        // runner splits the batch instead.
        sent = send(build_upsert_request(connection_.endpoint, body), what,
                    [](const http::Response& response) {
                        return postgrest::is_retryable(response) && !is_statement_timeout(response);
                    });
    } catch (...) {
        batch.json = std::move(body).release();
        throw;
    }
    batch.json = std::move(body).release();

    sync::StoreOutcome outcome;
    outcome.retries = sent.retries();
    const http::Response& response = sent.response;
    const auto failure = failure_of(sent, what, {200, 201});
    if (!failure) return outcome;
    outcome.failure = failure->failure;
    outcome.message = failure->message;
    outcome.problem = classify_batch_problem(response);
    if (const auto error = parse_error_body(response.body); error && !error->code.empty()) {
        outcome.code = error->code;
        outcome.reason = connection_.scrub(error->message);
        if (!error->details.empty())
            outcome.reason += " (" + connection_.scrub(error->details) + ")";
    } else if (!response.transport_failed()) {
        outcome.code = "HTTP " + std::to_string(response.status);
        outcome.reason = connection_.scrub(describe_response(response));
    }
    return outcome;
}

sync::SweepOutcome PostgrestStore::deactivate_unseen(std::string_view run_started_at,
                                                     std::optional<long> max_affected) {
    http::RetriedResponse sent =
        send(build_sweep_request(connection_.endpoint, run_started_at, max_affected), "sweep");
    int retries = sent.retries();
    auto error = parse_error_body(sent.response.body);
    if (max_affected && sent.response.status == 400 && error && error->code == "PGRST122") {
        // A server before PostgREST 12.2 does not know max-affected: the count taken before
        // stands in for the atomic check.
        spdlog::warn(
            "postgrest: the server does not support Prefer: max-affected (PostgREST < 12.2); "
            "sweeping without it, relying on the count taken just before");
        sent =
            send(build_sweep_request(connection_.endpoint, run_started_at, std::nullopt), "sweep");
        retries += sent.retries() + 1;
        error = parse_error_body(sent.response.body);
    }

    sync::SweepOutcome outcome;
    outcome.retries = retries;
    const http::Response& response = sent.response;
    if (response.status == 400 && error && error->code == "PGRST124") {
        outcome.limit_exceeded = true;
        outcome.message =
            connection_.scrub("the server refused the sweep: " + describe_response(response));
        return outcome;
    }
    if (auto failure = failure_of(sent, "sweep", {204, 200})) {
        outcome.failure = failure->failure;
        outcome.message = std::move(failure->message);
        return outcome;
    }
    const auto header = response.header("Content-Range");
    const auto range = header ? parse_content_range(*header) : std::nullopt;
    if (range) {
        outcome.deactivated = affected_rows(*range);
    } else {
        // The rows were updated; only the count is unknown.
        outcome.message = "sweep succeeded but the server sent no usable Content-Range";
        spdlog::warn("postgrest: {}", outcome.message);
    }
    return outcome;
}

sync::CountOutcome PostgrestStore::count_active() {
    return count({{"is_active", "eq.true"}}, "count of active jobs");
}

sync::CountOutcome PostgrestStore::count_unseen(std::string_view run_started_at) {
    return count(sweep_filter(run_started_at), "count of jobs the sweep would deactivate");
}

sync::CountOutcome PostgrestStore::count(const http::QueryParams& filters, std::string_view what) {
    const http::RetriedResponse sent =
        send(build_count_request(connection_.endpoint, filters), what);
    sync::CountOutcome outcome;
    outcome.retries = sent.retries();
    const http::Response& response = sent.response;
    if (auto failure = failure_of(sent, what, {200, 206})) {
        outcome.failure = failure->failure;
        outcome.message = std::move(failure->message);
        return outcome;
    }
    const auto header = response.header("Content-Range");
    const auto range = header ? parse_content_range(*header) : std::nullopt;
    if (!range || !range->total) {
        outcome.failure = sync::Failure::bad_response;
        outcome.message = std::string(what) + ": the server sent no count (Content-Range " +
                          (header ? "\"" + *header + "\"" : std::string("missing")) + ")";
        return outcome;
    }
    outcome.count = *range->total;
    return outcome;
}

sync::StoreOutcome PostgrestStore::touch(const std::vector<std::string>& job_ids,
                                         std::string_view last_seen) {
    sync::StoreOutcome outcome;
    for (const http::Request& request :
         build_touch_requests(connection_.endpoint, job_ids, last_seen)) {
        const http::RetriedResponse sent = send(request, "touch of refused jobs");
        outcome.retries += sent.retries();
        const http::Response& response = sent.response;
        if (auto failure = failure_of(sent, "stamping refused jobs as seen", {204, 200})) {
            outcome.failure = failure->failure;
            outcome.message = std::move(failure->message);
            return outcome;
        }
        const auto header = response.header("Content-Range");
        if (const auto range = header ? parse_content_range(*header) : std::nullopt) {
            outcome.affected += affected_rows(*range);
        }
    }
    return outcome;
}

std::optional<sync::ClassifiedFailure> PostgrestStore::failure_of(
    const http::RetriedResponse& sent, std::string_view what, std::initializer_list<int> ok) const {
    const http::Response& response = sent.response;
    if (!response.transport_failed() &&
        std::find(ok.begin(), ok.end(), response.status) != ok.end()) {
        return std::nullopt;
    }
    sync::ClassifiedFailure failure = classify_failure(response, connection_.endpoint.table);
    failure.failure = halted(sent).value_or(failure.failure);
    failure.message =
        connection_.scrub(std::string(what) + " failed after " + std::to_string(sent.attempts) +
                          " attempt(s): " + failure.message);
    return failure;
}

http::RetriedResponse PostgrestStore::send(
    http::Request request, std::string_view what,
    const std::function<bool(const http::Response&)>& retryable) const {
    // URL only: the headers carry the key.
    spdlog::debug("postgrest: {} {} ({} bytes)", request.method, request.url, request.body.size());
    auto on_retry = [this, what](int attempt, const http::Response& response,
                                 std::chrono::milliseconds wait) {
        spdlog::warn("postgrest: {} attempt {} failed ({}); retrying in {} ms", what, attempt,
                     connection_.scrub(describe_response(response)), wait.count());
    };
    http::RetriedResponse sent =
        http::send_with_retry(connection_.transport, std::move(request), connection_.policy,
                              connection_.environment, on_retry, retryable);
    spdlog::debug("postgrest: {} -> {} after {} attempt(s)", what,
                  sent.response.transport_failed() ? std::string("transport failure")
                                                   : std::to_string(sent.response.status),
                  sent.attempts);
    return sent;
}

}  // namespace jobsync::postgrest
