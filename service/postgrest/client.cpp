#include "postgrest/client.hpp"

#include <spdlog/spdlog.h>

#include <utility>

#include "logging/redact.hpp"
#include "postgrest/response.hpp"

namespace jobsync::postgrest {

PostgrestStore::PostgrestStore(http::Transport& transport, Endpoint endpoint,
                               http::RetryPolicy policy, http::RetryEnvironment environment)
    : transport_(transport),
      endpoint_(std::move(endpoint)),
      policy_(policy),
      environment_(environment) {}

sync::StoreOutcome PostgrestStore::upsert(const sync::UpsertBatch& batch) {
    const http::Request request = build_upsert_request(endpoint_, batch.json);
    const std::string what = "upsert of " + std::to_string(batch.rows) + " rows";
    const http::RetriedResponse sent = send(request, what);

    sync::StoreOutcome outcome;
    outcome.retries = sent.retries();
    const http::Response& response = sent.response;
    if (!response.transport_failed() && (response.status == 200 || response.status == 201)) {
        return outcome;
    }
    const ClassifiedFailure failure = classify_failure(response, endpoint_.table);
    outcome.failure = failure.failure;
    outcome.message = scrub(what + " failed after " + std::to_string(sent.attempts) +
                            " attempt(s): " + failure.message);
    return outcome;
}

sync::SweepOutcome PostgrestStore::deactivate_unseen(std::string_view run_started_at) {
    const http::Request request = build_sweep_request(endpoint_, run_started_at);
    const http::RetriedResponse sent = send(request, "sweep");

    sync::SweepOutcome outcome;
    outcome.retries = sent.retries();
    const http::Response& response = sent.response;
    if (response.transport_failed() || (response.status != 204 && response.status != 200)) {
        const ClassifiedFailure failure = classify_failure(response, endpoint_.table);
        outcome.failure = failure.failure;
        outcome.message = scrub("sweep failed after " + std::to_string(sent.attempts) +
                                " attempt(s): " + failure.message);
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

http::RetriedResponse PostgrestStore::send(const http::Request& request,
                                           std::string_view what) const {
    // URL only: the headers carry the key.
    spdlog::debug("postgrest: {} {} ({} bytes)", request.method, request.url, request.body.size());
    auto on_retry = [this, what](int attempt, const http::Response& response,
                                 std::chrono::milliseconds wait) {
        spdlog::warn("postgrest: {} attempt {} failed ({}); retrying in {} ms", what, attempt,
                     scrub(describe_response(response)), wait.count());
    };
    http::RetriedResponse sent =
        http::send_with_retry(transport_, request, policy_, environment_, on_retry);
    spdlog::debug("postgrest: {} -> {} after {} attempt(s)", what,
                  sent.response.transport_failed() ? std::string("transport failure")
                                                   : std::to_string(sent.response.status),
                  sent.attempts);
    return sent;
}

std::string PostgrestStore::scrub(std::string message) const {
    return logging::redact_value(std::move(message), endpoint_.key.reveal());
}

}  // namespace jobsync::postgrest
