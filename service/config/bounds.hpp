// Parsers (pure) for the run's bounds: --deadline durations and --max-response-bytes sizes.
#pragma once

#include <chrono>
#include <cstddef>
#include <optional>
#include <string_view>

namespace jobsync::config {

// "90s", "30m", "2h", "1h30m", "45" (seconds); nullopt for anything else or over a week.
std::optional<std::chrono::seconds> parse_duration(std::string_view text);

// "67108864", "64MiB", "512KiB", "1GiB" (also KB/MB/GB, K/M/G, all binary); nullopt for
// anything else or over 1 TiB.
std::optional<std::size_t> parse_byte_size(std::string_view text);

}  // namespace jobsync::config
