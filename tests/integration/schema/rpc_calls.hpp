// Calls of the run functions as PostgREST makes them: one transaction as an API role (after
// `SET LOCAL ROLE`) on the authenticator connection, shared by the run-history and shard tests.
#pragma once

#include <map>
#include <string>

#include "support/pg.hpp"

namespace jobsync::testing {

using Fields = std::map<std::string, std::string>;  // a jsonb object's keys -> text ("<null>")

// One PostgREST-like request: a transaction as `role` that runs `select_sql` (a jsonb
// expression) and commits.
inline Fields call_as(PgConnection& connection, const std::string& role,
                      const std::string& select_sql) {
    connection.exec("BEGIN");
    Fields fields;
    try {
        connection.exec("SET LOCAL ROLE " + role);
        const PgRows rows = connection.exec(
            "SELECT key, coalesce(value #>> '{}', '<null>') AS v "
            "FROM jsonb_each((" +
            select_sql + "))");
        for (std::size_t i = 0; i < rows.rows.size(); ++i) {
            fields[*rows.at(i, "key")] = *rows.at(i, "v");
        }
        connection.exec("COMMIT");
    } catch (...) {
        connection.exec("ROLLBACK");
        throw;
    }
    return fields;
}

// As the service role, the one job-sync calls with.
inline Fields call(PgConnection& connection, const std::string& select_sql) {
    return call_as(connection, "service_role", select_sql);
}

// The SQLSTATE `sql` fails with as `role` (rolled back), or "ok".
inline std::string outcome_as(PgConnection& connection, const std::string& role,
                              const std::string& sql) {
    connection.exec("BEGIN");
    std::string result = "ok";
    try {
        connection.exec("SET LOCAL ROLE " + role);
        connection.exec(sql);
    } catch (const PgError& error) {
        result = error.sqlstate();
    }
    connection.exec("ROLLBACK");
    return result;
}

}  // namespace jobsync::testing
