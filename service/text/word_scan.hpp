// Looking at text 8 bytes at a time (one 64-bit word), or 16 (one SSE2 register, where the
// machine has it: every x86-64 does), for the loops that skip plain runs: JSON escaping, the
// JSearch parse, UTF-8 checks. Each `*_bytes` function returns a word with the high bit set in
// every byte that matches; the lowest such byte is always a real match (a false flag needs a
// borrow from a real one below it), so first_flagged() finds the first.
#pragma once

#include <cstddef>
#include <cstdint>
#include <cstring>

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

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

// The block the loops take at once where 16 bytes are left: one SSE2 register.
inline constexpr std::size_t kBlock = 16;

// How many of the 8 bytes at `at` (all readable) come before the first '"', '\\' or control
// character, and with `or_high` also before the first byte of 0x80 and up; 8 when there is none.
inline std::size_t plain_prefix_word(const char* at, bool or_high) {
    const std::uint64_t word = load(at);
    return first_flagged(json_special_bytes(word) | (or_high ? non_ascii_bytes(word) : 0));
}

// The same over the kBlock bytes at `at`, two words at a time: what plain_prefix() does
// without SSE2.
inline std::size_t plain_prefix_words(const char* at, bool or_high) {
    const std::size_t first = plain_prefix_word(at, or_high);
    return first < 8 ? first : 8 + plain_prefix_word(at + 8, or_high);
}

// The same, one compare of each kind over the whole block.
inline std::size_t plain_prefix(const char* at, bool or_high) {
#if defined(__SSE2__)
    const __m128i bytes = _mm_loadu_si128(reinterpret_cast<const __m128i*>(at));
    const __m128i control =  // unsigned byte <= 0x1F: max(byte, 0x1F) is 0x1F
        _mm_cmpeq_epi8(_mm_max_epu8(bytes, _mm_set1_epi8(0x1F)), _mm_set1_epi8(0x1F));
    const __m128i special =
        _mm_or_si128(control, _mm_or_si128(_mm_cmpeq_epi8(bytes, _mm_set1_epi8('"')),
                                           _mm_cmpeq_epi8(bytes, _mm_set1_epi8('\\'))));
    // movemask takes each byte's high bit: set for a match, and for a byte >= 0x80.
    auto flags = static_cast<unsigned>(_mm_movemask_epi8(special));
    if (or_high) flags |= static_cast<unsigned>(_mm_movemask_epi8(bytes));
    return flags == 0 ? kBlock : static_cast<std::size_t>(__builtin_ctz(flags));
#else
    return plain_prefix_words(at, or_high);
#endif
}

// Past the plain bytes from `at` (as plain_prefix() counts them) while 8 or more are left
// before `end`: the first byte that is not plain, or where fewer than 8 are left; the caller
// takes the last few one at a time.
inline const char* skip_plain(const char* at, const char* end, bool or_high) {
    while (end - at >= static_cast<std::ptrdiff_t>(kBlock)) {
        const std::size_t plain = plain_prefix(at, or_high);
        at += plain;
        if (plain != kBlock) return at;
    }
    if (end - at >= 8) at += plain_prefix_word(at, or_high);
    return at;
}

// Whether the kBlock bytes at `at` are all ASCII (and, with `or_nul`, none is NUL).
inline bool all_ascii_words(const char* at, bool or_nul) {
    const std::uint64_t low = load(at);
    const std::uint64_t high = load(at + 8);
    std::uint64_t flags = non_ascii_bytes(low) | non_ascii_bytes(high);
    if (or_nul) flags |= zero_bytes(low) | zero_bytes(high);
    return flags == 0;
}

inline bool all_ascii(const char* at, bool or_nul) {
#if defined(__SSE2__)
    const __m128i bytes = _mm_loadu_si128(reinterpret_cast<const __m128i*>(at));
    int flags = _mm_movemask_epi8(bytes);
    if (or_nul) flags |= _mm_movemask_epi8(_mm_cmpeq_epi8(bytes, _mm_setzero_si128()));
    return flags == 0;
#else
    return all_ascii_words(at, or_nul);
#endif
}

}  // namespace jobsync::text::word
