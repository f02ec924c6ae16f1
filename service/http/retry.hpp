// The retrying send loop: sends, waits as the schedule says (http/backoff.hpp) on the injected
// clock and sleeper (http/clock.hpp), and stops for the run's deadline, a stop or a budget.
#pragma once

#include <chrono>
#include <functional>
#include <optional>
#include <string_view>

#include "http/backoff.hpp"
#include "http/clock.hpp"
#include "http/transport.hpp"

namespace jobsync::http {

struct RetryEnvironment {
    Clock& clock;
    Sleeper& sleeper;  // the app's is interruptible: a stop wakes it
    JitterSource& jitter;
    // True once the run is stopping (a signal): no attempt starts, a request in flight is
    // abandoned. Empty: never.
    std::function<bool()> stop_requested = nullptr;
    // The run's deadline on `clock`: no attempt starts after it, a request's timeout is cut
    // to it, and a wait that would pass it is not waited.
    std::optional<std::chrono::system_clock::time_point> deadline = std::nullopt;
};

// Why send_with_retry stopped before the rule was done with the request.
enum class Halt { none, stopped, deadline, refused };

struct RetriedResponse {
    Response response;  // the last one (TransportError::cancelled when none was sent)
    int attempts = 0;   // requests sent, 0..max_attempts
    Halt halt = Halt::none;
    int retries() const { return attempts > 0 ? attempts - 1 : 0; }
};

// Sends, and resends while the policy's rule says so and attempts remain. The wait is the
// Retry-After value (capped) when the response carries one, the backoff delay otherwise.
// `on_retry` (optional) is told about each retry before the wait, for logging. `retryable`
// (optional) replaces the policy's rule for this call, e.g. to stop resending what will fail
// again as is. `may_send` (optional) is asked before every attempt; false ends the loop with
// Halt::refused (a budget). A stop or the deadline ends it with Halt::stopped / Halt::deadline.
// `request` is taken by value; its body is shared (http::Body), so no attempt copies it.
RetriedResponse send_with_retry(
    Transport& transport, Request request, const RetryPolicy& policy, RetryEnvironment env,
    const std::function<void(int attempt, const Response&, std::chrono::milliseconds wait)>&
        on_retry = nullptr,
    const std::function<bool(const Response&)>& retryable = nullptr,
    const std::function<bool()>& may_send = nullptr);

}  // namespace jobsync::http
