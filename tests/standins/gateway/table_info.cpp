#include "standins/gateway/table_info.hpp"

#include <algorithm>
#include <map>

namespace jobsync::testing::gateway {

namespace {

constexpr const char* kColumnsSql = R"sql(
SELECT a.attname,
       format_type(a.atttypid, a.atttypmod) AS type,
       pg_get_expr(d.adbin, d.adrelid) AS default_expr,
       array_position(i.indkey::int2[], a.attnum) AS pk_position
FROM pg_class c
JOIN pg_namespace n ON n.oid = c.relnamespace
JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped
LEFT JOIN pg_attrdef d ON d.adrelid = c.oid AND d.adnum = a.attnum
LEFT JOIN pg_index i ON i.indrelid = c.oid AND i.indisprimary
WHERE n.nspname = $1 AND c.relname = $2 AND c.relkind IN ('r', 'v', 'm', 'f', 'p')
ORDER BY a.attnum
)sql";

}  // namespace

const ColumnInfo* TableInfo::column(std::string_view column_name) const {
    for (const auto& c : columns) {
        if (c.name == column_name) return &c;
    }
    return nullptr;
}

std::optional<TableInfo> load_table(PgConnection& connection, const std::string& schema,
                                    const std::string& table) {
    const PgRows rows = connection.exec_params(kColumnsSql, {schema, table});
    if (rows.rows.empty()) return std::nullopt;
    TableInfo info{schema, table, {}, {}};
    std::map<int, std::string> key_columns;
    for (std::size_t r = 0; r < rows.rows.size(); ++r) {
        ColumnInfo column;
        column.name = rows.at(r, "attname").value_or("");
        column.type = rows.at(r, "type").value_or("text");
        column.default_expr = rows.at(r, "default_expr");
        if (const auto& position = rows.at(r, "pk_position")) {
            key_columns[std::stoi(*position)] = column.name;
        }
        info.columns.push_back(std::move(column));
    }
    for (auto& [position, name] : key_columns) info.primary_key.push_back(std::move(name));
    return info;
}

}  // namespace jobsync::testing::gateway
