#include "jobs/employment_type.hpp"

#include <algorithm>

#include "text/strings.hpp"

namespace jobsync::jobs {

namespace {

// Splits `text` at every occurrence of `separator`.
std::vector<std::string> split(const std::string& text, std::string_view separator) {
    std::vector<std::string> parts;
    std::size_t start = 0;
    for (;;) {
        auto at = text.find(separator, start);
        parts.push_back(
            text.substr(start, at == std::string::npos ? std::string::npos : at - start));
        if (at == std::string::npos) return parts;
        start = at + separator.size();
    }
}

}  // namespace

std::optional<std::string> employment_enum(std::string_view token) {
    std::string key;
    for (char c : text::to_lower(text::trim(token))) {
        if (c != '-' && c != '_' && c != ' ') key.push_back(c);
    }
    if (key == "fulltime") return "FULLTIME";
    if (key == "parttime") return "PARTTIME";
    if (key == "contractor" || key == "contract") return "CONTRACTOR";
    if (key == "intern" || key == "internship") return "INTERN";
    return std::nullopt;
}

std::vector<std::string> parse_employment_text(std::string_view text) {
    std::vector<std::string> types;
    // Commas, then " and " / " or " inside each piece: "A, B, and C", "A and B".
    for (const auto& piece : split(text::to_lower(text), ",")) {
        for (const auto& and_part : split(" " + piece + " ", " and ")) {
            for (const auto& part : split(" " + and_part + " ", " or ")) {
                auto type = employment_enum(part);
                if (type && std::find(types.begin(), types.end(), *type) == types.end()) {
                    types.push_back(*type);
                }
            }
        }
    }
    return types;
}

}  // namespace jobsync::jobs
