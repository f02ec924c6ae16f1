// PostgREST request building (pure): the upsert POST, the sweep PATCH and its counts, the touch
// of refused jobs and RPC calls, with the key sent the way Supabase expects it.
#pragma once

#include <chrono>
#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "http/transport.hpp"
#include "http/url.hpp"
#include "ports/credentials.hpp"

namespace jobsync::postgrest {

// Where the jobs table lives and how to authenticate.
struct Endpoint {
    std::string base_url;  // https://<ref>.supabase.co (trailing slashes ignored)
    std::string table;     // e.g. "jobs"
    Secret key;
    SupabaseKeyKind kind = SupabaseKeyKind::legacy_jwt;
    std::chrono::milliseconds timeout{http::kDefaultTimeout};
    std::size_t max_body_bytes = http::kDefaultMaxBodyBytes;  // --max-response-bytes
};

// Legacy JWT: `apikey` and `Authorization: Bearer`. An sb_secret_ key is not a JWT and goes in
// `apikey` only (the gateway swaps in a service_role JWT; in Authorization it is rejected).
http::Headers auth_headers(const Endpoint& endpoint);

// "{base}/rest/v1/{table}", the table name percent-encoded.
std::string table_url(const Endpoint& endpoint);

// POST {table}?on_conflict=job_id&columns=<kSyncColumns> with merge-duplicates: an idempotent
// bulk upsert that writes only the sync's columns. `columns` also lets PostgREST skip parsing.
http::Request build_upsert_request(const Endpoint& endpoint, http::Body batch_json);

// The rows the sweep reaches: active, and last_seen NULL (rows that predate the caching
// migration or came in by another path) or before the run's start:
//   is_active=eq.true&or=(last_seen.is.null,last_seen.lt."<run start>")
// The timestamp is double-quoted inside or=(...) (it holds ':' and '.'), and build_query
// percent-encodes the whole value ('"' as %22, '+' as %2B: PostgREST reads '+' as a space).
http::QueryParams sweep_filter(std::string_view run_started_at);

// PATCH {table}?<sweep_filter> {"is_active":false}, counted. With `max_affected`, also
// `handling=strict, max-affected=N`: PostgREST 12.2+ rolls back and answers 400 PGRST124 when
// more rows would change (older servers answer PGRST122: resend without it).
http::Request build_sweep_request(const Endpoint& endpoint, std::string_view run_started_at,
                                  std::optional<long> max_affected = std::nullopt);

// GET {table}?select=job_id&<filters>&limit=0 with `Prefer: count=exact`: no rows, the count in
// Content-Range ("*/N").
http::Request build_count_request(const Endpoint& endpoint, const http::QueryParams& filters);

// PATCH {table}?job_id=in.("a","b",...) {"last_seen":<t>,"is_active":true}, counted, in as many
// requests as keep each URL under `max_url_bytes` (proxies refuse long URLs; Supabase's answers
// 520 past ~16 KB). Ids are double-quoted with '"' and '\' escaped by a backslash.
std::vector<http::Request> build_touch_requests(const Endpoint& endpoint,
                                                const std::vector<std::string>& job_ids,
                                                std::string_view last_seen,
                                                std::size_t max_url_bytes = 4000);

// A value double-quoted for PostgREST's in.(...) and or=(...) grammar: '"' and '\\' escaped.
std::string quoted(std::string_view value);

// POST {base}/rest/v1/rpc/{function} with a JSON object of named arguments.
http::Request build_rpc_request(const Endpoint& endpoint, std::string_view function,
                                std::string json_arguments);

}  // namespace jobsync::postgrest
