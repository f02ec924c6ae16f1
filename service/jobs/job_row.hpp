// One row of the jobs table as the sync owns it. Users' columns (click_count, lane, ...) are
// deliberately absent: what is not here is never sent, so it survives every upsert.
#pragma once

#include <array>
#include <optional>
#include <string>
#include <string_view>

namespace jobsync::jobs {

// JSON values (arrays/objects) are kept as compact, already-validated JSON text.
struct JsonText {
    std::string text;
    bool operator==(const JsonText& other) const { return text == other.text; }
};

struct JobRow {
    std::string job_id;  // the upsert key; never empty in a mapped row
    std::optional<std::string> job_title;
    std::optional<std::string> employer_name;
    std::optional<std::string> employer_logo;
    std::optional<std::string> employer_website;
    std::optional<std::string> job_publisher;
    std::optional<std::string> job_employment_type;  // normalized enum: FULLTIME, PARTTIME, ...
    std::optional<JsonText> job_employment_types;    // distinct enums, e.g. ["FULLTIME"]
    std::optional<std::string> job_apply_link;
    std::optional<bool> job_apply_is_direct;
    std::optional<JsonText> apply_options;  // [{publisher, apply_link, is_direct}]
    std::optional<std::string> job_description;
    std::optional<bool> job_is_remote;
    std::optional<std::string> job_location;
    std::optional<std::string> job_city;
    std::optional<std::string> job_state;
    std::optional<std::string> job_country;
    std::optional<double> job_latitude;
    std::optional<double> job_longitude;
    std::optional<std::string> job_posted_at_datetime_utc;  // ISO-8601 UTC, "...Z"
    std::optional<double> job_min_salary;
    std::optional<double> job_max_salary;
    std::optional<std::string> job_salary_currency;
    std::optional<std::string> job_salary_period;  // YEAR, HOUR, ...
    std::optional<JsonText> job_highlights;        // {"Qualifications": [...], ...}
    std::optional<JsonText> job_benefits;          // ["health_insurance", ...]
    std::optional<std::string> job_google_link;
    // Set by map_job, which checked every text above (job_id included): valid UTF-8 without
    // NUL. The encoder then only escapes them instead of checking them a second time. A row
    // built any other way keeps false and is checked (and cleaned) when encoded.
    bool clean_text = false;
};

// Columns the sync writes, in payload order: the JobRow fields above, then is_active and
// last_seen, which the upsert adds to every row. Used for `?columns=` and in tests.
inline constexpr std::array<std::string_view, 29> kSyncColumns = {
    "job_id",
    "job_title",
    "employer_name",
    "employer_logo",
    "employer_website",
    "job_publisher",
    "job_employment_type",
    "job_employment_types",
    "job_apply_link",
    "job_apply_is_direct",
    "apply_options",
    "job_description",
    "job_is_remote",
    "job_location",
    "job_city",
    "job_state",
    "job_country",
    "job_latitude",
    "job_longitude",
    "job_posted_at_datetime_utc",
    "job_min_salary",
    "job_max_salary",
    "job_salary_currency",
    "job_salary_period",
    "job_highlights",
    "job_benefits",
    "job_google_link",
    "is_active",
    "last_seen",
};

}  // namespace jobsync::jobs
