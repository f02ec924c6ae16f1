#include "support/pg.hpp"

#include <libpq-fe.h>

#include <memory>
#include <utility>

#include "text/strings.hpp"

namespace jobsync::testing {

namespace {

// SQLSTATEs for failures libpq reports without one: cannot connect, and connection lost.
constexpr const char* kCannotConnect = "08001";
constexpr const char* kConnectionLost = "08006";

std::string field(const PGresult* result, int code) {
    const char* value = PQresultErrorField(result, code);
    return value ? value : "";
}

// Without the trailing newline libpq appends to its own messages.
std::string libpq_message(const char* message) { return std::string(text::trim_end(message)); }

void ignore_notice(void*, const char*) {}  // keeps NOTICEs (IF NOT EXISTS ...) off stderr

struct ResultDeleter {
    void operator()(PGresult* result) const { PQclear(result); }
};
using ResultPtr = std::unique_ptr<PGresult, ResultDeleter>;

PgRows to_rows(PGconn* conn, ResultPtr result) {
    if (!result) {
        throw PgError(kConnectionLost, libpq_message(PQerrorMessage(conn)), "", "");
    }
    const ExecStatusType status = PQresultStatus(result.get());
    if (status != PGRES_COMMAND_OK && status != PGRES_TUPLES_OK) {
        std::string message = field(result.get(), PG_DIAG_MESSAGE_PRIMARY);
        if (message.empty()) message = libpq_message(PQresultErrorMessage(result.get()));
        if (message.empty()) message = libpq_message(PQerrorMessage(conn));
        std::string sqlstate = field(result.get(), PG_DIAG_SQLSTATE);
        // No SQLSTATE: libpq itself failed, usually because the server went away.
        if (sqlstate.empty()) {
            sqlstate = PQstatus(conn) == CONNECTION_OK ? "XX000" : kConnectionLost;
        }
        throw PgError(std::move(sqlstate), std::move(message),
                      field(result.get(), PG_DIAG_MESSAGE_DETAIL),
                      field(result.get(), PG_DIAG_MESSAGE_HINT));
    }
    PgRows rows;
    const int columns = PQnfields(result.get());
    const int tuples = PQntuples(result.get());
    rows.columns.reserve(static_cast<std::size_t>(columns));
    for (int c = 0; c < columns; ++c) rows.columns.emplace_back(PQfname(result.get(), c));
    rows.rows.reserve(static_cast<std::size_t>(tuples));
    for (int r = 0; r < tuples; ++r) {
        std::vector<std::optional<std::string>> row;
        row.reserve(static_cast<std::size_t>(columns));
        for (int c = 0; c < columns; ++c) {
            if (PQgetisnull(result.get(), r, c)) {
                row.emplace_back(std::nullopt);
            } else {
                row.emplace_back(
                    std::string(PQgetvalue(result.get(), r, c),
                                static_cast<std::size_t>(PQgetlength(result.get(), r, c))));
            }
        }
        rows.rows.push_back(std::move(row));
    }
    const std::string affected = PQcmdTuples(result.get());
    rows.affected = affected.empty() ? 0 : std::stol(affected);
    return rows;
}

}  // namespace

PgError::PgError(std::string sqlstate, std::string message, std::string detail, std::string hint)
    : std::runtime_error(sqlstate + ": " + message + (detail.empty() ? "" : " (" + detail + ")")),
      sqlstate_(std::move(sqlstate)),
      message_(std::move(message)),
      detail_(std::move(detail)),
      hint_(std::move(hint)) {}

const std::optional<std::string>& PgRows::at(std::size_t row, const std::string& column) const {
    for (std::size_t c = 0; c < columns.size(); ++c) {
        if (columns[c] == column) return rows.at(row).at(c);
    }
    throw std::out_of_range("no column '" + column + "' in the result");
}

PgConnection::PgConnection(const std::string& conninfo) : conn_(PQconnectdb(conninfo.c_str())) {
    if (!conn_ || PQstatus(conn_) != CONNECTION_OK) {
        std::string message = conn_ ? libpq_message(PQerrorMessage(conn_)) : "out of memory";
        if (conn_) PQfinish(conn_);
        conn_ = nullptr;
        throw PgError(kCannotConnect, "cannot connect to PostgreSQL: " + message, "", "");
    }
    PQsetNoticeProcessor(conn_, ignore_notice, nullptr);
}

PgConnection::~PgConnection() {
    if (conn_) PQfinish(conn_);
}

PgConnection::PgConnection(PgConnection&& other) noexcept
    : conn_(std::exchange(other.conn_, nullptr)) {}

PgConnection& PgConnection::operator=(PgConnection&& other) noexcept {
    if (this != &other) {
        if (conn_) PQfinish(conn_);
        conn_ = std::exchange(other.conn_, nullptr);
    }
    return *this;
}

PgRows PgConnection::exec(const std::string& sql) {
    if (!conn_) throw PgError(kConnectionLost, "connection was moved from", "", "");
    // PQexec returns only the last result of a multi-statement string, and stops at the
    // first error, which is exactly what a migration file needs.
    return to_rows(conn_, ResultPtr(PQexec(conn_, sql.c_str())));
}

PgRows PgConnection::exec_params(const std::string& sql, const std::vector<PgParam>& params) {
    if (!conn_) throw PgError(kConnectionLost, "connection was moved from", "", "");
    std::vector<const char*> values;
    values.reserve(params.size());
    for (const auto& param : params) values.push_back(param ? param->c_str() : nullptr);
    return to_rows(
        conn_, ResultPtr(PQexecParams(conn_, sql.c_str(), static_cast<int>(values.size()), nullptr,
                                      values.data(), nullptr, nullptr, 0)));
}

bool PgConnection::ok() const { return conn_ && PQstatus(conn_) == CONNECTION_OK; }

bool PgConnection::idle() const { return ok() && PQtransactionStatus(conn_) == PQTRANS_IDLE; }

}  // namespace jobsync::testing
