// A stand-in for Supabase's `/rest/v1` (the API gateway in front of PostgREST) over a real
// PostgreSQL, for the tests and the local run. It follows ../shared/postgrest-notes.md, not
// what job-sync happens to send: a client that passes against it should pass against hosted
// Supabase. The database enforces grants and row-level security itself: each request runs in
// a transaction as the role the key or JWT names.
//
//   PgCluster cluster;
//   RestGateway gateway({cluster.authenticator_conninfo(), "a-jwt-secret"});
//   // SUPABASE_URL = gateway.base_url(), SUPABASE_KEY = "sb_secret_local_stand_in_key"
#pragma once

#include <chrono>
#include <cstddef>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "support/loopback_server.hpp"

namespace jobsync::testing {

struct GatewayOptions {
    std::string conninfo;    // libpq conninfo for the authenticator login role
    std::string jwt_secret;  // HS256 shared secret (the project's JWT secret)
    std::string secret_key = "sb_secret_local_stand_in_key";            // -> service_role
    std::string publishable_key = "sb_publishable_local_stand_in_key";  // -> anon
    bool safeupdate = true;  // Supabase preloads pg-safeupdate: unfiltered PATCH/DELETE -> 400
    int port = 0;            // 0 = a free port
    // A proxy's body limit (nginx's client_max_body_size): a request whose body is larger is
    // answered 413 with nginx's HTML page before auth, PostgREST or the database. 0 = none.
    std::size_t max_body_bytes = 0;
    // statement_timeout for the service role's requests, set for each request's transaction
    // the way PostgREST applies a role's own settings, so PostgreSQL itself cancels a slow
    // statement (57014 -> 500). Zero keeps the roles' settings.
    std::chrono::milliseconds statement_timeout{0};
    // false: requests() keeps each request without its body (the bench sends gigabytes).
    bool record_bodies = true;
};

class RestGateway {
  public:
    explicit RestGateway(GatewayOptions options);
    ~RestGateway();
    RestGateway(const RestGateway&) = delete;
    RestGateway& operator=(const RestGateway&) = delete;

    std::string base_url() const;                   // what SUPABASE_URL is set to
    std::vector<RecordedRequest> requests() const;  // every request received
    void clear_requests();
    // The next `count` requests whose method matches (empty = any) get `reply` without
    // touching the database.
    void inject_fault(std::string method, int count, Reply reply);
    // Called before each request is handled (tests use it to stop the database mid-run).
    void set_before_request(std::function<void(const RecordedRequest&)> hook);

  private:
    struct State;
    std::shared_ptr<State> state_;
    std::unique_ptr<LoopbackServer> server_;
};

// HS256 JWT with claims {"role": role, "iss": "supabase-local", "iat": now, "exp": now + ttl}.
std::string mint_jwt(const std::string& secret, const std::string& role,
                     std::chrono::seconds ttl = std::chrono::hours(24 * 365));

}  // namespace jobsync::testing
