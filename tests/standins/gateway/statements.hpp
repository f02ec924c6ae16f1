// The SQL PostgREST would run for a request (notes 1.2 and 2; Query/QueryBuilder.hs), built
// from parsed parts. Identifiers are quoted; every value from the request travels as a $n
// parameter, never inside the SQL text. Pure.
//
// Every statement returns one row: total (bigint or NULL), page_total (rows returned or
// affected), body (JSON array text), inserted (rows inserted, for upserts) and location
// (JSON object of the first row's primary key, for return=headers-only).
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "standins/gateway/payload.hpp"
#include "standins/gateway/prefer.hpp"
#include "standins/gateway/request_params.hpp"
#include "standins/gateway/table_info.hpp"
#include "support/pg.hpp"

namespace jobsync::testing::gateway {

struct Statement {
    std::string sql;
    std::vector<PgParam> params;
};

// Supabase's default "Max rows": caps GET results only (notes 6).
inline constexpr long long kMaxRows = 1000;

struct ReadWindow {
    long long offset = 0;
    std::optional<long long> limit;
};

Statement build_read(const TableInfo& table, const RequestParams& params, const ReadWindow& window,
                     bool count_total);

// `conflict_columns` empty means a plain INSERT (no resolution, or nothing to conflict on).
Statement build_insert(const TableInfo& table, const RequestParams& params, const Payload& payload,
                       const Preferences& preferences,
                       const std::vector<std::string>& conflict_columns);

// The rows come back (RETURNING every column, the JSON body) only for return=representation.
Statement build_update(const TableInfo& table, const RequestParams& params, const Payload& payload,
                       Return representation);

Statement build_delete(const TableInfo& table, const RequestParams& params, Return representation);

}  // namespace jobsync::testing::gateway
