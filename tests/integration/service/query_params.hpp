// Splits a recorded raw query string into decoded name/value pairs, in order, so tests can
// assert what a client sent without depending on parameter order.
#pragma once

#include <string>
#include <utility>
#include <vector>

namespace jobsync::testing {

inline std::string percent_decode(const std::string& text) {
    std::string out;
    for (std::size_t i = 0; i < text.size(); ++i) {
        if (text[i] == '%' && i + 2 < text.size()) {
            out.push_back(static_cast<char>(std::stoi(text.substr(i + 1, 2), nullptr, 16)));
            i += 2;
        } else {
            out.push_back(text[i]);
        }
    }
    return out;
}

inline std::vector<std::pair<std::string, std::string>> split_query(const std::string& raw) {
    std::vector<std::pair<std::string, std::string>> params;
    std::size_t start = 0;
    while (start <= raw.size() && !raw.empty()) {
        std::size_t end = raw.find('&', start);
        if (end == std::string::npos) end = raw.size();
        const std::string part = raw.substr(start, end - start);
        const std::size_t equals = part.find('=');
        params.emplace_back(
            percent_decode(part.substr(0, equals)),
            equals == std::string::npos ? "" : percent_decode(part.substr(equals + 1)));
        start = end + 1;
    }
    return params;
}

inline std::string param(const std::vector<std::pair<std::string, std::string>>& params,
                         const std::string& name) {
    for (const auto& [key, value] : params) {
        if (key == name) return value;
    }
    return "<absent>";
}

}  // namespace jobsync::testing
