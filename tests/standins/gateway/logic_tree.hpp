// PostgREST's logic trees: `or=(a.eq.1,b.lt.2)`, `and=(...)`, `not.or=(...)`, nested as
// `or=(a.eq.1,not.and(b.gte.0,b.lte.9))` (tables_views.rst "Logical operators";
// ApiRequest/QueryParams.hs pLogicTree). Pure; a malformed tree throws ApiError PGRST100.
//
// Inside a tree a value ends at the next ',' or ')', so values holding those (or '.', ':' for
// clarity) are double-quoted, with '\' escaping: `last_seen.lt."2024-05-01T10:00:00Z"`. The
// quotes are not part of the value. Spaces around '(', ',' and ')' are allowed. As in
// PostgREST, text after the tree's closing parenthesis is ignored.
#pragma once

#include <string_view>
#include <vector>

#include "standins/gateway/grammar.hpp"

namespace jobsync::testing::gateway {

struct LogicTree {
    enum class Kind { filter, all_of, any_of };  // a filter, and(...), or(...)
    Kind kind = Kind::filter;
    bool negated = false;  // not.and(...), not.or(...); a filter carries its own `not.`
    Filter filter;         // when kind == filter
    std::vector<LogicTree> children;
};

// Is `key` a logic-tree parameter (or, and, not.or, not.and)?
bool is_logic_key(std::string_view key);

// `key` is the parameter name (e.g. "not.or"), `value` its text (e.g. "(a.eq.1,b.eq.2)").
LogicTree parse_logic_tree(std::string_view key, std::string_view value);

}  // namespace jobsync::testing::gateway
