#include "http_head.hpp"

#include "text/strings.hpp"

namespace jobsync::bench {

long content_length(std::string_view head) {
    if (text::find_ignoring_case(head, "\r\ntransfer-encoding:") != std::string_view::npos) {
        return -1;
    }
    constexpr std::string_view kName = "\r\ncontent-length:";
    const std::size_t at = text::find_ignoring_case(head, kName);
    if (at == std::string_view::npos) return 0;
    const std::size_t from = at + kName.size();
    const std::string_view value = text::trim(head.substr(from, head.find("\r\n", from) - from));
    return text::parse_whole_number(value).value_or(-1);
}

}  // namespace jobsync::bench
