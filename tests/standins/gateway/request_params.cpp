#include "standins/gateway/request_params.hpp"

#include "standins/gateway/api_error.hpp"

namespace jobsync::testing::gateway {

namespace {

long long non_negative(const std::string& name, const std::string& value) {
    if (auto n = parse_non_negative(value)) return *n;
    throw query_param_error("failed to parse " + name + " parameter (" + value + ")",
                            "expecting a non-negative integer");
}

// "child.or": a reserved word after the last '.' (PostgREST's endingIn).
bool ends_with_word(const std::string& name, const std::string& word) {
    const std::size_t dot = name.rfind('.');
    return dot != std::string::npos && name.substr(dot + 1) == word;
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
        } else if (is_logic_key(name)) {
            params.logic.push_back(parse_logic_tree(name, value));
        } else if (ends_with_word(name, "or") || ends_with_word(name, "and")) {
            throw query_param_error("failed to parse logic tree (" + value + ")",
                                    "logic trees on embedded resources (" + name +
                                        ") are not supported by this stand-in");
        } else {
            params.filters.push_back(parse_filter(name, value));
        }
    }
    return params;
}

bool has_row_filter(const RequestParams& params) {
    return !params.filters.empty() || !params.logic.empty();
}

}  // namespace jobsync::testing::gateway
