// JSearch's retry rule (pure): which answers are worth sending again, and which mean the quota
// is spent. One rule for the client's retry loop and for the failure class in the summary.
//
//   answer                                            retried   failure class
//   connection refused/reset, timeout                 yes       transient
//   TLS handshake / certificate verification          no        tls
//   body over --max-response-bytes                    no        bad_response
//   408, 5xx                                          yes       transient
//   429 "Too many requests" (per-second rate)         yes       transient
//   429 whose message names the quota                 no        quota
//   x-ratelimit-requests-remaining: 0, not a 2xx      no        quota
//   401, 403                                          no        auth
//   other 4xx                                         no        rejected
//
// Up to 3 attempts, backoff 100/200/400 ms +-30%, Retry-After honoured up to 60 s (RetryPolicy).
#pragma once

#include <optional>
#include <string>

#include "http/transport.hpp"

namespace jobsync::jsearch {

// A 429 whose RapidAPI message names the quota ("You have exceeded the MONTHLY quota for
// Requests on your current plan, BASIC. ..."), or any answer with
// x-ratelimit-requests-remaining: 0.
bool quota_exhausted(const http::Response& response);

// x-ratelimit-requests-remaining parsed, when present and a whole number.
std::optional<long> quota_remaining(const http::Response& response);

// "resets in 29 days 23 h (x-ratelimit-requests-reset: 2591999 s)" from the seconds RapidAPI
// gives, or "" when the header is absent or not a number.
std::string quota_reset(const http::Response& response);

bool is_retryable(const http::Response& response);

}  // namespace jobsync::jsearch
