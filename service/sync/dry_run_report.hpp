// What `job-sync sync --dry-run` saw and would do, and how it is reported (pure): a text
// block for people, one JSON object for machines, the exit code a real run would have.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "sync/dry_run_plan.hpp"
#include "sync/stop.hpp"
#include "sync/summary.hpp"

namespace jobsync::sync {

struct DryRunReport {
    std::string run_id;          // the dry run's record in job_sync_runs
    std::string run_started_at;  // the database's clock: the sweep's cut-off
    std::size_t queries = 0;
    std::size_t queries_failed = 0;
    long requests = 0;
    long billed_requests = 0;
    std::size_t jobs_fetched = 0;  // rows received, duplicates included
    std::size_t jobs_skipped = 0;
    std::size_t duplicates = 0;
    long retries = 0;
    std::optional<long> quota_remaining;
    std::vector<RunFailure> failures;  // queries, the table read, the lease
    bool run_id_reused = false;
    std::optional<DryRunPlan> plan;  // absent when the run stopped before the table was read
    std::string lease_note;          // a run holds the lease now: a real run would be refused
    std::string ledger_warning;      // the dry run's record could not be finished
    StopCause stop_cause = StopCause::none;  // a signal or --deadline ended the fetching
    long long duration_ms = 0;
};

// 0 a real run would succeed; 6 its guard would stop the sweep; 1 a query or the table read
// failed; 3 a key was rejected; 2 the run id was used before; 7 the quota or --max-requests;
// 130 / 143 / 8 a signal or the deadline ended it (as a real run's codes).
int exit_code(const DryRunReport& report);

// The dry run's record: succeeded, guarded (as the real run would be) or failed.
RunStatus run_status(const DryRunReport& report);

// The record's `details`: {"dry_run":{"insert":..,"update":..,"reactivate":..,"deactivate":..,
// "sweep_would_run":..,"guard":{..}|null}}.
std::string render_details(const DryRunReport& report);

std::string render_text(const DryRunReport& report);
std::string render_json(const DryRunReport& report);  // one line, no trailing newline

}  // namespace jobsync::sync
