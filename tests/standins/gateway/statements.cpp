#include "standins/gateway/statements.hpp"

namespace jobsync::testing::gateway {

namespace {

std::string qualified(const TableInfo& table) {
    return quote_ident(table.schema) + "." + quote_ident(table.name);
}

std::string join(const std::vector<std::string>& parts, const char* separator) {
    std::string out;
    for (std::size_t i = 0; i < parts.size(); ++i) out += (i ? separator : "") + parts[i];
    return out;
}

std::string next_param(std::vector<PgParam>& params, std::string value) {
    params.emplace_back(std::move(value));
    return "$" + std::to_string(params.size());
}

// Parameters are untyped, so PostgreSQL infers the column's type and parses the text itself
// (a bad timestamp is its 22007, as with PostgREST's unknown-typed literals).
std::string filter_sql(const std::string& source, const Filter& filter,
                       std::vector<PgParam>& params) {
    const std::string column = source + "." + quote_ident(filter.column);
    std::string condition;
    switch (filter.op) {
        case FilterOp::eq:
            condition = column + " = " + next_param(params, filter.value);
            break;
        case FilterOp::neq:
            condition = column + " <> " + next_param(params, filter.value);
            break;
        case FilterOp::gt:
            condition = column + " > " + next_param(params, filter.value);
            break;
        case FilterOp::gte:
            condition = column + " >= " + next_param(params, filter.value);
            break;
        case FilterOp::lt:
            condition = column + " < " + next_param(params, filter.value);
            break;
        case FilterOp::lte:
            condition = column + " <= " + next_param(params, filter.value);
            break;
        case FilterOp::like:
            condition = column + " LIKE " + next_param(params, like_pattern(filter.value));
            break;
        case FilterOp::ilike:
            condition = column + " ILIKE " + next_param(params, like_pattern(filter.value));
            break;
        case FilterOp::isdistinct:
            condition = column + " IS DISTINCT FROM " + next_param(params, filter.value);
            break;
        case FilterOp::in:
            condition = column + " = ANY (" + next_param(params, array_literal(filter.list)) + ")";
            break;
        case FilterOp::is: {
            const std::string& v = filter.value;
            const std::string keyword = v == "null"       ? "NULL"
                                        : v == "not_null" ? "NOT NULL"
                                        : v == "true"     ? "TRUE"
                                        : v == "false"    ? "FALSE"
                                                          : "UNKNOWN";
            condition = column + " IS " + keyword;
            break;
        }
    }
    return filter.negated ? "NOT (" + condition + ")" : condition;
}

std::string logic_sql(const std::string& source, const LogicTree& tree,
                      std::vector<PgParam>& params) {
    if (tree.kind == LogicTree::Kind::filter) return filter_sql(source, tree.filter, params);
    std::vector<std::string> parts;
    for (const auto& child : tree.children) parts.push_back(logic_sql(source, child, params));
    const std::string joined =
        "(" + join(parts, tree.kind == LogicTree::Kind::all_of ? " AND " : " OR ") + ")";
    return tree.negated ? "NOT " + joined : joined;
}

std::string where_sql(const std::string& source, const RequestParams& request,
                      std::vector<PgParam>& params) {
    std::vector<std::string> conditions;
    for (const auto& f : request.filters) conditions.push_back(filter_sql(source, f, params));
    for (const auto& t : request.logic) conditions.push_back(logic_sql(source, t, params));
    if (conditions.empty()) return "";
    return " WHERE " + join(conditions, " AND ");
}

// The ?select list over `source`. "*" is spelled out from the catalog so that helper columns
// of a write's CTE (pgrst_inserted) never leak into the representation.
std::string select_sql(const TableInfo& table, const std::vector<SelectItem>& items,
                       const std::string& source) {
    std::vector<std::string> parts;
    auto all_columns = [&] {
        for (const auto& c : table.columns) parts.push_back(source + "." + quote_ident(c.name));
    };
    if (items.empty()) all_columns();
    for (const auto& item : items) {
        if (item.column == "*") {
            all_columns();
            continue;
        }
        std::string expr = source + "." + quote_ident(item.column);
        if (!item.cast.empty()) expr = "CAST(" + expr + " AS " + item.cast + ")";
        const std::string& name = item.alias.empty() ? item.column : item.alias;
        parts.push_back(expr + " AS " + quote_ident(name));
    }
    return join(parts, ", ");
}

std::string order_sql(const std::string& source, const std::vector<OrderTerm>& order) {
    if (order.empty()) return "";
    std::vector<std::string> terms;
    for (const auto& term : order) {
        std::string sql =
            source + "." + quote_ident(term.column) + (term.descending ? " DESC" : " ASC");
        if (term.nulls == OrderTerm::Nulls::first) sql += " NULLS FIRST";
        if (term.nulls == OrderTerm::Nulls::last) sql += " NULLS LAST";
        terms.push_back(sql);
    }
    return " ORDER BY " + join(terms, ", ");
}

std::string string_literal(const std::string& text) {
    std::string out = "'";
    for (char c : text) out += c == '\'' ? std::string("''") : std::string(1, c);
    return out + "'";
}

// What every write returns, from the CTE pgrst_source.
// What a write returns per row (notes 1.1, `Statements.hs` mainWrite): every column when the
// client asked for the rows back (return=representation); otherwise only the primary key, which
// the Location header of return=headers-only needs, or nothing. Counts work either way.
std::string returning_sql(const TableInfo& table, Return representation) {
    if (representation == Return::representation) return qualified(table) + ".*";
    std::vector<std::string> keys;
    for (const auto& k : table.primary_key) keys.push_back(qualified(table) + "." + quote_ident(k));
    return keys.empty() ? "1" : join(keys, ", ");
}

std::string write_result_sql(const TableInfo& table, const RequestParams& params,
                             Return representation, bool counts_inserts) {
    std::string location = "NULL::text";
    if (!table.primary_key.empty()) {
        std::vector<std::string> keys;
        for (const auto& k : table.primary_key) keys.push_back("pgrst_source." + quote_ident(k));
        location = "(SELECT row_to_json(pk)::text FROM (SELECT " + join(keys, ", ") +
                   " FROM pgrst_source LIMIT 1) pk)";
    }
    const std::string body = representation == Return::representation
                                 ? "(SELECT coalesce(json_agg(_postgrest_t), '[]')::text FROM "
                                   "(SELECT " +
                                       select_sql(table, params.select, "pgrst_source") +
                                       " FROM pgrst_source) _postgrest_t)"
                                 : std::string("''");
    return "SELECT NULL::bigint AS total, (SELECT count(*) FROM pgrst_source) AS page_total, " +
           body + " AS body, " +
           (counts_inserts ? "(SELECT count(*) FROM pgrst_source WHERE pgrst_inserted)"
                           : "NULL::bigint") +
           " AS inserted, " + location + " AS location";
}

std::string record_definition(const TableInfo& table, const std::vector<std::string>& columns) {
    std::vector<std::string> defs;
    for (const auto& name : columns) {
        const ColumnInfo* column = table.column(name);
        defs.push_back(quote_ident(name) + " " + (column ? column->type : "text"));
    }
    return join(defs, ", ");
}

// The body as a JSON(B) array, objects wrapped (PostgREST accepts both); with missing=default
// each element is laid over an object of the payload columns' DEFAULT expressions (notes 1.2).
std::string body_source(const TableInfo& table, const Payload& payload, bool apply_defaults,
                        const std::string& param) {
    const std::string as_array = "CASE WHEN json_typeof(" + param + "::json) = 'array' THEN " +
                                 param + "::json ELSE json_build_array(" + param + "::json) END";
    if (!apply_defaults) return as_array;
    std::vector<std::string> defaults;
    for (const auto& name : payload.columns) {
        const ColumnInfo* column = table.column(name);
        if (column && column->default_expr) {
            defaults.push_back(string_literal(name) + ", " + *column->default_expr);
        }
    }
    return "(SELECT coalesce(jsonb_agg(jsonb_build_object(" + join(defaults, ", ") +
           ") || pgrst_element), '[]'::jsonb) FROM jsonb_array_elements((" + as_array +
           ")::jsonb) pgrst_element)";
}

}  // namespace

Statement build_read(const TableInfo& table, const RequestParams& params, const ReadWindow& window,
                     bool count_total) {
    Statement statement;
    const std::string source = qualified(table);
    const std::string where = where_sql(source, params, statement.params);
    const long long limit = std::min(window.limit.value_or(kMaxRows), kMaxRows);
    const std::string total =
        count_total ? "(SELECT count(*) FROM " + source + where + ")" : "NULL::bigint";
    statement.sql = "SELECT " + total +
                    " AS total, count(_postgrest_t) AS page_total, "
                    "coalesce(json_agg(_postgrest_t), '[]')::text AS body, "
                    "NULL::bigint AS inserted, NULL::text AS location FROM (SELECT " +
                    select_sql(table, params.select, source) + " FROM " + source + where +
                    order_sql(source, params.order) + " LIMIT " + std::to_string(limit) +
                    " OFFSET " + std::to_string(window.offset) + ") _postgrest_t";
    return statement;
}

Statement build_insert(const TableInfo& table, const RequestParams& params, const Payload& payload,
                       const Preferences& preferences,
                       const std::vector<std::string>& conflict_columns) {
    Statement statement;
    const std::string body = next_param(statement.params, payload.json);
    const bool apply_defaults = preferences.missing == Missing::apply_default;
    const std::string recordset = apply_defaults ? "jsonb_to_recordset" : "json_to_recordset";
    std::vector<std::string> quoted, from_body, updates;
    for (const auto& c : payload.columns) {
        quoted.push_back(quote_ident(c));
        from_body.push_back("pgrst_body." + quote_ident(c));
        updates.push_back(quote_ident(c) + " = EXCLUDED." + quote_ident(c));
    }
    const bool merge =
        !conflict_columns.empty() && preferences.resolution == Resolution::merge_duplicates;
    std::string sql = "WITH pgrst_source AS (INSERT INTO " + qualified(table);
    if (!payload.columns.empty()) sql += "(" + join(quoted, ", ") + ")";
    sql += " SELECT " + join(from_body, ", ") + " FROM (SELECT " +
           body_source(table, payload, apply_defaults, body) +
           " AS json_data) pgrst_payload, LATERAL (SELECT " +
           (payload.columns.empty() ? std::string("1") : join(quoted, ", ")) + " FROM " +
           (payload.columns.empty()
                ? std::string("json_array_elements(pgrst_payload.json_data::json) _")
                : recordset + "(pgrst_payload.json_data) AS _(" +
                      record_definition(table, payload.columns) + ")") +
           ") pgrst_body";
    if (!conflict_columns.empty()) {
        std::vector<std::string> target;
        for (const auto& c : conflict_columns) target.push_back(quote_ident(c));
        sql += " ON CONFLICT(" + join(target, ", ") + ")";
        // Every payload column and nothing else, so columns the payload lacks keep their
        // values (notes 1.2); no payload columns at all degrades to DO NOTHING.
        sql += merge && !updates.empty() ? " DO UPDATE SET " + join(updates, ", ") : " DO NOTHING";
    }
    const Return representation = preferences.representation.value_or(Return::minimal);
    sql +=
        " RETURNING " + returning_sql(table, representation) + ", (xmax = 0) AS pgrst_inserted) ";
    statement.sql = sql + write_result_sql(table, params, representation, true);
    return statement;
}

Statement build_update(const TableInfo& table, const RequestParams& params, const Payload& payload,
                       Return representation) {
    Statement statement;
    const std::string body = next_param(statement.params, payload.json);
    const std::string source = qualified(table);
    std::vector<std::string> quoted, sets;
    for (const auto& c : payload.columns) {
        quoted.push_back(quote_ident(c));
        sets.push_back(quote_ident(c) + " = pgrst_body." + quote_ident(c));
    }
    const std::string where = where_sql(source, params, statement.params);
    statement.sql = "WITH pgrst_source AS (UPDATE " + source + " SET " + join(sets, ", ") +
                    " FROM (SELECT " + body_source(table, payload, false, body) +
                    " AS json_data) pgrst_payload, LATERAL (SELECT " + join(quoted, ", ") +
                    " FROM json_to_recordset(pgrst_payload.json_data) AS _(" +
                    record_definition(table, payload.columns) + ") LIMIT 1) pgrst_body" + where +
                    " RETURNING " + returning_sql(table, representation) + ") " +
                    write_result_sql(table, params, representation, false);
    return statement;
}

Statement build_delete(const TableInfo& table, const RequestParams& params, Return representation) {
    Statement statement;
    const std::string source = qualified(table);
    const std::string where = where_sql(source, params, statement.params);
    statement.sql = "WITH pgrst_source AS (DELETE FROM " + source + where + " RETURNING " +
                    returning_sql(table, representation) + ") " +
                    write_result_sql(table, params, representation, false);
    return statement;
}

}  // namespace jobsync::testing::gateway
