// The query parameters of a `/rest/v1/<table>` request, split into PostgREST's reserved
// parameters and filters (notes 3). Pure; malformed values throw ApiError PGRST100.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "standins/gateway/grammar.hpp"
#include "standins/gateway/logic_tree.hpp"
#include "support/form_decoding.hpp"

namespace jobsync::testing::gateway {

struct RequestParams {
    std::vector<SelectItem> select;  // empty means "*"
    std::vector<Filter> filters;     // ANDed
    std::vector<LogicTree> logic;    // or=, and=, not.or=, not.and=; ANDed with the filters
    std::vector<OrderTerm> order;
    std::optional<long long> limit;
    std::optional<long long> offset;
    std::optional<std::vector<std::string>> columns;
    std::optional<std::vector<std::string>> on_conflict;
};

RequestParams parse_request_params(const FormPairs& pairs);

// Whether any filter or logic tree narrows the rows (pg-safeupdate's "has a WHERE clause").
bool has_row_filter(const RequestParams& params);

}  // namespace jobsync::testing::gateway
