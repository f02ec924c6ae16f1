// Looking at text 8 bytes at a time (one 64-bit word), for the loops that skip plain runs:
// JSON escaping, the JSearch parse, UTF-8 checks. Each `*_bytes` function returns a word with
// the high bit set in every byte that matches; the lowest such byte is always a real match (a
// false flag needs a borrow from a real one below it), so first_flagged() finds the first.
#pragma once

#include <cstddef>
#include <cstdint>
#include <cstring>

namespace jobsync::text::word {

static_assert(__BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__,
              "the lowest byte of a loaded word is the first in the text");

inline constexpr std::uint64_t kOnes = 0x0101010101010101ULL;
inline constexpr std::uint64_t kHighBits = 0x8080808080808080ULL;

// The 8 bytes at `at` (which must have 8 readable bytes).
inline std::uint64_t load(const char* at) {
    std::uint64_t word = 0;
    std::memcpy(&word, at, sizeof word);
    return word;
}

inline std::uint64_t zero_bytes(std::uint64_t word) { return (word - kOnes) & ~word & kHighBits; }

inline std::uint64_t non_ascii_bytes(std::uint64_t word) { return word & kHighBits; }

// The bytes that end a plain run inside a JSON string: '"', '\\' and control characters
// (below 0x20). Bytes of 0x80 and up (UTF-8) are plain.
inline std::uint64_t json_special_bytes(std::uint64_t word) {
    const std::uint64_t control = (word - 0x20 * kOnes) & ~word & kHighBits;
    return control | zero_bytes(word ^ ('"' * kOnes)) | zero_bytes(word ^ ('\\' * kOnes));
}

// How many bytes come before the first flagged one: 8 when none is.
inline std::size_t first_flagged(std::uint64_t flags) {
    return flags == 0 ? sizeof flags : static_cast<std::size_t>(__builtin_ctzll(flags)) / 8;
}

}  // namespace jobsync::text::word
