#include "standins/gateway/routines.hpp"

#include <algorithm>

#include "standins/gateway/api_error.hpp"

namespace jobsync::testing::gateway {

namespace {

// One row per input parameter (and one with NULL idx for a function without any). OUT,
// INOUT and TABLE columns make the result composite, as in PostgREST's schema cache.
constexpr const char* kRoutinesSql = R"sql(
SELECT p.oid::text AS oid,
       p.proretset::text AS returns_set,
       p.provolatile::text AS volatility,
       (p.prorettype = 'pg_catalog.void'::regtype)::text AS returns_void,
       (t.typtype = 'c' OR p.prorettype = 'pg_catalog.record'::regtype
        OR coalesce(p.proargmodes::text[] && '{t,b,o}', false))::text AS returns_composite,
       p.pronargs - p.pronargdefaults AS required_count,
       a.idx, a.name, format_type(a.type, NULL) AS type, a.mode::text AS mode
FROM pg_proc p
JOIN pg_namespace n ON n.oid = p.pronamespace
JOIN pg_type t ON t.oid = p.prorettype
LEFT JOIN LATERAL (
    SELECT x.idx, x.name, x.type, x.mode
    FROM unnest(coalesce(p.proallargtypes, p.proargtypes::oid[]),
                coalesce(p.proargnames, array_fill(''::text, ARRAY[p.pronargs])),
                coalesce(p.proargmodes, array_fill('i'::"char", ARRAY[p.pronargs])))
         WITH ORDINALITY AS x(type, name, mode, idx)
    WHERE x.mode IN ('i', 'b', 'v')
) a ON true
WHERE n.nspname = $1 AND p.proname = $2 AND p.prokind = 'f'
  AND p.prorettype <> 'pg_catalog.trigger'::regtype
ORDER BY p.oid, a.idx
)sql";

bool matches(const RoutineInfo& routine, const std::set<std::string>& names) {
    std::set<std::string> required, optional;
    for (const auto& p : routine.params) (p.required ? required : optional).insert(p.name);
    for (const auto& name : names) {
        if (!required.count(name) && !optional.count(name)) return false;
    }
    return std::all_of(required.begin(), required.end(),
                       [&](const std::string& name) { return names.count(name) > 0; });
}

std::string joined(const std::set<std::string>& names) {
    std::string out;
    for (const auto& name : names) out += (out.empty() ? "" : ", ") + name;
    return out;
}

ApiError no_routine(const std::string& function, const std::set<std::string>& names) {
    const std::string listed = names.empty() ? " without parameters" : "(" + joined(names) + ")";
    const std::string searched =
        names.empty()
            ? " without parameters"
            : std::string(" with parameter") + (names.size() > 1 ? "s " : " ") + joined(names);
    // PostgREST adds a fuzzy "Perhaps you meant ..." hint; this stand-in leaves it null.
    return ApiError(404, "PGRST202",
                    "Could not find the function " + function + listed + " in the schema cache",
                    "Searched for the function " + function + searched +
                        " or with a single unnamed json/jsonb parameter, but no matches were "
                        "found in the schema cache.");
}

}  // namespace

std::vector<RoutineInfo> load_routines(PgConnection& connection, const std::string& schema,
                                       const std::string& name) {
    const PgRows rows = connection.exec_params(kRoutinesSql, {schema, name});
    std::vector<RoutineInfo> routines;
    std::string current_oid;
    bool callable = true;
    int inputs = 0;
    for (std::size_t r = 0; r < rows.rows.size(); ++r) {
        const std::string oid = rows.at(r, "oid").value_or("");
        if (oid != current_oid) {
            if (!current_oid.empty() && !callable) routines.pop_back();
            current_oid = oid;
            callable = true;
            inputs = 0;
            RoutineInfo routine;
            routine.schema = schema;
            routine.name = name;
            routine.returns_set = rows.at(r, "returns_set") == "true";
            routine.is_volatile = rows.at(r, "volatility") == "v";
            routine.returns = rows.at(r, "returns_void") == "true" ? RoutineInfo::Returns::nothing
                              : rows.at(r, "returns_composite") == "true"
                                  ? RoutineInfo::Returns::composite
                                  : RoutineInfo::Returns::scalar;
            routines.push_back(std::move(routine));
        }
        if (!rows.at(r, "idx")) continue;  // no parameters
        RoutineParam param;
        param.name = rows.at(r, "name").value_or("");
        param.type = rows.at(r, "type").value_or("text");
        param.variadic = rows.at(r, "mode") == "v";
        param.required = ++inputs <= std::stoi(rows.at(r, "required_count").value_or("0"));
        if (param.name.empty()) callable = false;
        routines.back().params.push_back(std::move(param));
    }
    if (!current_oid.empty() && !callable) routines.pop_back();
    return routines;
}

const RoutineInfo& find_routine(const std::vector<RoutineInfo>& routines, const std::string& schema,
                                const std::string& name,
                                const std::set<std::string>& argument_names) {
    std::vector<const RoutineInfo*> found;
    for (const auto& routine : routines) {
        if (matches(routine, argument_names)) found.push_back(&routine);
    }
    const std::string function = schema + "." + name;
    if (found.empty()) throw no_routine(function, argument_names);
    if (found.size() > 1) {
        std::string candidates;
        for (const RoutineInfo* routine : found) {
            std::string params;
            for (const auto& p : routine->params) {
                params += (params.empty() ? "" : ", ") + p.name + " => " + p.type;
            }
            candidates += (candidates.empty() ? "" : ", ") + function + "(" + params + ")";
        }
        throw ApiError(300, "PGRST203",
                       "Could not choose the best candidate function between: " + candidates,
                       std::nullopt,
                       "Try renaming the parameters or the function itself in the database so "
                       "function overloading can be resolved");
    }
    return *found.front();
}

}  // namespace jobsync::testing::gateway
