#include "jobs/posted_time.hpp"

#include <cctype>
#include <cstdio>

namespace jobsync::jobs {

namespace {

bool digits(std::string_view text, std::size_t at, std::size_t count, int& value) {
    if (at + count > text.size()) return false;
    value = 0;
    for (std::size_t i = at; i < at + count; ++i) {
        if (!std::isdigit(static_cast<unsigned char>(text[i]))) return false;
        value = value * 10 + (text[i] - '0');
    }
    return true;
}

bool is_leap(int year) { return (year % 4 == 0 && year % 100 != 0) || year % 400 == 0; }

int days_in_month(int year, int month) {
    static constexpr int kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    return month == 2 && is_leap(year) ? 29 : kDays[month - 1];
}

}  // namespace

bool is_iso8601_utc(std::string_view text) {
    int year = 0, month = 0, day = 0, hour = 0, minute = 0, second = 0;
    if (!digits(text, 0, 4, year) || text.size() < 20 || text[4] != '-' ||
        !digits(text, 5, 2, month) || text[7] != '-' || !digits(text, 8, 2, day) ||
        text[10] != 'T' || !digits(text, 11, 2, hour) || text[13] != ':' ||
        !digits(text, 14, 2, minute) || text[16] != ':' || !digits(text, 17, 2, second)) {
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
    long long days = seconds / 86400;
    long long rest = seconds % 86400;
    // Days since 1970-01-01 -> civil date (H. Hinnant's civil_from_days), no time zone involved.
    days += 719468;
    long long era = days / 146097;
    long long day_of_era = days - era * 146097;
    long long year_of_era =
        (day_of_era - day_of_era / 1460 + day_of_era / 36524 - day_of_era / 146096) / 365;
    long long day_of_year = day_of_era - (365 * year_of_era + year_of_era / 4 - year_of_era / 100);
    long long mp = (5 * day_of_year + 2) / 153;
    long long day = day_of_year - (153 * mp + 2) / 5 + 1;
    long long month = mp < 10 ? mp + 3 : mp - 9;
    long long year = year_of_era + era * 400 + (month <= 2 ? 1 : 0);
    char buffer[64];  // every value is bounded above; the size only quiets -Wformat-truncation
    std::snprintf(buffer, sizeof buffer, "%04d-%02d-%02dT%02d:%02d:%02d.000Z",
                  static_cast<int>(year), static_cast<int>(month), static_cast<int>(day),
                  static_cast<int>(rest / 3600), static_cast<int>(rest % 3600 / 60),
                  static_cast<int>(rest % 60));
    return std::string(buffer);
}

}  // namespace jobsync::jobs
