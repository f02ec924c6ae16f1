#include "standins/gateway/request_params.hpp"

#include "standins/gateway/api_error.hpp"

namespace jobsync::testing::gateway {

namespace {

long long non_negative(const std::string& name, const std::string& value) {
    if (auto n = parse_non_negative(value)) return *n;
    throw query_param_error("failed to parse " + name + " parameter (" + value + ")",
                            "expecting a non-negative integer");
}

}  // namespace

RequestParams parse_request_params(const FormPairs& pairs) {
    RequestParams params;
    for (const auto& [name, value] : pairs) {
        if (name == "select") {
            params.select = parse_select(value);
        } else if (name == "order") {
            params.order = parse_order(value);
        } else if (name == "limit") {
            params.limit = non_negative(name, value);
        } else if (name == "offset") {
            params.offset = non_negative(name, value);
        } else if (name == "columns") {
            params.columns = parse_column_list(value, "columns");
        } else if (name == "on_conflict") {
            params.on_conflict = parse_column_list(value, "on_conflict");
        } else if (name == "or" || name == "and" || name == "not.or" || name == "not.and") {
            throw query_param_error("failed to parse logic tree (" + value + ")",
                                    "or=/and= are not supported by this stand-in");
        } else {
            params.filters.push_back(parse_filter(name, value));
        }
    }
    return params;
}

}  // namespace jobsync::testing::gateway
