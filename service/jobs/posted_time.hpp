// The posting time as the table stores it: ISO-8601 UTC text, "2025-06-24T00:00:00.000Z".
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace jobsync::jobs {

// "YYYY-MM-DDTHH:MM:SS" with an optional fraction (".000") and a final "Z", with valid ranges,
// as PostgreSQL's timestamptz input accepts it: year 0000 does not exist there (1 BC is year
// 0001 BC; "0000-..." is 22008 "date/time field value out of range"), so years are 0001-9999.
// Offsets other than Z are refused: the column promises UTC.
bool is_iso8601_utc(std::string_view text);

// Unix seconds -> "YYYY-MM-DDTHH:MM:SS.000Z"; nullopt outside 1970..9999.
std::optional<std::string> format_unix_seconds_utc(long long seconds);

}  // namespace jobsync::jobs
