// Small string helpers shared by the config parsers.
#pragma once

#include <string_view>

namespace jobsync::config {

inline bool is_blank(char c) { return c == ' ' || c == '\t'; }

inline bool is_space(char c) {
    return c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '\v' || c == '\f';
}

inline std::string_view trim(std::string_view text) {
    while (!text.empty() && is_space(text.front())) text.remove_prefix(1);
    while (!text.empty() && is_space(text.back())) text.remove_suffix(1);
    return text;
}

inline bool starts_with(std::string_view text, std::string_view prefix) {
    return text.substr(0, prefix.size()) == prefix;
}

inline bool ends_with(std::string_view text, std::string_view suffix) {
    return text.size() >= suffix.size() && text.substr(text.size() - suffix.size()) == suffix;
}

// The UTF-8 byte order mark some Windows editors put at the start of a file.
inline std::string_view strip_bom(std::string_view text) {
    constexpr std::string_view bom = "\xEF\xBB\xBF";
    return starts_with(text, bom) ? text.substr(bom.size()) : text;
}

}  // namespace jobsync::config
