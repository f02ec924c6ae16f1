#include "standins/gateway/rpc.hpp"

#include <algorithm>
#include <set>

#include "standins/gateway/api_error.hpp"
#include "standins/gateway/http_mapping.hpp"
#include "standins/gateway/transaction.hpp"

namespace jobsync::testing::gateway {

namespace {

constexpr const char* kSchema = "public";

std::string join(const std::vector<std::string>& parts, const char* separator) {
    std::string out;
    for (std::size_t i = 0; i < parts.size(); ++i) out += (i ? separator : "") + parts[i];
    return out;
}

// Asjson*F in Query/SqlFragment.hs: the aggregate that becomes the response body.
std::string body_sql(const RoutineInfo& routine) {
    const bool scalar = routine.returns == RoutineInfo::Returns::scalar;
    if (routine.returns == RoutineInfo::Returns::nothing) return "''";
    const std::string value = scalar ? "_postgrest_t.pgrst_scalar" : "_postgrest_t";
    if (routine.returns_set) return "coalesce(json_agg(" + value + "), '[]')::text";
    return "coalesce((json_agg(" + value + ")->0)::text, 'null')";
}

void refuse_unsupported(const RpcRequest& rpc) {
    const std::string& method = rpc.request.method;
    if (method == "GET" || method == "HEAD") {
        throw ApiError(400, "PGRST127", "Feature not implemented",
                       "GET and HEAD on /rpc are not supported by this stand-in; use POST");
    }
    if (method != "POST") {
        throw ApiError(405, "PGRST101", "Cannot use the " + method + " method on RPC");
    }
    const RequestParams& p = rpc.params;
    if (!p.select.empty() || has_row_filter(p) || !p.order.empty() || p.limit || p.offset ||
        p.on_conflict) {
        throw ApiError(400, "PGRST127", "Feature not implemented",
                       "select, filters, order, limit and offset on /rpc results are not "
                       "supported by this stand-in");
    }
    const std::string type = rpc.request.header("Content-Type").value_or("application/json");
    if (!rpc.request.body.empty() && type.rfind("application/json", 0) != 0) {
        throw ApiError(400, "PGRST127", "Feature not implemented",
                       "only JSON bodies are supported on /rpc by this stand-in");
    }
}

Reply respond(const RpcRequest& rpc, const RoutineInfo& routine, const PgRows& rows) {
    const long long page_total = std::stoll(rows.at(0, "page_total").value_or("0"));
    std::optional<long long> total;
    if (should_count(rpc.preferences)) total = page_total;
    Reply reply;
    reply.headers.emplace_back("Content-Range", content_range(0, page_total - 1, total));
    if (auto applied = preference_applied(rpc.preferences, Mutation::call, false)) {
        reply.headers.emplace_back("Preference-Applied", *applied);
    }
    if (routine.returns == RoutineInfo::Returns::nothing) {
        reply.status = 204;  // no Content-Type, no body (Response.hs, #2001)
        return reply;
    }
    reply.status = 200;
    reply.headers.emplace_back("Content-Type", kJsonContentType);
    reply.body = rows.at(0, "body").value_or("null");
    return reply;
}

}  // namespace

Statement build_call(const RoutineInfo& routine, const Payload& payload) {
    Statement statement;
    std::vector<std::string> columns, definitions, arguments;
    for (const auto& param : routine.params) {
        if (std::find(payload.columns.begin(), payload.columns.end(), param.name) ==
            payload.columns.end()) {
            continue;  // left to its DEFAULT
        }
        const std::string name = quote_ident(param.name);
        columns.push_back(name);
        definitions.push_back(name + " " + param.type);
        arguments.push_back(std::string(param.variadic ? "VARIADIC " : "") + name +
                            " := pgrst_body." + name);
    }
    const std::string function = quote_ident(routine.schema) + "." + quote_ident(routine.name) +
                                 "(" + join(arguments, ", ") + ")";
    const bool scalar = routine.returns != RoutineInfo::Returns::composite;
    const std::string call =
        scalar ? "(SELECT " + function + " pgrst_scalar) pgrst_call" : function + " pgrst_call";
    std::string from = call;
    if (!columns.empty()) {
        statement.params.emplace_back(payload.json);
        // The first object of the body, typed as the parameters (fromJsonBodyF, LIMIT 1).
        from =
            "(SELECT CASE WHEN json_typeof($1::json) = 'array' THEN $1::json "
            "ELSE json_build_array($1::json) END AS json_data) pgrst_payload, "
            "LATERAL (SELECT " +
            join(columns, ", ") + " FROM json_to_recordset(pgrst_payload.json_data) AS _(" +
            join(definitions, ", ") + ") LIMIT 1) pgrst_body, LATERAL " + call;
    }
    const std::string page_total = routine.returns_set ? "count(_postgrest_t)" : "1";
    statement.sql = "WITH pgrst_source AS (SELECT " +
                    std::string(scalar ? "pgrst_call.pgrst_scalar" : "pgrst_call.*") + " FROM " +
                    from + ") SELECT NULL::bigint AS total, " + page_total + " AS page_total, " +
                    body_sql(routine) +
                    " AS body, NULL::bigint AS inserted, NULL::text AS location "
                    "FROM pgrst_source _postgrest_t";
    return statement;
}

Reply serve_rpc(const RpcRequest& rpc) {
    refuse_unsupported(rpc);
    // An empty body is an empty object (RpcSpec "interprets empty string as empty json").
    const Payload payload =
        parse_payload(rpc.request.body.empty() ? "{}" : rpc.request.body, rpc.params.columns);
    const std::set<std::string> names(payload.columns.begin(), payload.columns.end());

    Transaction tx(rpc.pool, /*read_only=*/false);
    const std::vector<RoutineInfo> routines = load_routines(tx.connection(), kSchema, rpc.function);
    const RoutineInfo& routine = find_routine(routines, kSchema, rpc.function, names);
    const Preferences& prefs = rpc.preferences;
    const bool strict_max = prefs.handling == Handling::strict && prefs.max_affected;
    if (strict_max && routine.returns_single()) {
        throw ApiError(400, "PGRST128",
                       "Function must return SETOF or TABLE when max-affected preference is "
                       "used with handling=strict");
    }
    if (!routine.is_volatile) tx.make_read_only();  // Plan.hs: only volatile calls write
    tx.become(rpc.identity, "POST", "/rpc/" + rpc.function, rpc.request.headers,
              rpc.options.statement_timeout);
    const PgRows rows = tx.run(build_call(routine, payload));
    const long long page_total = std::stoll(rows.at(0, "page_total").value_or("0"));
    if (strict_max && page_total > *prefs.max_affected) {
        throw ApiError(400, "PGRST124", "Query result exceeds max-affected preference constraint",
                       "The query affects " + std::to_string(page_total) + " rows");
    }
    tx.commit();
    return respond(rpc, routine, rows);
}

}  // namespace jobsync::testing::gateway
