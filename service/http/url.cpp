#include "http/url.hpp"

namespace jobsync::http {

namespace {

bool is_unreserved(unsigned char c) {
    return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' ||
           c == '.' || c == '_' || c == '~';
}

}  // namespace

std::string percent_encode(std::string_view value) {
    static constexpr char kHex[] = "0123456789ABCDEF";
    std::string out;
    out.reserve(value.size());
    for (unsigned char c : value) {
        if (is_unreserved(c)) {
            out.push_back(static_cast<char>(c));
        } else {
            out.push_back('%');
            out.push_back(kHex[c >> 4]);
            out.push_back(kHex[c & 0x0F]);
        }
    }
    return out;
}

std::string build_query(const QueryParams& params) {
    std::string out;
    for (const auto& [key, value] : params) {
        if (!out.empty()) out.push_back('&');
        out += percent_encode(key);
        out.push_back('=');
        out += percent_encode(value);
    }
    return out;
}

std::string build_url(std::string_view base, std::string_view path, const QueryParams& params) {
    while (!base.empty() && base.back() == '/') base.remove_suffix(1);
    std::string url(base);
    if (!path.empty() && path.front() != '/') url.push_back('/');
    url += path;
    if (!params.empty()) {
        url.push_back('?');
        url += build_query(params);
    }
    return url;
}

}  // namespace jobsync::http
