// Logging setup. Logs go to stderr (the run summary owns stdout), as text for people or one
// JSON object per line for log collectors; every line passes through secret redaction.
#pragma once

#include <spdlog/common.h>
#include <spdlog/formatter.h>

#include <memory>
#include <optional>
#include <string_view>

#include "logging/log_format.hpp"

namespace jobsync::logging {

// trace|debug|info|warn|warning|error|critical|off; nullopt for anything else.
std::optional<spdlog::level::level_enum> parse_log_level(std::string_view name);

// The redacting formatter for `format`:
//   text: "2024-05-01T12:00:00.123Z [info] message"
//   json: {"ts":"2024-05-01T12:00:00.123Z","level":"info","event":"log","msg":"message"}
//         plus the run fields and the event's fields (logging/event.hpp)
// Timestamps are UTC.
std::unique_ptr<spdlog::formatter> make_formatter(LogFormat format);

// Makes a logger writing to stderr the default. Throws std::invalid_argument for an unknown
// level name (config validation should have caught it already).
void configure_logging(std::string_view level, LogFormat format);

// Same, writing to `sink` (tests capture lines with it).
void configure_logging(spdlog::level::level_enum level, LogFormat format, spdlog::sink_ptr sink);

}  // namespace jobsync::logging
