#include "support/form_decoding.hpp"

namespace jobsync::testing {

namespace {

int hex_value(char c) {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
}

}  // namespace

std::string form_decode(std::string_view text) {
    std::string out;
    out.reserve(text.size());
    for (std::size_t i = 0; i < text.size(); ++i) {
        const char c = text[i];
        if (c == '+') {
            out += ' ';
        } else if (c == '%' && i + 2 < text.size() && hex_value(text[i + 1]) >= 0 &&
                   hex_value(text[i + 2]) >= 0) {
            out += static_cast<char>(hex_value(text[i + 1]) * 16 + hex_value(text[i + 2]));
            i += 2;
        } else {
            out += c;
        }
    }
    return out;
}

FormPairs parse_form_pairs(std::string_view raw_query) {
    FormPairs pairs;
    while (!raw_query.empty()) {
        const std::size_t amp = raw_query.find('&');
        const std::string_view segment = raw_query.substr(0, amp);
        raw_query = amp == std::string_view::npos ? std::string_view() : raw_query.substr(amp + 1);
        if (segment.empty()) continue;
        const std::size_t eq = segment.find('=');
        if (eq == std::string_view::npos) {
            pairs.emplace_back(form_decode(segment), "");
        } else {
            pairs.emplace_back(form_decode(segment.substr(0, eq)),
                               form_decode(segment.substr(eq + 1)));
        }
    }
    return pairs;
}

}  // namespace jobsync::testing
