// A small RAII wrapper over libpq, for the tests, the gateway and the dev tools (the service
// itself never talks to PostgreSQL: PostgREST is its only door).
#pragma once

#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

struct pg_conn;
struct pg_result;

namespace jobsync::testing {

// A failed statement, with PostgreSQL's fields so callers can map SQLSTATE to HTTP.
class PgError : public std::runtime_error {
  public:
    PgError(std::string sqlstate, std::string message, std::string detail, std::string hint);
    const std::string& sqlstate() const { return sqlstate_; }
    const std::string& message() const { return message_; }
    const std::string& detail() const { return detail_; }  // empty when none
    const std::string& hint() const { return hint_; }      // empty when none

  private:
    std::string sqlstate_, message_, detail_, hint_;
};

using PgParam = std::optional<std::string>;  // nullopt is SQL NULL

struct PgRows {
    std::vector<std::string> columns;
    std::vector<std::vector<std::optional<std::string>>> rows;  // text format; nullopt = NULL
    long affected = 0;  // PQcmdTuples for INSERT/UPDATE/DELETE

    // Value of `column` in row `row`; throws when the column does not exist.
    const std::optional<std::string>& at(std::size_t row, const std::string& column) const;
};

class PgConnection {
  public:
    explicit PgConnection(const std::string& conninfo);  // throws PgError when it cannot connect
    ~PgConnection();
    PgConnection(PgConnection&& other) noexcept;
    PgConnection& operator=(PgConnection&& other) noexcept;
    PgConnection(const PgConnection&) = delete;
    PgConnection& operator=(const PgConnection&) = delete;

    // One or more statements, no parameters (simple query protocol).
    PgRows exec(const std::string& sql);
    // One statement with $1..$n parameters (extended protocol, text format).
    PgRows exec_params(const std::string& sql, const std::vector<PgParam>& params);

    bool ok() const;    // connection still usable
    bool idle() const;  // usable and outside any transaction: fit to be reused

  private:
    pg_conn* conn_ = nullptr;
};

}  // namespace jobsync::testing
