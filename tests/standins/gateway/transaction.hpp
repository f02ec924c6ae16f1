// One request's transaction, as PostgREST runs it (notes 5.1; Query/PreQuery.hs): a fresh
// connection as the authenticator, BEGIN (READ ONLY for reads), the impersonated role's own
// settings (e.g. anon's 3 s statement_timeout), then role, request.jwt.claims, request.method,
// request.path and request.headers as transaction-local settings. Rolled back unless
// committed. Statement failures propagate as PgError.
#pragma once

#include <string>

#include "standins/gateway/auth.hpp"
#include "standins/gateway/statements.hpp"
#include "support/pg.hpp"

namespace jobsync::testing::gateway {

class Transaction {
  public:
    // Throws ApiError 503 PGRST000 when the database cannot be reached.
    Transaction(const std::string& conninfo, bool read_only);
    ~Transaction();
    Transaction(const Transaction&) = delete;
    Transaction& operator=(const Transaction&) = delete;

    PgConnection& connection() { return connection_; }
    // `statement_timeout` (e.g. "500ms"; empty: none) overrides the role's own setting.
    void become(const Identity& identity, const std::string& method, const std::string& path,
                const std::string& headers_json, const std::string& statement_timeout = "");
    PgRows run(const Statement& statement);
    void commit();

  private:
    PgConnection connection_;
    bool open_ = false;
};

// `conninfo` with a connect timeout added, so a vanished server fails fast instead of hanging.
std::string with_connect_timeout(const std::string& conninfo);

}  // namespace jobsync::testing::gateway
