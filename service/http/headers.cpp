#include <algorithm>
#include <cctype>

#include "http/transport.hpp"

namespace jobsync::http {

std::optional<std::string> find_header(const Headers& headers, std::string_view name) {
    auto same = [name](const std::string& candidate) {
        return candidate.size() == name.size() &&
               std::equal(candidate.begin(), candidate.end(), name.begin(), [](char a, char b) {
                   return std::tolower(static_cast<unsigned char>(a)) ==
                          std::tolower(static_cast<unsigned char>(b));
               });
    };
    for (const auto& [key, value] : headers) {
        if (same(key)) return value;
    }
    return std::nullopt;
}

}  // namespace jobsync::http
