// PostgREST request building (pure): the upsert POST and the sweep PATCH, with the key sent the
// way Supabase expects it.
#pragma once

#include <chrono>
#include <string>
#include <string_view>

#include "config/settings.hpp"
#include "http/transport.hpp"

namespace jobsync::postgrest {

// Where the jobs table lives and how to authenticate.
struct Endpoint {
    std::string base_url;  // https://<ref>.supabase.co (trailing slashes ignored)
    std::string table;     // e.g. "jobs"
    config::Secret key;
    config::SupabaseKeyKind kind = config::SupabaseKeyKind::legacy_jwt;
    std::chrono::milliseconds timeout{std::chrono::seconds(30)};
};

// Legacy JWT: `apikey` and `Authorization: Bearer`. An sb_secret_ key is not a JWT and goes in
// `apikey` only (the gateway swaps in a service_role JWT; in Authorization it is rejected).
http::Headers auth_headers(const Endpoint& endpoint);

// "{base}/rest/v1/{table}", the table name percent-encoded.
std::string table_url(const Endpoint& endpoint);

// POST {table}?on_conflict=job_id&columns=<kSyncColumns> with merge-duplicates: an idempotent
// bulk upsert that writes only the sync's columns. `columns` also lets PostgREST skip parsing.
http::Request build_upsert_request(const Endpoint& endpoint, std::string batch_json);

// PATCH {table}?is_active=eq.true&last_seen=lt.<run start> {"is_active":false}, counted.
// The timestamp is percent-encoded: PostgREST reads a literal '+' as a space.
http::Request build_sweep_request(const Endpoint& endpoint, std::string_view run_started_at);

}  // namespace jobsync::postgrest
