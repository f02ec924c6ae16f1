// What one sync did, as plain figures, and how it is reported: a text block for people, one
// JSON object for machines, and the process exit code (see exit_codes.hpp).
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <vector>

#include "ports/ports.hpp"
#include "sync/stop.hpp"

namespace jobsync::sync {

// One failed step: a query, an upsert batch, the sweep, the lease, or the stamping of refused
// jobs as seen.
struct RunFailure {
    enum class Step { query, batch, sweep, lease, touch };
    Step step = Step::query;
    Failure kind = Failure::none;
    std::string message;  // e.g. "batch 3 (200 rows) failed: HTTP 500 ..." (never secrets)
};

std::string_view to_string(RunFailure::Step step);

// A job the database refused (its batch was bisected down to it); the rest were stored.
struct RefusedJob {
    std::string job_id;
    std::string code;     // SQLSTATE (e.g. 23514), PGRST code, or "HTTP 413"
    std::string message;  // what the server said, one line
};

// The mass-deactivation guard's figures, when it was consulted.
struct GuardReport {
    bool tripped = false;
    long active = 0;            // active jobs when the sweep was due
    long would_deactivate = 0;  // rows the sweep would have touched (-1: unknown, PGRST124)
    long limit = 0;             // the most one run may deactivate
    double share = 0.5;         // --max-deactivate-share
};

struct RunSummary {
    std::string run_id;          // empty when the run had no ledger
    std::string run_started_at;  // the run's stamp (the database's clock when leased)
    // Another run holds the lease (exit 5): nothing was fetched.
    bool lease_refused = false;
    std::string lease_message;   // who holds it, since when, until when
    bool run_id_reused = false;  // --run-id named a run that already finished (exit 2)
    std::size_t queries = 0;     // queries in the run
    std::size_t queries_failed = 0;
    std::size_t queries_not_run = 0;  // left out because a rejected key stopped the run
    long requests = 0;                // JSearch HTTP requests, retries included
    long billed_requests = 0;         // what JSearch bills for them
    long pages = 0;
    std::size_t jobs_fetched = 0;   // rows received, duplicates included
    std::size_t jobs_skipped = 0;   // jobs the mapper dropped (no job_id, ...)
    std::size_t fields_nulled = 0;  // fields of the wrong type, nulled
    std::size_t duplicates = 0;
    // Rows sent a second time: an earlier query's copy of a job came after a later query's
    // copy had been batched (concurrent runs only; dedup.hpp).
    std::size_t rows_resent = 0;
    std::size_t rows_upserted = 0;  // rows in batches PostgREST accepted
    std::size_t batches = 0;        // batches sent
    std::size_t batches_failed = 0;
    std::vector<RefusedJob> refused_jobs;  // isolated by bisection; everything else stored
    long rows_touched = 0;                 // refused jobs already in the table, stamped as seen
    std::size_t batch_rows_limit = 0;      // when 413/timeouts lowered it: the rows per batch now
    bool sweep_disabled = false;           // --no-sweep
    std::optional<GuardReport> guard;      // when the guard was consulted
    std::string ledger_warning;            // the run record could not be written (the run stands)
    bool sweep_done = false;               // the sweep ran and succeeded
    long deactivated = 0;
    long retries = 0;                  // fetch + upsert + sweep
    std::string sweep_skipped_reason;  // empty when the sweep ran
    std::vector<RunFailure> failures;
    std::optional<long> quota_remaining;
    long long duration_ms = 0;
    StopCause stop_cause = StopCause::none;  // a signal or the deadline stopped the run
    long planned_billed_requests = 0;        // what the run would bill without retries
    // A shard of a sharded run (issue 11): its part succeeded and the run's one sweep is left
    // to the shard that finishes last (sweep_skipped_reason says what it waits for), or this
    // shard won the sweep (sweep_claimed) and swept for the whole run.
    int shard = 0;
    int shard_count = 1;
    bool sweep_deferred = false;
    bool sweep_claimed = false;
};

// 0 when everything succeeded, the sweep included (or skipped on purpose with --no-sweep);
// 130/143 when SIGINT/SIGTERM stopped the run; 5 when another run holds the lease; 2 when the
// run id was used before; 3 when a key was rejected; 7 for a spent quota or --max-requests;
// 8 for the deadline; 6 when the mass-deactivation guard stopped the sweep; else 1.
int exit_code(const RunSummary& summary);

// What the guard decided and how to allow the sweep, one line.
std::string guard_message(const GuardReport& guard);

// The status the run's history row ends with.
RunStatus run_status(const RunSummary& summary);

// The run record's `error` text: the guard's or the first failure's message; empty on success.
std::string run_error(const RunSummary& summary);

// The run record's `details`: refused jobs, guard figures, batch size, failures (JSON object).
std::string render_details(const RunSummary& summary);

// The refused jobs as a JSON array [{"job_id":..,"code":..,"message":..}].
std::string refused_jobs_json(const RunSummary& summary);

// A multi-line block for a person reading the terminal; ends with a newline.
std::string render_text(const RunSummary& summary);

// One JSON object on one line (no trailing newline), with the exit code.
std::string render_json(const RunSummary& summary);

}  // namespace jobsync::sync
