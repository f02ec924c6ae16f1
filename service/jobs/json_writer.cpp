#include "jobs/json_writer.hpp"

#include <rapidjson/internal/dtoa.h>
#include <rapidjson/internal/itoa.h>

#include <cstdint>
#include <cstring>

namespace jobsync::jobs {

namespace {

// True when one of the 8 bytes at `at` must be escaped in a JSON string: a control character,
// '"' or '\\' (bytes >= 0x80 are UTF-8 and written as they are).
bool word_needs_escape(const char* at) {
    constexpr std::uint64_t kOnes = 0x0101010101010101ULL;
    constexpr std::uint64_t kHighBits = 0x8080808080808080ULL;
    std::uint64_t word = 0;
    std::memcpy(&word, at, sizeof word);
    const auto has_zero = [](std::uint64_t w) { return (w - kOnes) & ~w & kHighBits; };
    const std::uint64_t control = (word - 0x20 * kOnes) & ~word & kHighBits;  // a byte < 0x20
    return (control | has_zero(word ^ ('"' * kOnes)) | has_zero(word ^ ('\\' * kOnes))) != 0;
}

}  // namespace

// The escapes are RapidJSON's Writer's (its escape table and upper-case hex digits).
void append_json_string(std::string& out, std::string_view text) {
    static constexpr char kHex[] = "0123456789ABCDEF";
    out += '"';
    std::size_t copied = 0;  // text[copied, i) is waiting to be appended
    for (std::size_t i = 0; i < text.size();) {
        if (text.size() - i >= 8 && !word_needs_escape(text.data() + i)) {
            i += 8;
            continue;
        }
        const auto c = static_cast<unsigned char>(text[i]);
        if (c >= 0x20 && c != '"' && c != '\\') {
            ++i;
            continue;
        }
        out.append(text, copied, i - copied);
        out += '\\';
        switch (c) {
            case '"':
            case '\\':
                out += static_cast<char>(c);
                break;
            case '\b':
                out += 'b';
                break;
            case '\f':
                out += 'f';
                break;
            case '\n':
                out += 'n';
                break;
            case '\r':
                out += 'r';
                break;
            case '\t':
                out += 't';
                break;
            default:
                out += "u00";
                out += kHex[c >> 4];
                out += kHex[c & 0xF];
        }
        copied = ++i;
    }
    out.append(text, copied, std::string_view::npos);
    out += '"';
}

void append_compact_json(std::string& out, const rapidjson::Value& value) {
    char digits[32];
    switch (value.GetType()) {
        case rapidjson::kNullType:
            out += "null";
            return;
        case rapidjson::kFalseType:
            out += "false";
            return;
        case rapidjson::kTrueType:
            out += "true";
            return;
        case rapidjson::kStringType:
            append_json_string(out, {value.GetString(), value.GetStringLength()});
            return;
        case rapidjson::kArrayType: {
            out += '[';
            bool first = true;
            for (const auto& item : value.GetArray()) {
                if (!first) out += ',';
                first = false;
                append_compact_json(out, item);
            }
            out += ']';
            return;
        }
        case rapidjson::kObjectType: {
            out += '{';
            bool first = true;
            for (const auto& member : value.GetObject()) {
                if (!first) out += ',';
                first = false;
                append_json_string(out, {member.name.GetString(), member.name.GetStringLength()});
                out += ':';
                append_compact_json(out, member.value);
            }
            out += '}';
            return;
        }
        case rapidjson::kNumberType: {
            // The order and formats of GenericValue::Accept and Writer.
            const char* end = nullptr;
            if (value.IsDouble()) {
                end = rapidjson::internal::dtoa(value.GetDouble(), digits);
            } else if (value.IsInt()) {
                end = rapidjson::internal::i32toa(value.GetInt(), digits);
            } else if (value.IsUint()) {
                end = rapidjson::internal::u32toa(value.GetUint(), digits);
            } else if (value.IsInt64()) {
                end = rapidjson::internal::i64toa(value.GetInt64(), digits);
            } else {
                end = rapidjson::internal::u64toa(value.GetUint64(), digits);
            }
            out.append(digits, static_cast<std::size_t>(end - digits));
            return;
        }
    }
}

}  // namespace jobsync::jobs
