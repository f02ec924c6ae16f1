#include "config/url_safety.hpp"

#include <algorithm>

#include "text/strings.hpp"

namespace jobsync::config {

namespace {

bool is_ipv4_loopback(std::string_view host) {
    int parts = 0;
    int first = -1;
    while (true) {
        std::size_t n = 0;
        int value = 0;
        while (n < host.size() && n < 4 && host[n] >= '0' && host[n] <= '9') {
            value = value * 10 + (host[n] - '0');
            ++n;
        }
        if (n == 0 || n > 3 || value > 255) return false;
        if (first < 0) first = value;
        ++parts;
        host.remove_prefix(n);
        if (host.empty()) break;
        if (host.front() != '.' || parts == 4) return false;
        host.remove_prefix(1);
    }
    return parts == 4 && first == 127;
}

}  // namespace

bool is_loopback_host(std::string_view host) {
    const std::string lowered = text::to_lower(host);
    if (lowered == "localhost" || lowered == "[::1]" || lowered == "::1") return true;
    return is_ipv4_loopback(lowered);
}

std::optional<std::string> key_url_problem(std::string_view name, std::string_view url) {
    const auto separator = url.find("://");
    if (separator == std::string_view::npos) return std::nullopt;
    const std::string scheme = text::to_lower(url.substr(0, separator));
    std::string_view authority = url.substr(separator + 3);
    authority = authority.substr(0, authority.find('/'));
    if (authority.find('@') != std::string_view::npos) {
        return std::string(name) +
               " must not contain credentials (user:password@ before the host): URLs end up in "
               "logs; remove them, the keys go in SUPABASE_SERVICE_ROLE_KEY and JSEARCH_API_KEY";
    }
    if (scheme != "http") return std::nullopt;
    // The host without the port: "[::1]:8080" -> "[::1]", "127.0.0.1:80" -> "127.0.0.1".
    std::string_view host = authority;
    if (!host.empty() && host.front() == '[') {
        host = host.substr(0, host.find(']') + 1);
    } else {
        host = host.substr(0, host.find(':'));
    }
    if (is_loopback_host(host)) return std::nullopt;
    return std::string(name) + " uses http:// to " + std::string(host) +
           ": the key would travel unencrypted and anyone on the path could read it; use "
           "https:// (http:// is accepted only for loopback: localhost, 127.0.0.0/8, ::1)";
}

}  // namespace jobsync::config
