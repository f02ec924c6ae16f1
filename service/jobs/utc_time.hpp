// UTC calendar arithmetic and digit reading for timestamp text (pure), shared by the posting
// time (jobs/posted_time) and the operators' reports (commands/status_report).
#pragma once

#include <cstddef>
#include <cstdint>
#include <string_view>

namespace jobsync::jobs {

// `count` decimal digits of `text` from `at` into `value`; false if any is missing or not a digit.
bool read_digits(std::string_view text, std::size_t at, std::size_t count, int& value);

// Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's days_from_civil).
std::int64_t days_from_civil(std::int64_t year, unsigned month, unsigned day);

// The UTC date and time of day of a Unix time, before 1970 included (H. Hinnant's
// civil_from_days).
struct UtcFields {
    std::int64_t year = 1970;
    unsigned month = 1;
    unsigned day = 1;
    unsigned hour = 0;
    unsigned minute = 0;
    unsigned second = 0;
};
UtcFields utc_fields(std::int64_t unix_seconds);

}  // namespace jobsync::jobs
