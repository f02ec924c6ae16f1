// What PostgREST's schema cache knows about the functions behind `/rpc/<name>` (SchemaCache.hs
// allFunctions), and how it picks one for a call (Plan.hs findProc). Read from the catalogs on
// every request, like table_info. Not modelled: functions with an unnamed parameter (PostgREST
// can call one with a single unnamed json/text/bytea/xml parameter as a fallback).
#pragma once

#include <optional>
#include <set>
#include <string>
#include <vector>

#include "support/pg.hpp"

namespace jobsync::testing::gateway {

struct RoutineParam {
    std::string name;
    std::string type;      // format_type(), e.g. "integer", "jsonb"
    bool required = true;  // false when it has a DEFAULT
    bool variadic = false;
};

struct RoutineInfo {
    enum class Returns { scalar, composite, nothing };  // nothing = void
    std::string schema;
    std::string name;
    std::vector<RoutineParam> params;  // input parameters, in order
    Returns returns = Returns::scalar;
    bool returns_set = false;  // SETOF / TABLE
    bool is_volatile = true;   // only volatile functions run READ WRITE

    bool returns_single() const { return !returns_set; }
};

// The callable functions `schema.name` (every overload; trigger functions excluded).
std::vector<RoutineInfo> load_routines(PgConnection& connection, const std::string& schema,
                                       const std::string& name);

// The overload whose parameters match the argument names: every required parameter given,
// nothing that is not a parameter. None: 404 PGRST202; several: 300 PGRST203. Pure.
const RoutineInfo& find_routine(const std::vector<RoutineInfo>& routines, const std::string& schema,
                                const std::string& name,
                                const std::set<std::string>& argument_names);

}  // namespace jobsync::testing::gateway
