// What PostgREST's schema cache knows about a table: its columns (name, type, default) and
// primary key. Read from the catalogs on every request, so migrations applied after the
// gateway started are seen at once (real PostgREST needs NOTIFY pgrst, 'reload schema').
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "support/pg.hpp"

namespace jobsync::testing::gateway {

struct ColumnInfo {
    std::string name;
    std::string type;                         // format_type(), e.g. "timestamp with time zone"
    std::optional<std::string> default_expr;  // pg_get_expr() of the DEFAULT, if any
};

struct TableInfo {
    std::string schema;
    std::string name;
    std::vector<ColumnInfo> columns;       // in attnum order
    std::vector<std::string> primary_key;  // in key order; empty when none

    const ColumnInfo* column(std::string_view column_name) const;
};

std::optional<TableInfo> load_table(PgConnection& connection, const std::string& schema,
                                    const std::string& table);

}  // namespace jobsync::testing::gateway
