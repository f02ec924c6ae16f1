// The orchestration of one sync, in one place:
//   take the lease (the run's stamp is the database's clock)
//   for each query (several requests at once with fetch_concurrency, pages handed on as they
//   arrive): fetch pages -> dedup by rank -> encode -> batch (on this thread) -> upsert each
//   full batch
//     (on upsert_concurrency workers through a bounded queue, or at once on this thread)
//     (a refused batch is bisected down to its bad rows; a 413 or a statement timeout halves
//     it and lowers the batch size for the rest of the run; the lease is renewed between
//     batches)
//   then: flush the last batch -> stamp refused jobs as seen -> guard -> sweep (only when
//   everything succeeded) -> finish the run record -> summary.
// Rows stream through, so memory is bounded by the pages in flight and the batches queued or
// being sent, not by the number of jobs. Both ends are ports (ports/ports.hpp): the runner never
// touches the network itself.
#pragma once

#include <chrono>
#include <cstddef>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "jobs/job_row.hpp"
#include "ports/ports.hpp"
#include "sync/progress.hpp"
#include "sync/stop.hpp"
#include "sync/summary.hpp"

namespace jobsync::sync {

// Appends one row to `out` as a JSON object carrying is_active=true and last_seen (the runner
// writes rows straight into the batch's text). The app passes postgrest::append_row; the
// runner does not depend on the wire format.
using RowEncoder =
    std::function<void(std::string& out, const jobs::JobRow& row, std::string_view last_seen)>;

using SteadyNow = std::function<std::chrono::steady_clock::time_point()>;

struct RunOptions {
    std::size_t max_batch_rows = kDefaultBatchRows;
    std::size_t max_batch_bytes = std::size_t{1024} * 1024;
    // The run's start: every row's last_seen, and the sweep's cut-off. One value for the whole
    // run. With a ledger it is the database's started_at from the lease (this is ignored);
    // without one it must be set ("YYYY-MM-DDTHH:MM:SS.mmmZ", text::format_iso8601_millis).
    std::string run_started_at;
    // The lease and the run record. Null: neither (tests of the flow alone).
    RunLedger* ledger = nullptr;
    RunStart run;  // run id, holder, lease seconds (with a ledger)
    // false (--no-sweep): upsert only, deactivate nothing; for ad-hoc runs of a few queries.
    bool sweep = true;
    // The guard: a sweep that would deactivate more than this share of the active jobs
    // deactivates nothing. 1 or more turns the guard off.
    double max_deactivate_share = 0.5;
    RowEncoder encode_row;
    // Measures duration_ms; injected so tests are exact. Empty: std::chrono::steady_clock.
    SteadyNow steady_now;
    // Told when each query starts, after each page and when it ends; may be empty.
    ProgressObserver on_progress;
    // Signals and the deadline: once stopped, no query, batch or sweep starts. Null: never.
    StopSource* stop = nullptr;
    // JSearch requests in flight at once (--concurrency), for any queries (request_fetch.hpp).
    // Their pages are deduplicated and batched on the calling thread as they arrive; the copy
    // of a job that wins is decided by rank (dedup.hpp), so the table does not depend on timing.
    std::size_t fetch_concurrency = 1;
    // Upsert workers (--upsert-concurrency): full batches go to a queue of one batch, served by
    // this many threads, while this thread goes on fetching, deduplicating and batching (a
    // longer queue only held more memory: the database sets the pace). 0: each batch is
    // upserted on this thread before the next page is read (the sequential flow). Memory: at
    // most this many batches being sent, one waiting and one being filled.
    std::size_t upsert_concurrency = 0;
    // Told once when fetching stops early with queries in flight (e.g. the JSearch key was
    // refused): the app makes the transport send nothing more. May be empty.
    std::function<void()> halt_fetching;
};

// Runs one sync. Failures of queries, batches, the lease and the sweep are data in the
// summary; only a bug (or an exception thrown by a port or the encoder) escapes, after the run
// record was finished as failed.
RunSummary run_sync(const std::vector<SearchQuery>& queries, JobSource& source, JobStore& store,
                    const RunOptions& options);

}  // namespace jobsync::sync
