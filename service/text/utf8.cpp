#include "text/utf8.hpp"

#include <utf8.h>  // utfcpp

#include <algorithm>
#include <cstdint>
#include <cstring>

#include "text/word_scan.hpp"

namespace jobsync::text {

namespace {

bool is_ascii(char c) { return static_cast<unsigned char>(c) < 0x80; }

// The first byte from `at` that is not ASCII (or is NUL, with `stop_at_nul`), sixteen and then
// eight bytes at a time while they are all plain.
const char* skip_ascii(const char* at, const char* end, bool stop_at_nul) {
    constexpr auto kBlock = static_cast<std::ptrdiff_t>(word::kBlock);
    while (end - at >= kBlock && word::all_ascii(at, stop_at_nul)) at += kBlock;
    for (; end - at >= 8; at += 8) {
        const std::uint64_t bytes = word::load(at);
        if ((word::non_ascii_bytes(bytes) | (stop_at_nul ? word::zero_bytes(bytes) : 0)) != 0) {
            break;
        }
    }
    while (at != end && is_ascii(*at) && !(stop_at_nul && *at == '\0')) ++at;
    return at;
}

// Past the valid sequences at `at`, judged by utfcpp within the next four non-ASCII bytes (a
// sequence has at most four, never an ASCII one); `at` itself when the first one is broken.
// A window, not the whole rest: utfcpp would walk the ASCII after it byte by byte.
const char* past_valid_sequences(const char* at, const char* end) {
    const char* limit = std::find_if(at, at + std::min<std::ptrdiff_t>(4, end - at), is_ascii);
    return utf8::find_invalid(at, limit);
}

// One pass: plain ASCII eight bytes at a time, the rest through utfcpp.
bool is_valid(std::string_view text, bool nul_allowed) {
    const char* at = text.data();
    const char* end = at + text.size();
    while ((at = skip_ascii(at, end, !nul_allowed)) != end) {
        const char* next = *at == '\0' ? at : past_valid_sequences(at, end);
        if (next == at) return false;
        at = next;
    }
    return true;
}

}  // namespace

bool is_valid_utf8(std::string_view text) { return is_valid(text, true); }

bool is_clean_utf8(std::string_view text) { return is_valid(text, false); }

std::size_t utf8_sequences_at(std::string_view text) {
    const char* at = text.data();
    return static_cast<std::size_t>(past_valid_sequences(at, at + text.size()) - at);
}

std::string to_clean_utf8(std::string_view text) {
    static constexpr std::string_view kReplacement = "\xEF\xBF\xBD";  // U+FFFD
    std::string out;
    out.reserve(text.size());
    const char* end = text.data() + text.size();
    for (const char* at = text.data(); at != end;) {
        const char* plain = skip_ascii(at, end, true);
        out.append(at, plain);
        at = plain;
        if (at == end) break;
        if (*at == '\0') {
            ++at;
            continue;
        }
        // One U+FFFD per broken byte (utfcpp's replace_invalid gives a broken sequence one in
        // all): the rows in the table were written that way.
        const char* next = past_valid_sequences(at, end);
        if (next == at) {
            out += kReplacement;
            ++at;
        } else {
            out.append(at, next);
            at = next;
        }
    }
    return out;
}

bool remove_nul(std::string& text) {
    const auto kept = std::remove(text.begin(), text.end(), '\0');
    if (kept == text.end()) return false;
    text.erase(kept, text.end());
    return true;
}

}  // namespace jobsync::text
