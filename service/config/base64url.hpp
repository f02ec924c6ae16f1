// Base64url decoding (RFC 4648 section 5), enough to read a JWT's payload.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace jobsync::config {

// Decodes base64url ('-' and '_'), also accepting the standard alphabet ('+', '/') and '='
// padding. nullopt for any other character or an impossible length.
std::optional<std::string> decode_base64url(std::string_view text);

}  // namespace jobsync::config
