// Small string helpers shared by the service and the test stand-ins. ASCII only, on purpose:
// the results never depend on the process locale.
#pragma once

#include <charconv>
#include <cstddef>
#include <cstdio>
#include <optional>
#include <string>
#include <string_view>

namespace jobsync::text {

// The characters std::isspace accepts in the "C" locale.
constexpr bool is_space(char c) {
    return c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '\v' || c == '\f';
}

constexpr char to_lower(char c) { return c >= 'A' && c <= 'Z' ? static_cast<char>(c + 32) : c; }

constexpr char to_upper(char c) { return c >= 'a' && c <= 'z' ? static_cast<char>(c - 32) : c; }

inline std::string_view trim_end(std::string_view text) {
    while (!text.empty() && is_space(text.back())) text.remove_suffix(1);
    return text;
}

inline std::string_view trim(std::string_view text) {
    while (!text.empty() && is_space(text.front())) text.remove_prefix(1);
    return trim_end(text);
}

inline std::string to_lower(std::string_view text) {
    std::string out(text);
    for (char& c : out) c = to_lower(c);
    return out;
}

inline std::string to_upper(std::string_view text) {
    std::string out(text);
    for (char& c : out) c = to_upper(c);
    return out;
}

inline bool starts_with(std::string_view text, std::string_view prefix) {
    return text.substr(0, prefix.size()) == prefix;
}

inline bool ends_with(std::string_view text, std::string_view suffix) {
    return text.size() >= suffix.size() && text.substr(text.size() - suffix.size()) == suffix;
}

inline bool equals_ignoring_case(std::string_view a, std::string_view b) {
    if (a.size() != b.size()) return false;
    for (std::size_t i = 0; i < a.size(); ++i) {
        if (to_lower(a[i]) != to_lower(b[i])) return false;
    }
    return true;
}

inline bool starts_with_ignoring_case(std::string_view text, std::string_view prefix) {
    return text.size() >= prefix.size() &&
           equals_ignoring_case(text.substr(0, prefix.size()), prefix);
}

// The position of the first `needle` in `text`, letter case ignored; npos if none.
inline std::size_t find_ignoring_case(std::string_view text, std::string_view needle) {
    for (std::size_t at = 0; at + needle.size() <= text.size(); ++at) {
        if (equals_ignoring_case(text.substr(at, needle.size()), needle)) return at;
    }
    return std::string_view::npos;
}

// A number as a person writes it in a message or a setting: 5, 0.5, -90, 123456.789 (up to 10
// significant digits; an exponent only beyond them).
inline std::string format_number(double value) {
    char text[32];
    std::snprintf(text, sizeof text, "%.10g", value);
    return text;
}

// Without the UTF-8 byte order mark some Windows editors put at the start of a file.
inline std::string_view strip_bom(std::string_view text) {
    constexpr std::string_view kBom = "\xEF\xBB\xBF";
    return starts_with(text, kBom) ? text.substr(kBom.size()) : text;
}

// A whole number in decimal digits and nothing else ("42"; not "", " 42", "+42", "-4", "4.2");
// nullopt also when it does not fit a long.
inline std::optional<long> parse_whole_number(std::string_view text) {
    if (text.empty() || text.front() < '0' || text.front() > '9') return std::nullopt;
    long value = 0;
    const char* end = text.data() + text.size();
    const auto [stop, error] = std::from_chars(text.data(), end, value);
    if (error != std::errc() || stop != end) return std::nullopt;
    return value;
}

}  // namespace jobsync::text
