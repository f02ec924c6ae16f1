#include "config/numbers.hpp"

#include <charconv>
#include <cstdint>

#include "text/strings.hpp"

namespace jobsync::config {

namespace {

bool starts_with_digit(std::string_view text) {
    return !text.empty() && text.front() >= '0' && text.front() <= '9';
}

// Reads the leading digits of `text` (at most 12), advancing it.
std::optional<std::int64_t> take_number(std::string_view& text) {
    if (!starts_with_digit(text)) return std::nullopt;
    std::int64_t value = 0;
    const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
    const auto length = static_cast<std::size_t>(end - text.data());
    if (error != std::errc() || length > 12) return std::nullopt;
    text.remove_prefix(length);
    return value;
}

}  // namespace

std::optional<double> parse_decimal(std::string_view text) {
    if (text.empty() || !(starts_with_digit(text) || text.front() == '.')) return std::nullopt;
    double value = 0;
    const auto [end, error] =
        std::from_chars(text.data(), text.data() + text.size(), value, std::chars_format::fixed);
    if (error != std::errc() || end != text.data() + text.size()) return std::nullopt;
    return value;
}

std::optional<std::chrono::seconds> parse_duration(std::string_view text) {
    text = text::trim(text);
    if (text.empty()) return std::nullopt;
    std::int64_t total = 0;
    std::string_view rest = text;
    int last_unit = 4;  // units must come in order h, m, s, each at most once
    while (!rest.empty()) {
        const auto number = take_number(rest);
        if (!number) return std::nullopt;
        int unit = 1;  // a bare number is seconds, and must be the whole text
        std::int64_t scale = 1;
        if (rest.empty()) {
            if (total != 0) return std::nullopt;  // "1m30": a unit is missing
        } else if (rest.front() == 'h') {
            unit = 3;
            scale = 3600;
        } else if (rest.front() == 'm') {
            unit = 2;
            scale = 60;
        } else if (rest.front() == 's') {
            unit = 1;
        } else {
            return std::nullopt;
        }
        if (unit >= last_unit) return std::nullopt;
        last_unit = unit;
        if (!rest.empty()) rest.remove_prefix(1);
        total += *number * scale;
        if (total > std::int64_t{7} * 24 * 3600) return std::nullopt;
    }
    return std::chrono::seconds(total);
}

std::optional<std::size_t> parse_byte_size(std::string_view text) {
    text = text::trim(text);
    const auto number = take_number(text);
    if (!number) return std::nullopt;
    const std::string suffix = text::to_lower(text::trim(text));
    std::int64_t scale = 1;
    if (suffix.empty() || suffix == "b") {
        scale = 1;
    } else if (suffix == "k" || suffix == "kb" || suffix == "kib") {
        scale = std::int64_t{1} << 10;
    } else if (suffix == "m" || suffix == "mb" || suffix == "mib") {
        scale = std::int64_t{1} << 20;
    } else if (suffix == "g" || suffix == "gb" || suffix == "gib") {
        scale = std::int64_t{1} << 30;
    } else {
        return std::nullopt;
    }
    if (*number > (std::int64_t{1} << 40) / scale) return std::nullopt;
    return static_cast<std::size_t>(*number * scale);
}

}  // namespace jobsync::config
