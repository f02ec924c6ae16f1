#include "standins/gateway/connection_pool.hpp"

#include "standins/gateway/api_error.hpp"

namespace jobsync::testing::gateway {

std::string with_connect_timeout(const std::string& conninfo) {
    if (conninfo.find("connect_timeout") != std::string::npos) return conninfo;
    if (conninfo.find("://") != std::string::npos) {
        return conninfo + (conninfo.find('?') == std::string::npos ? "?" : "&") +
               "connect_timeout=5";
    }
    return conninfo + " connect_timeout=5";
}

ConnectionPool::ConnectionPool(std::string conninfo, std::size_t max_idle)
    : conninfo_(with_connect_timeout(conninfo)), max_idle_(max_idle) {}

std::optional<PgConnection> ConnectionPool::take_idle() {
    std::lock_guard lock(mutex_);
    if (idle_.empty()) return std::nullopt;
    PgConnection connection = std::move(idle_.back());
    idle_.pop_back();
    return connection;
}

PgConnection ConnectionPool::open() const {
    try {
        return PgConnection(conninfo_);
    } catch (const PgError& error) {
        throw ApiError(503, "PGRST000", "Database connection error. Retrying the connection.",
                       error.message());
    }
}

void ConnectionPool::give_back(PgConnection connection) {
    if (!connection.idle()) return;  // closed by its destructor
    std::lock_guard lock(mutex_);
    if (idle_.size() < max_idle_) idle_.push_back(std::move(connection));
}

}  // namespace jobsync::testing::gateway
