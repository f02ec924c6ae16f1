// UTF-8 checks for text from the feed and from servers (pure). PostgreSQL text holds neither
// invalid UTF-8 nor NUL characters, and one such value would fail a whole upsert batch.
#pragma once

#include <string_view>

namespace jobsync::text {

// Well-formed UTF-8: no overlong forms, no UTF-16 surrogates, nothing past U+10FFFF.
bool is_valid_utf8(std::string_view text);

}  // namespace jobsync::text
