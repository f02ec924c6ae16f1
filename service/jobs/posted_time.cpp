#include "jobs/posted_time.hpp"

#include <cctype>
#include <cstdio>

#include "jobs/utc_time.hpp"

namespace jobsync::jobs {

namespace {

bool is_leap(int year) { return (year % 4 == 0 && year % 100 != 0) || year % 400 == 0; }

int days_in_month(int year, int month) {
    static constexpr int kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    return month == 2 && is_leap(year) ? 29 : kDays[month - 1];
}

}  // namespace

bool is_iso8601_utc(std::string_view text) {
    int year = 0, month = 0, day = 0, hour = 0, minute = 0, second = 0;
    if (!read_digits(text, 0, 4, year) || text.size() < 20 || text[4] != '-' ||
        !read_digits(text, 5, 2, month) || text[7] != '-' || !read_digits(text, 8, 2, day) ||
        text[10] != 'T' || !read_digits(text, 11, 2, hour) || text[13] != ':' ||
        !read_digits(text, 14, 2, minute) || text[16] != ':' || !read_digits(text, 17, 2, second)) {
        return false;
    }
    std::size_t at = 19;
    if (text[at] == '.') {
        std::size_t first = ++at;
        while (at < text.size() && std::isdigit(static_cast<unsigned char>(text[at]))) ++at;
        if (at == first) return false;
    }
    if (at + 1 != text.size() || text[at] != 'Z') return false;
    return year >= 1 && month >= 1 && month <= 12 && day >= 1 &&
           day <= days_in_month(year, month) && hour <= 23 && minute <= 59 && second <= 59;
}

std::optional<std::string> format_unix_seconds_utc(long long seconds) {
    constexpr long long kLast = 253402300799LL;  // 9999-12-31T23:59:59Z
    if (seconds < 0 || seconds > kLast) return std::nullopt;
    const UtcFields t = utc_fields(seconds);
    char buffer[64];  // every value is bounded above; the size only quiets -Wformat-truncation
    std::snprintf(buffer, sizeof buffer, "%04d-%02u-%02uT%02u:%02u:%02u.000Z",
                  static_cast<int>(t.year), t.month, t.day, t.hour, t.minute, t.second);
    return std::string(buffer);
}

}  // namespace jobsync::jobs
