// What a run leaves behind for machines once it is over: the `run_finished` log event, the
// --report file and the --metrics-file. The app calls these; the formats are report.hpp and
// metrics.hpp.
#pragma once

#include <string>
#include <vector>

#include "output/run_record.hpp"

namespace jobsync::output {

struct RunFiles {
    std::string report_file;   // --report; empty: none
    std::string metrics_file;  // --metrics-file; empty: none
};

// One problem per file that could not be written, each naming the option; checked before the
// run so a typo costs no quota.
std::vector<std::string> check_run_files(const RunFiles& files);

// Logs `run_finished` at info (warn when the run failed) with the summary's figures as fields.
void log_run_finished(const RunRecord& record);

// Writes the files asked for. A file that cannot be written is logged as an error and the
// others are still written; false when any failed. The run's exit code does not change: the
// sync itself is over, and a stale metrics file shows up in monitoring anyway.
bool write_run_files(const RunFiles& files, const RunRecord& record, const std::string& version);

}  // namespace jobsync::output
