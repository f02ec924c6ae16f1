// Text rules particular to the config file formats; the generic helpers are in text/strings.hpp.
#pragma once

#include <string_view>

#include "text/strings.hpp"

namespace jobsync::config {

// The UTF-8 byte order mark some Windows editors put at the start of a file.
inline std::string_view strip_bom(std::string_view text) {
    constexpr std::string_view kBom = "\xEF\xBB\xBF";
    return text::starts_with(text, kBom) ? text.substr(kBom.size()) : text;
}

}  // namespace jobsync::config
