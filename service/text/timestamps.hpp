// UTC timestamps as text (pure): the one place that reads and writes them. Parsing is strict
// about the shape and lets the C library (strptime, timegm, gmtime_r) do the calendar. Month and
// day names are read in the "C" locale, which the service never changes.
#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace jobsync::text {

// Unix microseconds of "YYYY-MM-DD(T| )HH:MM:SS[.fraction]" followed by "Z" or an offset
// (+HH, +HHMM, +HH:MM), as PostgreSQL writes timestamptz and JSearch its posting times. Years
// 0001-9999, a day that exists in its month, seconds 00-59. nullopt without a zone: ambiguous.
std::optional<std::int64_t> parse_iso8601(std::string_view text);

// "YYYY-MM-DDTHH:MM:SS[.fraction]Z" exactly, with the ranges above: what the jobs table's
// timestamptz columns are sent (PostgreSQL has no year 0000; other offsets than Z are refused,
// the column promises UTC).
bool is_iso8601_utc(std::string_view text);

// Unix seconds -> "YYYY-MM-DDTHH:MM:SS.000Z"; nullopt outside 1970..9999.
std::optional<std::string> format_unix_seconds_utc(long long seconds);

// Unix seconds of an HTTP-date in any of its three forms (RFC 9110 section 5.6.7; senders use
// only the first): "Sun, 06 Nov 1994 08:49:37 GMT", "Sunday, 06-Nov-94 08:49:37 GMT" and
// "Sun Nov  6 08:49:37 1994". Years before 1900 are refused.
std::optional<std::int64_t> parse_http_date(std::string_view text);

// `unix_seconds` through strftime(`format`) in UTC, e.g. "%Y-%m-%d %H:%M:%SZ".
std::string format_utc(std::int64_t unix_seconds, const char* format);

// "YYYY-MM-DDTHH:MM:SS.mmmZ", milliseconds truncated, before 1970 included: the run's
// timestamps (last_seen, the sweep's cut-off, the report).
std::string format_iso8601_millis(std::chrono::system_clock::time_point time);

}  // namespace jobsync::text
