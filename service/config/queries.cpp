#include "config/queries.hpp"

#include <algorithm>

#include "text/strings.hpp"

namespace jobsync::config {

namespace {

std::vector<std::string> split_trimmed(std::string_view text, char separator) {
    std::vector<std::string> pieces;
    while (true) {
        const auto end = text.find(separator);
        const std::string_view piece = text::trim(text.substr(0, end));
        if (!piece.empty()) pieces.emplace_back(piece);
        if (end == std::string_view::npos) break;
        text.remove_prefix(end + 1);
    }
    return pieces;
}

}  // namespace

std::vector<std::string> parse_queries_file(std::string_view text) {
    std::vector<std::string> queries;
    for (auto& line : split_trimmed(text::strip_bom(text), '\n')) {
        if (line.front() != '#') queries.push_back(std::move(line));
    }
    return queries;
}

std::vector<std::string> split_queries(std::string_view text) { return split_trimmed(text, ';'); }

std::vector<std::string> merge_queries(const std::vector<std::vector<std::string>>& sources) {
    std::vector<std::string> merged;
    for (const auto& source : sources) {
        for (const auto& query : source) {
            const std::string_view trimmed = text::trim(query);
            if (trimmed.empty()) continue;
            if (std::find(merged.begin(), merged.end(), trimmed) == merged.end()) {
                merged.emplace_back(trimmed);
            }
        }
    }
    return merged;
}

}  // namespace jobsync::config
