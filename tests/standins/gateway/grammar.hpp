// PostgREST's URL grammar for the parts this stand-in serves (notes 3; PostgREST
// ApiRequest/QueryParams.hs): filters, select, order and column lists. Pure: strings in,
// values out; a malformed parameter throws ApiError PGRST100 like PostgREST does.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace jobsync::testing::gateway {

enum class FilterOp { eq, neq, gt, gte, lt, lte, like, ilike, is, in, isdistinct };

// `col=[not.]op.value`. For `in`, `list` holds the elements; for `is`, `value` is one of
// null, not_null, true, false, unknown (lower-cased).
struct Filter {
    std::string column;
    bool negated = false;
    FilterOp op = FilterOp::eq;
    std::string value;
    std::vector<std::string> list;
};

struct SelectItem {
    std::string column;  // "*" for all columns
    std::string alias;   // empty when none
    std::string cast;    // empty when none
};

struct OrderTerm {
    std::string column;
    bool descending = false;
    enum class Nulls { unspecified, first, last } nulls = Nulls::unspecified;
};

Filter parse_filter(const std::string& column, const std::string& expression);
// The operator spelled `name` ("eq", "in", ...), if this stand-in knows it.
std::optional<FilterOp> filter_op_named(std::string_view name);
// The lower-cased `is.` value (null, not_null, true, false, unknown), if `text` is one.
std::optional<std::string> is_value_named(std::string_view text);
std::vector<SelectItem> parse_select(std::string_view text);
std::vector<OrderTerm> parse_order(std::string_view text);
// `columns` / `on_conflict`: comma-separated names, each optionally double-quoted.
std::vector<std::string> parse_column_list(std::string_view text, const std::string& param);
// A non-negative integer (limit, offset); nullopt when not one.
std::optional<long long> parse_non_negative(std::string_view text);

// SQL helpers.
std::string quote_ident(std::string_view name);                    // "name" with "" escaping
std::string array_literal(const std::vector<std::string>& items);  // {"a","b\"c"}
std::string like_pattern(std::string_view value);                  // '*' -> '%'

}  // namespace jobsync::testing::gateway
