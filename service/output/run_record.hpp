// One finished run as the output files see it: the summary, the exit code the process ends
// with, and when the run started and finished (wall clock, from the app's injected clock).
#pragma once

#include <chrono>

#include "sync/summary.hpp"

namespace jobsync::output {

struct RunRecord {
    const sync::RunSummary& summary;
    int exit_code = 0;
    std::chrono::system_clock::time_point started_at;
    std::chrono::system_clock::time_point finished_at;
};

// Unix time in seconds, to the millisecond.
double unix_seconds(std::chrono::system_clock::time_point time);

}  // namespace jobsync::output
