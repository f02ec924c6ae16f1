#include "postgrest/payload.hpp"

#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include <array>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <optional>

namespace jobsync::postgrest {

namespace {

using Writer = rapidjson::Writer<rapidjson::StringBuffer>;

// Length of the well-formed UTF-8 sequence at the front of `text`, or 0 when it is not one
// (overlong forms, surrogates and code points above U+10FFFF included).
std::size_t valid_sequence_length(std::string_view text) {
    const auto byte = [&text](std::size_t i) { return static_cast<unsigned char>(text[i]); };
    const unsigned char lead = byte(0);
    if (lead < 0x80) return 1;
    std::size_t length = 0;
    unsigned char low = 0x80, high = 0xBF;  // allowed range of the second byte
    if (lead >= 0xC2 && lead <= 0xDF) {
        length = 2;
    } else if (lead >= 0xE0 && lead <= 0xEF) {
        length = 3;
        if (lead == 0xE0) low = 0xA0;
        if (lead == 0xED) high = 0x9F;
    } else if (lead >= 0xF0 && lead <= 0xF4) {
        length = 4;
        if (lead == 0xF0) low = 0x90;
        if (lead == 0xF4) high = 0x8F;
    } else {
        return 0;
    }
    if (text.size() < length || byte(1) < low || byte(1) > high) return 0;
    for (std::size_t i = 2; i < length; ++i) {
        if (byte(i) < 0x80 || byte(i) > 0xBF) return 0;
    }
    return length;
}

// True when the 8 bytes at `at` are all ASCII and none is NUL, the common case in job text,
// so clean stretches are skipped a word at a time.
bool plain_ascii_word(const char* at) {
    constexpr std::uint64_t kOnes = 0x0101010101010101ULL;
    constexpr std::uint64_t kHighBits = 0x8080808080808080ULL;
    std::uint64_t word = 0;
    std::memcpy(&word, at, sizeof word);
    const std::uint64_t has_nul = (word - kOnes) & ~word & kHighBits;
    return ((word & kHighBits) | has_nul) == 0;
}

bool needs_cleaning(std::string_view text) {
    for (std::size_t i = 0; i < text.size();) {
        if (text.size() - i >= 8 && plain_ascii_word(text.data() + i)) {
            i += 8;
            continue;
        }
        if (text[i] == '\0') return true;
        const std::size_t length = valid_sequence_length(text.substr(i));
        if (length == 0) return true;
        i += length;
    }
    return false;
}

std::string clean(std::string_view text) {
    static constexpr std::string_view kReplacement = "\xEF\xBF\xBD";  // U+FFFD
    std::string out;
    out.reserve(text.size());
    for (std::size_t i = 0; i < text.size();) {
        if (text[i] == '\0') {
            ++i;
            continue;
        }
        const std::size_t length = valid_sequence_length(text.substr(i));
        if (length == 0) {
            out += kReplacement;
            ++i;
        } else {
            out.append(text.substr(i, length));
            i += length;
        }
    }
    return out;
}

void write_string(Writer& w, std::string_view text) {
    if (!needs_cleaning(text)) {
        w.String(text.data(), static_cast<rapidjson::SizeType>(text.size()));
        return;
    }
    const std::string cleaned = clean(text);
    w.String(cleaned.data(), static_cast<rapidjson::SizeType>(cleaned.size()));
}

void write(Writer& w, const std::optional<std::string>& value) {
    if (value) {
        write_string(w, *value);
    } else {
        w.Null();
    }
}

void write(Writer& w, const std::optional<bool>& value) {
    if (value) {
        w.Bool(*value);
    } else {
        w.Null();
    }
}

// RapidJSON refuses NaN/Inf and would leave a dangling key; JSON has no such numbers anyway.
void write(Writer& w, const std::optional<double>& value) {
    if (value && std::isfinite(*value)) {
        w.Double(*value);
    } else {
        w.Null();
    }
}

// JsonText is validated JSON by contract (jobs/job_row.hpp); embed it as is.
void write(Writer& w, const std::optional<jobs::JsonText>& value) {
    if (value && !value->text.empty()) {
        w.RawValue(value->text.data(), value->text.size(), rapidjson::kObjectType);
    } else {
        w.Null();
    }
}

using FieldWriter = void (*)(Writer&, const jobs::JobRow&, std::string_view last_seen);

struct Field {
    std::string_view name;
    FieldWriter write;
};

template <auto Member>
void write_member(Writer& w, const jobs::JobRow& row, std::string_view) {
    write(w, row.*Member);
}

void write_job_id(Writer& w, const jobs::JobRow& row, std::string_view) {
    write_string(w, row.job_id);
}

void write_is_active(Writer& w, const jobs::JobRow&, std::string_view) { w.Bool(true); }

void write_last_seen(Writer& w, const jobs::JobRow&, std::string_view last_seen) {
    write_string(w, last_seen);
}

constexpr std::array<Field, jobs::kSyncColumns.size()> kFields = {{
    {"job_id", write_job_id},
    {"job_title", write_member<&jobs::JobRow::job_title>},
    {"employer_name", write_member<&jobs::JobRow::employer_name>},
    {"employer_logo", write_member<&jobs::JobRow::employer_logo>},
    {"employer_website", write_member<&jobs::JobRow::employer_website>},
    {"job_publisher", write_member<&jobs::JobRow::job_publisher>},
    {"job_employment_type", write_member<&jobs::JobRow::job_employment_type>},
    {"job_employment_types", write_member<&jobs::JobRow::job_employment_types>},
    {"job_apply_link", write_member<&jobs::JobRow::job_apply_link>},
    {"job_apply_is_direct", write_member<&jobs::JobRow::job_apply_is_direct>},
    {"apply_options", write_member<&jobs::JobRow::apply_options>},
    {"job_description", write_member<&jobs::JobRow::job_description>},
    {"job_is_remote", write_member<&jobs::JobRow::job_is_remote>},
    {"job_location", write_member<&jobs::JobRow::job_location>},
    {"job_city", write_member<&jobs::JobRow::job_city>},
    {"job_state", write_member<&jobs::JobRow::job_state>},
    {"job_country", write_member<&jobs::JobRow::job_country>},
    {"job_latitude", write_member<&jobs::JobRow::job_latitude>},
    {"job_longitude", write_member<&jobs::JobRow::job_longitude>},
    {"job_posted_at_datetime_utc", write_member<&jobs::JobRow::job_posted_at_datetime_utc>},
    {"job_min_salary", write_member<&jobs::JobRow::job_min_salary>},
    {"job_max_salary", write_member<&jobs::JobRow::job_max_salary>},
    {"job_salary_currency", write_member<&jobs::JobRow::job_salary_currency>},
    {"job_salary_period", write_member<&jobs::JobRow::job_salary_period>},
    {"job_highlights", write_member<&jobs::JobRow::job_highlights>},
    {"job_benefits", write_member<&jobs::JobRow::job_benefits>},
    {"job_google_link", write_member<&jobs::JobRow::job_google_link>},
    {"is_active", write_is_active},
    {"last_seen", write_last_seen},
}};

constexpr bool fields_match_sync_columns() {
    for (std::size_t i = 0; i < kFields.size(); ++i) {
        if (kFields[i].name != jobs::kSyncColumns[i]) return false;
    }
    return true;
}

// The payload and `?columns=` must never drift apart.
static_assert(fields_match_sync_columns(), "payload fields must follow jobs::kSyncColumns");

}  // namespace

std::string encode_row(const jobs::JobRow& row, std::string_view last_seen) {
    rapidjson::StringBuffer buffer;
    Writer w(buffer);
    w.StartObject();
    for (const Field& field : kFields) {
        w.Key(field.name.data(), static_cast<rapidjson::SizeType>(field.name.size()));
        field.write(w, row, last_seen);
    }
    w.EndObject();
    return {buffer.GetString(), buffer.GetSize()};
}

}  // namespace jobsync::postgrest
