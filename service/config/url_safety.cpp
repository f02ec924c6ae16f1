#include "config/url_safety.hpp"

#include <arpa/inet.h>

#include "text/strings.hpp"

namespace jobsync::config {

bool is_loopback_host(std::string_view host) {
    const std::string lowered = text::to_lower(host);
    if (lowered == "localhost" || lowered == "[::1]" || lowered == "::1") return true;
    in_addr address{};  // a dotted quad only: inet_pton refuses "127.1" and octal
    return inet_pton(AF_INET, lowered.c_str(), &address) == 1 &&
           (ntohl(address.s_addr) >> 24) == 127;
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
