#include "standins/gateway/transaction.hpp"

#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include <optional>

#include "text/strings.hpp"

namespace jobsync::testing::gateway {

namespace {

constexpr const char* kSearchPath = "public, extensions";

// The role's ALTER ROLE ... SET values that a user may set (statement_timeout and the like),
// applied as transaction settings: what PostgREST calls "impersonated role settings".
constexpr const char* kRoleSettingsSql = R"sql(
SELECT set_config(kv.name, kv.value, true)
FROM (SELECT split_part(c, '=', 1) AS name, substr(c, strpos(c, '=') + 1) AS value
      FROM pg_db_role_setting s
      JOIN pg_roles r ON r.oid = s.setrole
      CROSS JOIN LATERAL unnest(s.setconfig) AS c
      WHERE r.rolname = $1
        AND s.setdatabase IN (0, (SELECT oid FROM pg_database
                                  WHERE datname = current_database()))) kv
JOIN pg_settings ps ON ps.name = kv.name AND ps.context = 'user'
)sql";

// set_config('role', ...) is SET LOCAL ROLE with the name as a parameter; an unknown role is
// 22023 "role ... does not exist", which maps to 401 (notes 4.2).
constexpr const char* kRequestSettingsSql =
    "SELECT set_config('search_path', $1, true), set_config('role', $2, true), "
    "set_config('request.jwt.claims', $3, true), set_config('request.method', $4, true), "
    "set_config('request.path', $5, true), set_config('request.headers', $6, true)";

// request.headers: the headers as a JSON object, names lower-cased.
std::string headers_json(const http::Headers& headers) {
    rapidjson::StringBuffer buffer;
    rapidjson::Writer<rapidjson::StringBuffer> writer(buffer);
    writer.StartObject();
    for (const auto& [name, value] : headers) {
        const std::string key = text::to_lower(name);
        writer.Key(key.c_str(), static_cast<rapidjson::SizeType>(key.size()));
        writer.String(value.c_str(), static_cast<rapidjson::SizeType>(value.size()));
    }
    writer.EndObject();
    return buffer.GetString();
}

const char* begin_sql(bool read_only) {
    return read_only ? "BEGIN ISOLATION LEVEL READ COMMITTED READ ONLY"
                     : "BEGIN ISOLATION LEVEL READ COMMITTED READ WRITE";
}

// A connection inside a new transaction: an idle one from the pool if it still works, else a
// new one (a pooled connection the server closed, e.g. across a restart, fails its BEGIN).
PgConnection begin(ConnectionPool& pool, bool read_only) {
    if (std::optional<PgConnection> idle = pool.take_idle()) {
        try {
            idle->exec(begin_sql(read_only));
            return std::move(*idle);
        } catch (const PgError&) {
            if (idle->ok()) throw;
        }
    }
    PgConnection fresh = pool.open();
    fresh.exec(begin_sql(read_only));
    return fresh;
}

}  // namespace

Transaction::Transaction(ConnectionPool& pool, bool read_only)
    : pool_(pool), connection_(begin(pool, read_only)), open_(true) {}

Transaction::~Transaction() {
    if (open_) {
        try {
            connection_.exec("ROLLBACK");
        } catch (...) {
            // The connection is not idle then, so the pool closes it: nothing is left behind.
        }
    }
    pool_.give_back(std::move(connection_));
}

void Transaction::become(const Identity& identity, const std::string& method,
                         const std::string& path, const http::Headers& headers,
                         std::chrono::milliseconds service_statement_timeout) {
    connection_.exec_params(kRoleSettingsSql, {identity.role});
    if (service_statement_timeout.count() > 0 && identity.role == "service_role") {
        connection_.exec_params("SELECT set_config('statement_timeout', $1, true)",
                                {std::to_string(service_statement_timeout.count()) + "ms"});
    }
    connection_.exec_params(kRequestSettingsSql, {kSearchPath, identity.role, identity.claims_json,
                                                  method, path, headers_json(headers)});
}

void Transaction::make_read_only() { connection_.exec("SET TRANSACTION READ ONLY"); }

PgRows Transaction::run(const Statement& statement) {
    return connection_.exec_params(statement.sql, statement.params);
}

void Transaction::commit() {
    connection_.exec("COMMIT");
    open_ = false;
}

}  // namespace jobsync::testing::gateway
