#include "http/transport.hpp"
#include "text/strings.hpp"

namespace jobsync::http {

std::optional<std::string> find_header(const Headers& headers, std::string_view name) {
    for (const auto& [key, value] : headers) {
        if (text::equals_ignoring_case(key, name)) return value;
    }
    return std::nullopt;
}

}  // namespace jobsync::http
