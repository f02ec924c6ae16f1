#include "http/retry.hpp"

#include <algorithm>

namespace jobsync::http {

using std::chrono::milliseconds;

namespace {

Response not_sent(std::string_view why) {
    Response response;
    response.error = TransportError::cancelled;
    response.error_message = std::string(why);
    return response;
}

}  // namespace

RetriedResponse send_with_retry(
    Transport& transport, Request request, const RetryPolicy& policy, RetryEnvironment env,
    const std::function<void(int attempt, const Response&, std::chrono::milliseconds wait)>&
        on_retry,
    const std::function<bool(const Response&)>& retryable, const std::function<bool()>& may_send) {
    const int max_attempts = std::max(1, policy.max_attempts);
    // This call's rule, else the client's, else the generic one.
    const RetryRule rule =
        retryable ? retryable : (policy.retryable ? policy.retryable : RetryRule(is_retryable));
    const auto stopping = [&env] { return env.stop_requested && env.stop_requested(); };
    const auto past_deadline = [&env] { return env.deadline && env.clock.now() >= *env.deadline; };
    RetriedResponse result;
    auto halt = [&result](Halt why, std::string_view message) {
        result.halt = why;
        if (result.attempts == 0) result.response = not_sent(message);
        return result;
    };

    // Each attempt goes out with the time left and the same body (shared, not copied); the
    // body's buffer goes back to the pool when the last holder of it lets go.
    const milliseconds request_timeout = std::max(request.timeout, milliseconds(1));
    Request attempt_request = std::move(request);
    if (env.stop_requested && !attempt_request.cancelled) {
        attempt_request.cancelled = env.stop_requested;
    }
    for (int attempt = 1;; ++attempt) {
        // The deadline first: past it, the stop source reports a stop too.
        if (past_deadline()) return halt(Halt::deadline, "not sent: the run's deadline passed");
        if (stopping()) return halt(Halt::stopped, "not sent: the run is stopping");
        if (may_send && !may_send()) return halt(Halt::refused, "not sent: over the budget");
        if (env.deadline) {
            const auto left =
                std::chrono::duration_cast<milliseconds>(*env.deadline - env.clock.now());
            attempt_request.timeout = std::clamp(left, milliseconds(1), request_timeout);
        }
        result.response = transport.send(attempt_request);
        result.attempts = attempt;
        const bool cut = result.response.error == TransportError::cancelled ||
                         result.response.error == TransportError::timeout;
        if (cut && past_deadline()) {
            result.halt = Halt::deadline;
            return result;
        }
        if (result.response.error == TransportError::cancelled && stopping()) {
            result.halt = Halt::stopped;
            return result;
        }
        if (!rule(result.response) || attempt >= max_attempts) return result;

        std::optional<milliseconds> wait;
        if (const auto header = result.response.header("Retry-After")) {
            wait = parse_retry_after(*header, env.clock.now());
            if (wait) wait = std::min(*wait, policy.max_retry_after);
        }
        if (!wait) wait = backoff_delay(policy, attempt - 1, env.jitter.next());
        // A wait that would end past the deadline is not worth starting.
        if (env.deadline && env.clock.now() + *wait >= *env.deadline) {
            result.halt = Halt::deadline;
            return result;
        }
        if (on_retry) on_retry(attempt, result.response, *wait);
        env.sleeper.sleep(*wait);
    }
}

}  // namespace jobsync::http
