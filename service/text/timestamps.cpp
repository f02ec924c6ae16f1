#include "text/timestamps.hpp"

#include <array>
#include <cstdio>
#include <ctime>

namespace jobsync::text {

namespace {

// `text` has `shape`'s length and a digit wherever `shape` has 'd'; other characters must match.
bool has_shape(std::string_view text, std::string_view shape) {
    if (text.size() != shape.size()) return false;
    for (std::size_t i = 0; i < shape.size(); ++i) {
        const bool digit = text[i] >= '0' && text[i] <= '9';
        if (shape[i] == 'd' ? !digit : text[i] != shape[i]) return false;
    }
    return true;
}

// strptime over the whole of `text` (a copy: it reads a C string).
std::optional<std::tm> read_fields(std::string_view text, const char* format) {
    const std::string terminated(text);
    std::tm fields{};
    const char* end = strptime(terminated.c_str(), format, &fields);
    if (end == nullptr || *end != '\0') return std::nullopt;
    return fields;
}

// timegm, refusing what it would carry over: "Feb 30" into March, a leap second into the next
// minute.
std::optional<std::int64_t> to_unix_seconds(std::tm fields) {
    const std::tm asked = fields;
    const std::time_t seconds = timegm(&fields);
    if (fields.tm_mday != asked.tm_mday || fields.tm_mon != asked.tm_mon ||
        fields.tm_sec != asked.tm_sec) {
        return std::nullopt;
    }
    return static_cast<std::int64_t>(seconds);
}

int two_digits(std::string_view text) { return (text[0] - '0') * 10 + (text[1] - '0'); }

}  // namespace

std::optional<std::int64_t> parse_iso8601(std::string_view text) {
    constexpr std::string_view kShape = "dddd-dd-ddTdd:dd:dd";
    if (text.size() < kShape.size()) return std::nullopt;
    std::array<char, kShape.size()> copy{};
    text.copy(copy.data(), copy.size());
    const std::string_view head(copy.data(), copy.size());
    if (copy[10] == ' ') copy[10] = 'T';
    if (!has_shape(head, kShape) || head.compare(0, 4, "0000") == 0) return std::nullopt;
    // The shape holds digits where strptime's %Y-%m-%dT%H:%M:%S would read them; its ranges
    // are checked here, the day against its month by to_unix_seconds.
    std::tm fields{};
    fields.tm_year = two_digits(head.substr(0, 2)) * 100 + two_digits(head.substr(2, 2)) - 1900;
    fields.tm_mon = two_digits(head.substr(5, 2)) - 1;
    fields.tm_mday = two_digits(head.substr(8, 2));
    fields.tm_hour = two_digits(head.substr(11, 2));
    fields.tm_min = two_digits(head.substr(14, 2));
    fields.tm_sec = two_digits(head.substr(17, 2));
    if (fields.tm_mon < 0 || fields.tm_mon > 11 || fields.tm_mday < 1 || fields.tm_mday > 31 ||
        fields.tm_hour > 23 || fields.tm_min > 59 || fields.tm_sec > 60) {
        return std::nullopt;
    }
    const auto seconds = to_unix_seconds(fields);
    if (!seconds) return std::nullopt;

    std::string_view rest = text.substr(kShape.size());
    std::int64_t micros = 0;
    if (!rest.empty() && rest.front() == '.') {
        rest.remove_prefix(1);
        std::size_t digits = 0;
        while (digits < rest.size() && rest[digits] >= '0' && rest[digits] <= '9') ++digits;
        if (digits == 0) return std::nullopt;
        for (std::size_t i = 0; i < 6; ++i) micros = micros * 10 + (i < digits ? rest[i] - '0' : 0);
        rest.remove_prefix(digits);
    }
    std::int64_t offset = 0;
    if (rest != "Z" && rest != "z") {
        if (rest.empty() || (rest.front() != '+' && rest.front() != '-')) return std::nullopt;
        const int sign = rest.front() == '-' ? -1 : 1;
        const std::string_view zone = rest.substr(1);
        if (!has_shape(zone, "dd") && !has_shape(zone, "dddd") && !has_shape(zone, "dd:dd")) {
            return std::nullopt;
        }
        const int minutes = zone.size() == 2 ? 0 : two_digits(zone.substr(zone.size() - 2));
        offset = sign * (std::int64_t{two_digits(zone)} * 3600 + std::int64_t{minutes} * 60);
    }
    return (*seconds - offset) * 1000000 + micros;
}

bool is_iso8601_utc(std::string_view text) {
    return text.size() > 10 && text[10] == 'T' && text.back() == 'Z' &&
           parse_iso8601(text).has_value();
}

std::optional<std::string> format_unix_seconds_utc(long long seconds) {
    constexpr long long kLast = 253402300799LL;  // 9999-12-31T23:59:59Z
    if (seconds < 0 || seconds > kLast) return std::nullopt;
    return format_utc(seconds, "%Y-%m-%dT%H:%M:%S.000Z");
}

std::optional<std::int64_t> parse_http_date(std::string_view text) {
    // IMF-fixdate, RFC 850 (two-digit year: 69-99 are 19xx), asctime. A space in a strptime
    // format matches any run of spaces, so asctime's padded day ("Nov  6") needs nothing more.
    for (const char* format :
         {"%a, %d %b %Y %H:%M:%S GMT", "%A, %d-%b-%y %H:%M:%S GMT", "%a %b %d %H:%M:%S %Y"}) {
        const auto fields = read_fields(text, format);
        if (!fields) continue;
        if (fields->tm_year < 0) return std::nullopt;
        return to_unix_seconds(*fields);
    }
    return std::nullopt;
}

std::string format_utc(std::int64_t unix_seconds, const char* format) {
    const auto seconds = static_cast<std::time_t>(unix_seconds);
    std::tm fields{};
    gmtime_r(&seconds, &fields);
    char out[64];
    const std::size_t length = std::strftime(out, sizeof out, format, &fields);
    return {out, length};
}

std::string format_iso8601_millis(std::chrono::system_clock::time_point time) {
    using namespace std::chrono;
    const auto ms = floor<milliseconds>(time).time_since_epoch().count();
    const auto millis = ((ms % 1000) + 1000) % 1000;  // also right before 1970
    char fraction[8];
    std::snprintf(fraction, sizeof fraction, ".%03dZ", static_cast<int>(millis));
    return format_utc((ms - millis) / 1000, "%Y-%m-%dT%H:%M:%S") + fraction;
}

}  // namespace jobsync::text
