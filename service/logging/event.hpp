// Structured log events. A plain spdlog call logs a message; an event adds a stable name and
// typed fields that the JSON log format writes as members of the line's object, so a log
// aggregator filters on `event` and sums `jobs_fetched` without parsing prose:
//   {"ts":"…","level":"info","event":"query_finished","msg":"query 1/2 · …","query":"…",…}
// The text format shows the message only. Every JSON line carries `ts`, `level`, `event`
// ("log" for a plain message) and `msg`, plus the run fields (set_run_field) on every line.
#pragma once

#include <spdlog/common.h>

#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <variant>
#include <vector>

namespace jobsync::logging {

using FieldValue = std::variant<std::string, std::int64_t, double, bool>;

struct Field {
    std::string key;  // snake_case; never ts, level, event or msg
    FieldValue value;
};

using Fields = std::vector<Field>;

// The event being logged on this thread, while a formatter runs; null for a plain message.
struct Event {
    std::string_view name;
    const Fields* fields = nullptr;
};
const Event* current_event();

// Logs `message` at `level` as event `name` with `fields` through the default logger.
void log_event(spdlog::level::level_enum level, std::string_view name, const Fields& fields,
               std::string_view message);

// A field every JSON line carries from now on, e.g. the run's id once the run has one;
// setting a key again replaces its value.
void set_run_field(std::string key, FieldValue value);
// The run fields, in the order first set.
Fields run_fields();
void clear_run_fields();

}  // namespace jobsync::logging
