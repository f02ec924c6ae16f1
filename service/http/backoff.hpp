// The retry schedule (pure): which answers are worth sending again, and how long to wait
// before each resend (the backoff, or the server's Retry-After).
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

}  // namespace jobsync::http
