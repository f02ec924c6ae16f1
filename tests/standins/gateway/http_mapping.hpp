// Response pieces PostgREST computes the same way for every request (notes 2 and 4):
// SQLSTATE -> HTTP status, Content-Range, the error body, and Supabase's gateway errors.
#pragma once

#include <optional>
#include <string>

#include "standins/gateway/api_error.hpp"
#include "support/loopback_server.hpp"
#include "support/pg.hpp"

namespace jobsync::testing::gateway {

// PostgREST Error.hs mapSQLtoHTTP. `authed` is PostgREST's "role != anon role": it decides
// 42501 between 403 (authed) and 401.
int http_status_for_sqlstate(const std::string& sqlstate, const std::string& message, bool authed);

// A failed statement as PostgREST reports it: code = SQLSTATE, message, details = DETAIL,
// hint = HINT. A lost connection (libpq's own 08xxx) is 503 PGRST001.
ApiError api_error_from(const PgError& error, bool authed);

// RangeQuery.hs contentRangeH: "lower-upper/total", "*" for an empty range or a zero total,
// and "*" as total when not counted.
std::string content_range(long long lower, long long upper, std::optional<long long> total);

// {"code","details","hint","message"}: all four keys, null when empty (notes 4.1).
std::string error_body(const ApiError& error);

// The reply for a PostgREST error: JSON body, Content-Type, Proxy-Status (v13+), and
// WWW-Authenticate on 401s.
Reply error_reply(const ApiError& error,
                  std::optional<std::string> www_authenticate = std::nullopt);

// Supabase's API gateway errors ({"message","hint"} only, notes 5.2).
Reply missing_api_key_reply();
Reply invalid_api_key_reply();

// nginx's own 413 page (client_max_body_size exceeded): text/html, not PostgREST-shaped.
Reply body_too_large_reply();

inline constexpr const char* kJsonContentType = "application/json; charset=utf-8";

}  // namespace jobsync::testing::gateway
