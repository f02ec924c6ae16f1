// Numbers in settings (pure): decimals, --deadline durations and --max-response-bytes sizes
// (whole numbers are text::parse_whole_number). None accepts a sign, blanks, an exponent, inf
// or nan.
#pragma once

#include <chrono>
#include <cstddef>
#include <optional>
#include <string_view>

namespace jobsync::config {

// "0.5", "1", ".25", "2."; nullopt for anything else.
std::optional<double> parse_decimal(std::string_view text);

// "90s", "30m", "2h", "1h30m", "45" (seconds); nullopt for anything else or over a week.
std::optional<std::chrono::seconds> parse_duration(std::string_view text);

// "67108864", "64MiB", "512KiB", "1GiB" (also KB/MB/GB, K/M/G, all binary); nullopt for
// anything else or over 1 TiB.
std::optional<std::size_t> parse_byte_size(std::string_view text);

}  // namespace jobsync::config
