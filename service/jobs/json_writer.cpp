#include "jobs/json_writer.hpp"

#include <rapidjson/internal/dtoa.h>
#include <rapidjson/internal/itoa.h>

#include <cstddef>

#include "text/utf8.hpp"
#include "text/word_scan.hpp"

namespace jobsync::jobs {

namespace {

// The escapes are RapidJSON's Writer's (its escape table and upper-case hex digits). Checked:
// false, with nothing appended, at the first NUL or byte that is not well-formed UTF-8.
template <bool Checked>
bool write_json_string(std::string& out, std::string_view text) {
    static constexpr char kHex[] = "0123456789ABCDEF";
    const std::size_t mark = out.size();
    out += '"';
    std::size_t copied = 0;  // text[copied, i) is waiting to be appended
    const char* const begin = text.data();
    const char* const end = begin + text.size();
    for (std::size_t i = 0; i < text.size();) {
        // Runs that need no escaping are skipped 16 bytes at a time (bytes >= 0x80 are UTF-8
        // and written as they are; a checked write also stops at them, to look at each
        // multi-byte sequence). What is left is the byte that stopped it, or one of the last few.
        if (text.size() - i >= 8) {
            i = static_cast<std::size_t>(text::word::skip_plain(begin + i, end, Checked) - begin);
            if (i == text.size()) break;
        }
        const auto c = static_cast<unsigned char>(text[i]);
        if constexpr (Checked) {
            if (c >= 0x80) {
                const std::size_t length = text::utf8_sequences_at(text.substr(i));
                if (length == 0) {
                    out.resize(mark);
                    return false;
                }
                i += length;
                continue;
            }
            if (c == 0) {
                out.resize(mark);
                return false;
            }
        }
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
    return true;
}

template <bool Checked>
bool write_compact_json(std::string& out, const rapidjson::Value& value) {
    char digits[32];
    switch (value.GetType()) {
        case rapidjson::kNullType:
            out += "null";
            return true;
        case rapidjson::kFalseType:
            out += "false";
            return true;
        case rapidjson::kTrueType:
            out += "true";
            return true;
        case rapidjson::kStringType:
            return write_json_string<Checked>(out, {value.GetString(), value.GetStringLength()});
        case rapidjson::kArrayType: {
            out += '[';
            bool first = true;
            for (const auto& item : value.GetArray()) {
                if (!first) out += ',';
                first = false;
                if (!write_compact_json<Checked>(out, item)) return false;
            }
            out += ']';
            return true;
        }
        case rapidjson::kObjectType: {
            out += '{';
            bool first = true;
            for (const auto& member : value.GetObject()) {
                if (!first) out += ',';
                first = false;
                if (!write_json_string<Checked>(
                        out, {member.name.GetString(), member.name.GetStringLength()})) {
                    return false;
                }
                out += ':';
                if (!write_compact_json<Checked>(out, member.value)) return false;
            }
            out += '}';
            return true;
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
            return true;
        }
    }
    return true;
}

}  // namespace

void append_json_string(std::string& out, std::string_view text) {
    write_json_string<false>(out, text);
}

bool append_clean_json_string(std::string& out, std::string_view text) {
    return write_json_string<true>(out, text);
}

void append_compact_json(std::string& out, const rapidjson::Value& value) {
    write_compact_json<false>(out, value);
}

bool append_clean_compact_json(std::string& out, const rapidjson::Value& value) {
    const std::size_t mark = out.size();
    if (write_compact_json<true>(out, value)) return true;
    out.resize(mark);
    return false;
}

}  // namespace jobsync::jobs
