// The --report file: the run summary as one JSON object for pipelines. It holds every field of
// the summary's JSON (sync::render_json, the object `--log-format json` prints on stdout) and,
// first, when the run started and finished and which version ran. Pure.
#pragma once

#include <string>

#include "output/run_record.hpp"

namespace jobsync::output {

// {"job_sync_version":"0.1.0","started_at":"…Z","finished_at":"…Z","exit_code":0,…}, one
// line, ending in a newline.
std::string render_report(const RunRecord& record, const std::string& version);

}  // namespace jobsync::output
