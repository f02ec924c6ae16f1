// PostgREST's retry rule (pure): which answers are worth sending again. The upsert is
// idempotent and the sweep too, so a resend is safe; the rule is about whether it can help.
// classify_failure (response.hpp) gives the failure class and agrees with it:
//
//   answer                                               retried   failure class
//   connection refused/reset, timeout                    yes       transient
//   TLS handshake / certificate verification             no        tls
//   body over --max-response-bytes                       no        bad_response
//   401, 403                                             no        auth
//   408, 429                                             yes       transient
//   502, 503, 504 (08* connection, 53* resources,        yes       transient
//     57P01 shutdown, PGRST000-003 pool/schema cache)
//   500 40001 / 40P01 (serialization, deadlock)          yes       transient
//   500 57014 statement timeout                          no        statement_timeout (the
//                                                                  runner/store may split)
//   500 21000 (a job_id twice in one batch)              no        rejected
//   500 with another SQLSTATE                            no        rejected (same data, same
//                                                                  error)
//   500 without a PostgREST body (a proxy's page)        yes       transient
//   other 4xx                                            no        rejected
//
// Up to 3 attempts, backoff 100/200/400 ms +-30%, Retry-After honoured up to 60 s (RetryPolicy).
#pragma once

#include <string_view>

#include "http/transport.hpp"

namespace jobsync::postgrest {

// SQLSTATE or PGRST code that says "try again": the same request can succeed a moment later.
bool is_transient_code(std::string_view code);

bool is_retryable(const http::Response& response);

}  // namespace jobsync::postgrest
