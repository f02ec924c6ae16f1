// The orchestration of one sync, in one place:
//   for each query: fetch pages -> dedup -> encode -> batch -> upsert each full batch at once
//   then: flush the last batch -> sweep (only when everything succeeded) -> summary.
// Rows stream through, so memory is bounded by one page and one batch, not by the number of
// jobs. Both ends are ports (sync/ports.hpp): the runner never touches the network itself.
#pragma once

#include <chrono>
#include <cstddef>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "jobs/job_row.hpp"
#include "sync/ports.hpp"
#include "sync/progress.hpp"
#include "sync/summary.hpp"

namespace jobsync::sync {

// Encodes one row as a JSON object carrying is_active=true and last_seen. The app passes
// postgrest::encode_row; the runner does not depend on the wire format.
using RowEncoder = std::function<std::string(const jobs::JobRow& row, std::string_view last_seen)>;

using SteadyNow = std::function<std::chrono::steady_clock::time_point()>;

struct RunOptions {
    std::size_t max_batch_rows = 200;
    std::size_t max_batch_bytes = std::size_t{1024} * 1024;
    // The run's start, "YYYY-MM-DDTHH:MM:SS.mmmZ" (format_run_timestamp): every row's
    // last_seen, and the sweep's cut-off. One value for the whole run.
    std::string run_started_at;
    RowEncoder encode_row;
    // Measures duration_ms; injected so tests are exact. Empty: std::chrono::steady_clock.
    SteadyNow steady_now;
    // Told when each query starts, after each page and when it ends; may be empty.
    ProgressObserver on_progress;
};

// ISO-8601 UTC with milliseconds, e.g. "2024-05-01T12:00:00.123Z" (truncated, not rounded).
std::string format_run_timestamp(std::chrono::system_clock::time_point time);

// Runs one sync. Failures of queries, batches and the sweep are data in the summary; only a
// bug (or an exception thrown by a port or the encoder) escapes.
RunSummary run_sync(const std::vector<SearchQuery>& queries, JobSource& source, JobStore& store,
                    const RunOptions& options);

}  // namespace jobsync::sync
