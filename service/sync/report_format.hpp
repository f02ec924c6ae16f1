// What the run summary and the dry run's report write alike (pure): the guard's figures as JSON,
// and the text report's numbers and aligned "label  value" lines.
#pragma once

#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include <cstddef>
#include <optional>
#include <sstream>
#include <string>
#include <string_view>
#include <vector>

#include "sync/summary.hpp"

namespace jobsync::sync {

// The guard's figures as a JSON object, or null when the guard was not consulted.
void write_guard_json(rapidjson::Writer<rapidjson::StringBuffer>& w,
                      const std::optional<GuardReport>& guard);

// The failures as a JSON array of {"step", "kind", "message"}.
void write_failures_json(rapidjson::Writer<rapidjson::StringBuffer>& w,
                         const std::vector<RunFailure>& failures);

// "40%" (rounded); `unknown` when the whole is not positive.
std::string percent_of(long part, long whole, std::string_view unknown);

// --max-deactivate-share as the user wrote it: 0.5, 0.25, 1.
std::string share_text(double share);

// "12.345 s".
std::string seconds_text(long long ms);

// "  <label><spaces up to width><value>\n".
void report_line(std::ostringstream& out, std::string_view label, const std::string& value,
                 std::size_t width);

}  // namespace jobsync::sync
