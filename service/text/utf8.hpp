// UTF-8 checks and repair for text from the feed and from servers (pure). PostgreSQL text holds
// neither invalid UTF-8 nor NUL characters, and one such value would fail a whole upsert batch.
// utfcpp judges each multi-byte sequence; ASCII, nearly all of job text, is skipped eight bytes
// at a time (a word-at-a-time fast path utfcpp does not have, measured in docs/performance.md).
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace jobsync::text {

// Well-formed UTF-8: no overlong forms, no UTF-16 surrogates, nothing past U+10FFFF.
bool is_valid_utf8(std::string_view text);

// Well-formed UTF-8 without NUL characters: what PostgreSQL text accepts as it is.
bool is_clean_utf8(std::string_view text);

// How many bytes at the start of `text`, whose first byte is not ASCII, are well-formed
// multi-byte sequences (judged within its first four bytes); 0 when the first one is broken.
// For scanners that skip ASCII themselves and check the rest as they go.
std::size_t utf8_sequences_at(std::string_view text);

// `text` with NUL characters dropped and every byte that is not part of well-formed UTF-8
// replaced by U+FFFD (one replacement per byte).
std::string to_clean_utf8(std::string_view text);

// Drops the NUL characters of `text`; true when there were some.
bool remove_nul(std::string& text);

}  // namespace jobsync::text
