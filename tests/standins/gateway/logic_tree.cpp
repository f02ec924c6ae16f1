#include "standins/gateway/logic_tree.hpp"

#include <cctype>
#include <optional>
#include <string>

#include "standins/gateway/api_error.hpp"

namespace jobsync::testing::gateway {

namespace {

constexpr const char* kTreeStart =
    "field name (* or [a..z0..9_$]), negation operator (not) or logic operator (and, or)";

// Recursive descent over `key + value`, as PostgREST parses it (it prepends the operator so
// that "or=(...)" reads as "or(...)"). Errors carry PostgREST's position: 1-based column in
// that combined text.
class Parser {
  public:
    Parser(std::string_view key, std::string_view value)
        : text_(std::string(key) + std::string(value)), value_(value), key_size_(key.size()) {}

    LogicTree parse() {
        bool negated = false;
        if (!subtree_ahead(negated)) {
            pos_ = key_size_;
            skip_spaces();
            fail("\"(\"");
        }
        LogicTree tree = node();
        // Like PostgREST (a Parsec parser without eof), text after the tree is ignored.
        return tree;
    }

  private:
    [[noreturn]] void fail(const std::string& expecting) const {
        const std::string unexpected =
            pos_ >= text_.size() ? "end of input" : "\"" + std::string(1, text_[pos_]) + "\"";
        throw query_param_error("\"failed to parse logic tree (" + value_ + ")\" (line 1, column " +
                                    std::to_string(pos_ + 1) + ")",
                                "unexpected " + unexpected + " expecting " + expecting);
    }

    bool at_end() const { return pos_ >= text_.size(); }
    char peek() const { return at_end() ? '\0' : text_[pos_]; }
    bool starts_with(std::string_view word) const {
        return text_.compare(pos_, word.size(), word) == 0;
    }
    void skip_spaces() {
        while (!at_end() && (peek() == ' ' || peek() == '\t')) ++pos_;
    }
    void expect(char c, const std::string& expecting) {
        if (peek() != c) fail(expecting);
        ++pos_;
    }

    // (not.)?(and|or) followed by optional spaces and '(' opens a sub-tree; anything else is
    // a filter (a column cannot be followed by '(').
    std::optional<LogicTree::Kind> subtree_ahead(bool& negated) const {
        std::size_t at = pos_;
        negated = text_.compare(at, 4, "not.") == 0;
        if (negated) at += 4;
        LogicTree::Kind kind;
        if (text_.compare(at, 3, "and") == 0) {
            kind = LogicTree::Kind::all_of;
            at += 3;
        } else if (text_.compare(at, 2, "or") == 0) {
            kind = LogicTree::Kind::any_of;
            at += 2;
        } else {
            return std::nullopt;
        }
        while (at < text_.size() && (text_[at] == ' ' || text_[at] == '\t')) ++at;
        if (at < text_.size() && text_[at] == '(') return kind;
        return std::nullopt;
    }

    LogicTree node() {
        bool negated = false;
        if (const auto kind = subtree_ahead(negated)) {
            LogicTree tree;
            tree.kind = *kind;
            tree.negated = negated;
            pos_ += (negated ? 4 : 0) + (*kind == LogicTree::Kind::all_of ? 3 : 2);
            skip_spaces();
            expect('(', "\"(\"");
            skip_spaces();
            while (true) {
                tree.children.push_back(node());
                skip_spaces();
                if (peek() == ',') {
                    ++pos_;
                    skip_spaces();
                    continue;
                }
                expect(')', "\",\" or \")\"");
                skip_spaces();
                return tree;
            }
        }
        LogicTree leaf;
        leaf.filter = filter();
        return leaf;
    }

    // pFieldName: a double-quoted name, or identifier characters (letters, digits, '_', ' ',
    // '$') joined by '-', trimmed.
    std::string field_name() {
        skip_spaces();
        if (peek() == '"') return quoted();
        std::string name;
        while (!at_end()) {
            const auto c = static_cast<unsigned char>(peek());
            if (std::isalnum(c) || c >= 0x80 || c == '_' || c == ' ' || c == '$') {
                name += static_cast<char>(c);
                ++pos_;
            } else if (c == '-' && !starts_with("->") && !name.empty()) {
                name += '-';
                ++pos_;
            } else {
                break;
            }
        }
        while (!name.empty() && name.back() == ' ') name.pop_back();
        const std::size_t first = name.find_first_not_of(' ');
        if (first == std::string::npos) fail(kTreeStart);
        return name.substr(first);
    }

    // "..." with '\' escaping any character; the quotes are dropped.
    std::string quoted() {
        ++pos_;  // the opening quote
        std::string out;
        while (!at_end() && peek() != '"') {
            if (peek() == '\\') ++pos_;
            if (at_end()) break;
            out += text_[pos_++];
        }
        expect('"', "\"\\\"\"");
        return out;
    }

    bool ends_value() const { return at_end() || peek() == ',' || peek() == ')'; }

    // Up to the next ',' or ')'.
    std::string raw_until_delimiter() {
        std::string out;
        while (!ends_value()) out += text_[pos_++];
        return out;
    }

    // pLogicSingleVal: a quoted value that ends right at ',' or ')', a {array literal}, or the
    // raw text up to ',' or ')'.
    std::string single_value() {
        const std::size_t start = pos_;
        if (peek() == '"') {
            try {
                std::string value = quoted();
                if (ends_value()) return value;
            } catch (const ApiError&) {
            }
            pos_ = start;
        }
        if (peek() == '{') {
            const std::size_t close = text_.find_first_of("{}", pos_ + 1);
            if (close != std::string::npos && text_[close] == '}') {
                pos_ = close + 1;
                return text_.substr(start, close + 1 - start);
            }
        }
        return raw_until_delimiter();
    }

    // pListVal: "(" elements separated by "," ")", each quoted or raw.
    std::vector<std::string> list_value() {
        skip_spaces();
        expect('(', "\"(\"");
        skip_spaces();
        std::vector<std::string> items;
        while (true) {
            const std::size_t start = pos_;
            std::optional<std::string> item;
            if (peek() == '"') {
                try {
                    std::string value = quoted();
                    if (ends_value()) item = std::move(value);
                } catch (const ApiError&) {
                }
                if (!item) pos_ = start;
            }
            items.push_back(item ? *item : raw_until_delimiter());
            if (peek() == ',') {
                ++pos_;
                continue;
            }
            skip_spaces();
            expect(')', "\",\" or \")\"");
            return items;
        }
    }

    Filter filter() {
        Filter filter;
        filter.column = field_name();
        if (starts_with("->")) fail("a filter (JSON paths are not supported by this stand-in)");
        skip_spaces();
        expect('.', "delimiter (.)");
        if (starts_with("not.")) {
            filter.negated = true;
            pos_ += 4;
        }
        const std::size_t dot = text_.find('.', pos_);
        const std::string name =
            text_.substr(pos_, dot == std::string::npos ? std::string::npos : dot - pos_);
        const auto op = filter_op_named(name);
        if (!op || dot == std::string::npos) fail("operator (eq, gt, ...)");
        filter.op = *op;
        pos_ = dot + 1;
        if (filter.op == FilterOp::in) {
            filter.list = list_value();
        } else if (filter.op == FilterOp::is) {
            std::string word = raw_until_delimiter();
            while (!word.empty() && (word.back() == ' ' || word.back() == '\t')) word.pop_back();
            const auto value = is_value_named(word);
            if (!value) {
                pos_ = dot + 1;
                fail("isVal: (null, not_null, true, false, unknown)");
            }
            filter.value = *value;
        } else {
            filter.value = single_value();
        }
        return filter;
    }

    std::string text_;
    std::string value_;
    std::size_t key_size_;
    std::size_t pos_ = 0;
};

}  // namespace

bool is_logic_key(std::string_view key) {
    return key == "or" || key == "and" || key == "not.or" || key == "not.and";
}

LogicTree parse_logic_tree(std::string_view key, std::string_view value) {
    return Parser(key, value).parse();
}

}  // namespace jobsync::testing::gateway
