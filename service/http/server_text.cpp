#include "http/server_text.hpp"

#include "text/strings.hpp"
#include "text/utf8.hpp"

namespace jobsync::http {

std::string one_line(std::string_view text, std::size_t max_bytes) {
    if (!text::is_valid_utf8(text)) return "(not UTF-8)";
    std::string out;
    bool pending_space = false;
    for (const char c : text::trim(text)) {
        const auto byte = static_cast<unsigned char>(c);
        if (byte < 0x20 || byte == 0x7F || text::is_space(c)) {
            pending_space = true;
            continue;
        }
        const bool starts_a_character = (byte & 0xC0) != 0x80;
        if (starts_a_character && out.size() >= max_bytes) {
            out += "...";
            break;
        }
        if (pending_space && !out.empty()) out.push_back(' ');
        pending_space = false;
        out.push_back(c);
    }
    return out;
}

bool looks_like_html(std::string_view content_type, std::string_view body) {
    if (text::find_ignoring_case(content_type, "text/html") != std::string_view::npos) return true;
    body = text::trim(body);
    return !body.empty() && body.front() == '<';
}

}  // namespace jobsync::http
