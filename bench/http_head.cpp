#include "http_head.hpp"

#include <algorithm>
#include <cctype>

namespace jobsync::bench {

namespace {

std::string lowercase(std::string text) {
    std::transform(text.begin(), text.end(), text.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    return text;
}

}  // namespace

long long content_length(const std::string& head) {
    const std::string lower = lowercase(head);
    if (lower.find("\r\ntransfer-encoding:") != std::string::npos) return -1;
    const std::string name = "\r\ncontent-length:";
    const std::size_t at = lower.find(name);
    if (at == std::string::npos) return 0;
    std::size_t from = at + name.size();
    while (from < lower.size() && (lower[from] == ' ' || lower[from] == '\t')) ++from;
    std::size_t to = from;
    while (to < lower.size() && std::isdigit(static_cast<unsigned char>(lower[to]))) ++to;
    if (to == from || to - from > 15) return -1;
    const std::size_t line_end = std::min(lower.find("\r\n", to), lower.size());
    for (std::size_t i = to; i < line_end; ++i) {
        if (lower[i] != ' ' && lower[i] != '\t') return -1;
    }
    return std::stoll(lower.substr(from, to - from));
}

}  // namespace jobsync::bench
