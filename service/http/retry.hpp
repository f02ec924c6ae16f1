// Retry schedule (pure) and the retrying send loop. Time and randomness are injected so the
// schedule is tested exactly and no test ever sleeps.
#pragma once

#include <chrono>
#include <functional>
#include <optional>
#include <string_view>

#include "http/transport.hpp"

namespace jobsync::http {

// A client's retry rule: whether this response may be sent again (jsearch/retry_rule.hpp,
// postgrest/retry_rule.hpp). Each is a pure function, tested as a table.
using RetryRule = std::function<bool(const Response&)>;

struct RetryPolicy {
    int max_attempts = 3;                       // attempts in all, not retries
    std::chrono::milliseconds base_delay{100};  // 100, 200, 400 ms, ...
    double jitter_fraction = 0.3;               // +-30%
    std::chrono::milliseconds max_retry_after{std::chrono::seconds(60)};  // cap on Retry-After
    RetryRule retryable;  // empty: is_retryable below
};

class Clock {
  public:
    virtual ~Clock() = default;
    virtual std::chrono::system_clock::time_point now() = 0;
};

class Sleeper {
  public:
    virtual ~Sleeper() = default;
    virtual void sleep(std::chrono::milliseconds duration) = 0;
};

// Returns a value in [-1, 1]; scaled by jitter_fraction.
class JitterSource {
  public:
    virtual ~JitterSource() = default;
    virtual double next() = 0;
};

// Real implementations (system clock, this_thread::sleep_for, a seeded mt19937).
Clock& system_clock();
Sleeper& real_sleeper();
std::unique_ptr<JitterSource> make_random_jitter();

// The generic rule: 408, 429, 5xx and transport failures (connect, reset, timeout); never a
// TLS failure, an oversized body or a cancelled request, nor any other 4xx.
bool is_retryable(const Response& response);

// Delay before retry number `retry` (0 = the wait after the first failed attempt):
// base * 2^retry * (1 + jitter_fraction * jitter), jitter in [-1, 1].
std::chrono::milliseconds backoff_delay(const RetryPolicy& policy, int retry, double jitter);

// Retry-After as delta-seconds ("120") or an HTTP-date ("Wed, 21 Oct 2015 07:28:00 GMT").
// nullopt when absent or unparsable; a date in the past gives 0.
std::optional<std::chrono::milliseconds> parse_retry_after(
    std::string_view value, std::chrono::system_clock::time_point now);

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
RetriedResponse send_with_retry(
    Transport& transport, const Request& request, const RetryPolicy& policy, RetryEnvironment env,
    const std::function<void(int attempt, const Response&, std::chrono::milliseconds wait)>&
        on_retry = nullptr,
    const std::function<bool(const Response&)>& retryable = nullptr,
    const std::function<bool()>& may_send = nullptr);

}  // namespace jobsync::http
