// The authenticator connections a gateway keeps between requests, as PostgREST keeps its pool
// (db-pool, 10 by default; notes 5.1): a request takes an idle connection or opens one, and
// gives it back once its transaction has ended. A connection that broke or is still inside a
// transaction is closed instead. Each request's settings are transaction-local, so nothing of
// one request is left for the next.
#pragma once

#include <cstddef>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "support/pg.hpp"

namespace jobsync::testing::gateway {

class ConnectionPool {
  public:
    explicit ConnectionPool(std::string conninfo, std::size_t max_idle = 10);
    ConnectionPool(const ConnectionPool&) = delete;
    ConnectionPool& operator=(const ConnectionPool&) = delete;

    // The most recently returned idle connection, if any. The server may have closed it since
    // (a restart): its first statement then fails and the caller opens a new one.
    std::optional<PgConnection> take_idle();
    // A new connection, with a connect timeout so a vanished server fails fast. Throws
    // ApiError 503 PGRST000 when the database cannot be reached.
    PgConnection open() const;
    // Kept when idle and fewer than `max_idle` are kept, else closed.
    void give_back(PgConnection connection);

  private:
    const std::string conninfo_;
    const std::size_t max_idle_;
    std::mutex mutex_;
    std::vector<PgConnection> idle_;
};

// `conninfo` with a connect timeout added, so a vanished server fails fast instead of hanging.
std::string with_connect_timeout(const std::string& conninfo);

}  // namespace jobsync::testing::gateway
