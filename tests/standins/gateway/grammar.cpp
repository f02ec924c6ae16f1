#include "standins/gateway/grammar.hpp"

#include <algorithm>
#include <cctype>
#include <utility>

#include "standins/gateway/api_error.hpp"
#include "text/strings.hpp"

namespace jobsync::testing::gateway {

namespace {

ApiError filter_error(const std::string& expression, const std::string& details) {
    return query_param_error("failed to parse filter (" + expression + ")", details);
}

}  // namespace

std::optional<FilterOp> filter_op_named(std::string_view name) {
    static const std::pair<std::string_view, FilterOp> kOps[] = {
        {"eq", FilterOp::eq},
        {"neq", FilterOp::neq},
        {"gt", FilterOp::gt},
        {"gte", FilterOp::gte},
        {"lt", FilterOp::lt},
        {"lte", FilterOp::lte},
        {"like", FilterOp::like},
        {"ilike", FilterOp::ilike},
        {"is", FilterOp::is},
        {"in", FilterOp::in},
        {"isdistinct", FilterOp::isdistinct},
    };
    for (const auto& [op_name, op] : kOps) {
        if (op_name == name) return op;
    }
    return std::nullopt;
}

std::optional<std::string> is_value_named(std::string_view text) {
    const std::string value = text::to_lower(text);
    static const char* kIsValues[] = {"null", "not_null", "true", "false", "unknown"};
    if (std::none_of(std::begin(kIsValues), std::end(kIsValues),
                     [&](const char* v) { return value == v; })) {
        return std::nullopt;
    }
    return value;
}

namespace {

// Elements of "(a,b,"c,d")": double quotes protect , ( ) and use \ as escape (notes 3).
std::vector<std::string> parse_in_list(const std::string& expression, std::string_view text) {
    if (text.size() < 2 || text.front() != '(' || text.back() != ')') {
        throw filter_error(expression, "in. expects a parenthesised list, e.g. in.(1,2,3)");
    }
    text = text.substr(1, text.size() - 2);
    std::vector<std::string> items;
    if (text.empty()) return items;
    std::size_t i = 0;
    while (true) {
        std::string item;
        if (i < text.size() && text[i] == '"') {
            ++i;
            bool closed = false;
            while (i < text.size()) {
                if (text[i] == '\\' && i + 1 < text.size()) {
                    item += text[i + 1];
                    i += 2;
                } else if (text[i] == '"') {
                    closed = true;
                    ++i;
                    break;
                } else {
                    item += text[i++];
                }
            }
            if (!closed || (i < text.size() && text[i] != ',')) {
                throw filter_error(expression, "unterminated or misplaced double quote in in.()");
            }
        } else {
            while (i < text.size() && text[i] != ',') {
                if (text[i] == '(' || text[i] == ')') {
                    throw filter_error(expression, "unexpected parenthesis in in.() element");
                }
                item += text[i++];
            }
        }
        items.push_back(std::move(item));
        if (i >= text.size()) break;
        ++i;  // the comma
    }
    return items;
}

}  // namespace

Filter parse_filter(const std::string& column, const std::string& expression) {
    Filter filter;
    filter.column = column;
    std::string_view rest = expression;
    if (rest.substr(0, 4) == "not.") {
        filter.negated = true;
        rest.remove_prefix(4);
    }
    const std::size_t dot = rest.find('.');
    if (dot == std::string_view::npos) {
        throw filter_error(expression, "expecting an operator followed by '.', e.g. eq.value");
    }
    const auto op = filter_op_named(rest.substr(0, dot));
    if (!op) {
        throw filter_error(expression,
                           "unknown operator \"" + std::string(rest.substr(0, dot)) + "\"");
    }
    filter.op = *op;
    const std::string_view value = rest.substr(dot + 1);
    if (filter.op == FilterOp::in) {
        filter.list = parse_in_list(expression, value);
    } else if (filter.op == FilterOp::is) {
        const auto is_value = is_value_named(value);
        if (!is_value) {
            throw filter_error(expression, "is. expects null, not_null, true, false or unknown");
        }
        filter.value = *is_value;
    } else {
        filter.value = std::string(value);
    }
    return filter;
}

std::vector<SelectItem> parse_select(std::string_view text) {
    std::vector<SelectItem> items;
    const std::string whole(text);
    auto fail = [&](const std::string& details) {
        return query_param_error("failed to parse select parameter (" + whole + ")", details);
    };
    while (true) {
        const std::size_t comma = text.find(',');
        std::string_view part = text::trim(text.substr(0, comma));
        if (part.empty()) throw fail("empty select item");
        if (part.find('(') != std::string_view::npos) {
            throw fail("embedded resources are not supported by this stand-in");
        }
        SelectItem item;
        if (const std::size_t colon = part.find(':');
            colon != std::string_view::npos && part.substr(colon, 2) != "::") {
            item.alias = std::string(text::trim(part.substr(0, colon)));
            part = text::trim(part.substr(colon + 1));
        }
        if (const std::size_t cast = part.find("::"); cast != std::string_view::npos) {
            item.cast = std::string(text::trim(part.substr(cast + 2)));
            part = text::trim(part.substr(0, cast));
            const bool plain_type =
                !item.cast.empty() &&
                std::all_of(item.cast.begin(), item.cast.end(), [](unsigned char c) {
                    return std::isalnum(c) || c == '_' || c == ' ';
                });
            if (!plain_type) throw fail("invalid cast type");
        }
        if (part.empty()) throw fail("empty column name");
        if (part.size() >= 2 && part.front() == '"' && part.back() == '"') {
            part = part.substr(1, part.size() - 2);
        }
        item.column = std::string(part);
        if (item.column == "*" && (!item.alias.empty() || !item.cast.empty())) {
            throw fail("'*' takes no alias or cast");
        }
        items.push_back(std::move(item));
        if (comma == std::string_view::npos) break;
        text.remove_prefix(comma + 1);
    }
    return items;
}

std::vector<OrderTerm> parse_order(std::string_view text) {
    std::vector<OrderTerm> terms;
    const std::string whole(text);
    while (true) {
        const std::size_t comma = text.find(',');
        std::string_view part = text::trim(text.substr(0, comma));
        OrderTerm term;
        std::size_t dot = part.find('.');
        term.column = std::string(part.substr(0, dot));
        if (term.column.empty()) {
            throw query_param_error("failed to parse order (" + whole + ")", "empty column");
        }
        while (dot != std::string_view::npos) {
            part.remove_prefix(dot + 1);
            dot = part.find('.');
            const std::string_view modifier = part.substr(0, dot);
            if (modifier == "asc") {
                term.descending = false;
            } else if (modifier == "desc") {
                term.descending = true;
            } else if (modifier == "nullsfirst") {
                term.nulls = OrderTerm::Nulls::first;
            } else if (modifier == "nullslast") {
                term.nulls = OrderTerm::Nulls::last;
            } else {
                throw query_param_error("failed to parse order (" + whole + ")",
                                        "unexpected \"" + std::string(modifier) +
                                            "\" expecting \"asc\", \"desc\", \"nullsfirst\" "
                                            "or \"nullslast\"");
            }
        }
        terms.push_back(std::move(term));
        if (comma == std::string_view::npos) break;
        text.remove_prefix(comma + 1);
    }
    return terms;
}

std::vector<std::string> parse_column_list(std::string_view text, const std::string& param) {
    const std::string whole(text);
    std::vector<std::string> names;
    while (true) {
        const std::size_t comma = text.find(',');
        std::string_view part = text::trim(text.substr(0, comma));
        if (part.size() >= 2 && part.front() == '"' && part.back() == '"') {
            part = part.substr(1, part.size() - 2);
        }
        if (part.empty() || part.find('"') != std::string_view::npos) {
            throw query_param_error("failed to parse " + param + " parameter (" + whole + ")",
                                    "expecting a comma-separated list of column names");
        }
        names.emplace_back(part);
        if (comma == std::string_view::npos) break;
        text.remove_prefix(comma + 1);
    }
    return names;
}

std::optional<long long> parse_non_negative(std::string_view text) {
    if (text.empty() || text.size() > 18) return std::nullopt;
    long long value = 0;
    for (char c : text) {
        if (c < '0' || c > '9') return std::nullopt;
        value = value * 10 + (c - '0');
    }
    return value;
}

std::string quote_ident(std::string_view name) {
    std::string out = "\"";
    for (char c : name) {
        out += c;
        if (c == '"') out += '"';
    }
    return out + "\"";
}

std::string array_literal(const std::vector<std::string>& items) {
    std::string out = "{";
    for (std::size_t i = 0; i < items.size(); ++i) {
        if (i > 0) out += ',';
        out += '"';
        for (char c : items[i]) {
            if (c == '"' || c == '\\') out += '\\';
            out += c;
        }
        out += '"';
    }
    return out + "}";
}

std::string like_pattern(std::string_view value) {
    std::string out(value);
    std::replace(out.begin(), out.end(), '*', '%');
    return out;
}

}  // namespace jobsync::testing::gateway
