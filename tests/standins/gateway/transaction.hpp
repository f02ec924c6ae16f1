// One request's transaction, as PostgREST runs it (notes 5.1; Query/PreQuery.hs): a pooled
// connection as the authenticator, BEGIN (READ ONLY for reads), the impersonated role's own
// settings (e.g. anon's 3 s statement_timeout), then role, request.jwt.claims, request.method,
// request.path and request.headers as transaction-local settings. Rolled back unless
// committed; the connection then goes back to the pool. Statement failures propagate as
// PgError.
#pragma once

#include <chrono>
#include <string>

#include "standins/gateway/auth.hpp"
#include "standins/gateway/connection_pool.hpp"
#include "standins/gateway/statements.hpp"
#include "support/pg.hpp"

namespace jobsync::testing::gateway {

class Transaction {
  public:
    // Throws ApiError 503 PGRST000 when the database cannot be reached.
    Transaction(ConnectionPool& pool, bool read_only);
    ~Transaction();
    Transaction(const Transaction&) = delete;
    Transaction& operator=(const Transaction&) = delete;

    PgConnection& connection() { return connection_; }
    // `service_statement_timeout` (GatewayOptions::statement_timeout), when positive,
    // overrides service_role's own statement_timeout.
    void become(const Identity& identity, const std::string& method, const std::string& path,
                const http::Headers& headers,
                std::chrono::milliseconds service_statement_timeout = {});
    // After a catalog look-up, before the main statement: what a read needs (PostgREST runs
    // GET and non-volatile functions READ ONLY).
    void make_read_only();
    PgRows run(const Statement& statement);
    void commit();

  private:
    ConnectionPool& pool_;
    PgConnection connection_;
    bool open_ = false;
};

}  // namespace jobsync::testing::gateway
