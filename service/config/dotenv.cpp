#include "config/dotenv.hpp"

#include "text/strings.hpp"

namespace jobsync::config {

namespace {

bool is_blank(char c) { return c == ' ' || c == '\t'; }

// The value after '=' on one line, or an error message (which never quotes the value).
struct ParsedValue {
    std::string value;
    std::string error;
};

ParsedValue parse_value(std::string_view key, std::string_view raw) {
    const std::string_view value = text::trim(raw);
    if (value.empty() || (value.front() != '"' && value.front() != '\'')) {
        // `#` starts a comment only after a blank: URL=http://h/#x keeps its `#x`.
        for (std::size_t at = 1; at < raw.size(); ++at) {
            if (raw[at] == '#' && is_blank(raw[at - 1])) {
                return {std::string(text::trim(raw.substr(0, at))), {}};
            }
        }
        return {std::string(value), {}};
    }
    const char quote = value.front();
    const auto close = value.find(quote, 1);
    if (close == std::string_view::npos) {
        return {{},
                std::string("unterminated ") + (quote == '"' ? "double" : "single") +
                    " quote in the value of " + std::string(key) + " (add the closing " + quote +
                    ")"};
    }
    const std::string_view after = text::trim(value.substr(close + 1));
    if (!after.empty() && after.front() != '#') {
        return {{},
                "unexpected text after the closing quote of " + std::string(key) +
                    " (quote the whole value, or put a blank before a # comment)"};
    }
    return {std::string(value.substr(1, close - 1)), {}};
}

}  // namespace

bool is_valid_env_name(std::string_view name) {
    const auto letter = [](char c) {
        return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || c == '_';
    };
    if (name.empty() || !letter(name.front())) return false;
    for (char c : name) {
        if (!letter(c) && !(c >= '0' && c <= '9')) return false;
    }
    return true;
}

DotenvResult parse_dotenv(std::string_view text, std::string_view source_name) {
    DotenvResult result;
    text = text::strip_bom(text);
    for (int number = 1; !text.empty(); ++number) {
        const auto end = text.find('\n');
        const std::string_view line = text::trim(text.substr(0, end));  // CR and blanks too
        text.remove_prefix(end == std::string_view::npos ? text.size() : end + 1);
        if (line.empty() || line.front() == '#') continue;

        const auto error = [&](const std::string& message) {
            result.errors.push_back(std::string(source_name) + ":" + std::to_string(number) + ": " +
                                    message);
        };
        const auto equals = line.find('=');
        if (equals == std::string_view::npos) {
            error("expected KEY=value but found no '='");
            continue;
        }
        std::string_view key = text::trim(line.substr(0, equals));
        if (text::starts_with(key, "export") && key.size() > 6 && is_blank(key[6])) {
            key = text::trim(key.substr(6));
        }
        if (!is_valid_env_name(key)) {
            error(
                "invalid variable name before '=' (use letters, digits and '_', not starting "
                "with a digit)");
            continue;
        }
        ParsedValue parsed = parse_value(key, line.substr(equals + 1));
        if (!parsed.error.empty()) {
            error(parsed.error);
            continue;
        }
        result.entries.push_back(DotenvEntry{std::string(key), std::move(parsed.value), number});
    }
    return result;
}

}  // namespace jobsync::config
