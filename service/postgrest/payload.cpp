#include "postgrest/payload.hpp"

#include <rapidjson/internal/dtoa.h>

#include <array>
#include <cmath>
#include <optional>

#include "jobs/json_writer.hpp"
#include "text/utf8.hpp"

namespace jobsync::postgrest {

namespace {

// Rows are written straight into one std::string sized up front. The output is byte for byte
// what RapidJSON's Writer produced before (same escaping, same number format), without its
// per-character loops: in the bench's profile, encoding was 14% of job-sync's CPU.
using Out = std::string;

// Checked and escaped in one pass; the rare text that is not clean is cleaned first. A row
// the mapper vouches for (JobRow::clean_text) was checked there: it is only escaped.
void write_string(Out& out, std::string_view text, bool clean) {
    if (clean) {
        jobs::append_json_string(out, text);
        return;
    }
    if (jobs::append_clean_json_string(out, text)) return;
    jobs::append_json_string(out, text::to_clean_utf8(text));
}

void write(Out& out, const std::optional<jobs::Text>& value, bool clean) {
    if (value) {
        write_string(out, *value, clean);
    } else {
        out += "null";
    }
}

void write(Out& out, const std::optional<bool>& value, bool /*clean*/) {
    if (value) {
        out += *value ? "true" : "false";
    } else {
        out += "null";
    }
}

// JSON has no NaN/Inf; RapidJSON's shortest round-trip format (Grisu2, "120000.0") otherwise.
void write(Out& out, const std::optional<double>& value, bool /*clean*/) {
    if (value && std::isfinite(*value)) {
        char digits[32];
        const char* end = rapidjson::internal::dtoa(*value, digits);
        out.append(digits, static_cast<std::size_t>(end - digits));
    } else {
        out += "null";
    }
}

// JsonText is validated JSON by contract (jobs/job_row.hpp); embed it as is.
void write(Out& out, const std::optional<jobs::JsonText>& value, bool /*clean*/) {
    if (value && !value->text.empty()) {
        out += value->text;
    } else {
        out += "null";
    }
}

using FieldWriter = void (*)(Out&, const jobs::JobRow&, std::string_view last_seen);

struct Field {
    std::string_view name;
    FieldWriter write;
};

template <auto Member>
void write_member(Out& out, const jobs::JobRow& row, std::string_view) {
    write(out, row.*Member, row.clean_text);
}

void write_job_id(Out& out, const jobs::JobRow& row, std::string_view) {
    write_string(out, row.job_id, row.clean_text);
}

void write_is_active(Out& out, const jobs::JobRow&, std::string_view) { out += "true"; }

void write_last_seen(Out& out, const jobs::JobRow&, std::string_view last_seen) {
    write_string(out, last_seen, false);
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

// Room for the keys, the numbers and a few escapes, plus every text: one allocation a row.
std::size_t estimated_size(const jobs::JobRow& row, std::string_view last_seen) {
    std::size_t size = 1024 + row.job_id.size() + last_seen.size();
    for (const auto* text :
         {&row.job_title, &row.employer_name, &row.employer_logo, &row.employer_website,
          &row.job_publisher, &row.job_employment_type, &row.job_apply_link, &row.job_description,
          &row.job_location, &row.job_city, &row.job_state, &row.job_country,
          &row.job_posted_at_datetime_utc, &row.job_salary_currency, &row.job_salary_period,
          &row.job_google_link}) {
        if (*text) size += (*text)->size() + (*text)->size() / 16;
    }
    for (const auto* json :
         {&row.job_employment_types, &row.apply_options, &row.job_highlights, &row.job_benefits}) {
        if (*json) size += (*json)->text.size();
    }
    return size;
}

}  // namespace

void append_row(std::string& out, const jobs::JobRow& row, std::string_view last_seen) {
    // Grows `out` once for the row; a batch's text reserved for its limit does not grow at all.
    out.reserve(out.size() + estimated_size(row, last_seen));
    out += '{';
    bool first = true;
    for (const Field& field : kFields) {
        if (!first) out += ',';
        first = false;
        out += '"';
        out += field.name;  // column names need no escaping
        out += "\":";
        field.write(out, row, last_seen);
    }
    out += '}';
}

std::string encode_row(const jobs::JobRow& row, std::string_view last_seen) {
    std::string out;
    append_row(out, row, last_seen);
    return out;
}

}  // namespace jobsync::postgrest
