// What one sync did, as plain figures, and how it is reported: a text block for people, one
// JSON object for machines, and the process exit code (see exit_codes.hpp).
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <vector>

#include "sync/ports.hpp"

namespace jobsync::sync {

// One failed step: a query, an upsert batch or the sweep.
struct RunFailure {
    enum class Step { query, batch, sweep };
    Step step = Step::query;
    Failure kind = Failure::none;
    std::string message;  // e.g. "batch 3 (200 rows) failed: HTTP 500 ..." (never secrets)
};

std::string_view to_string(RunFailure::Step step);

struct RunSummary {
    std::size_t queries = 0;  // queries in the run
    std::size_t queries_failed = 0;
    std::size_t queries_not_run = 0;  // left out because a rejected key stopped the run
    long requests = 0;                // JSearch HTTP requests, retries included
    long billed_requests = 0;         // what JSearch bills for them
    long pages = 0;
    std::size_t jobs_fetched = 0;   // rows received, duplicates included
    std::size_t jobs_skipped = 0;   // jobs the mapper dropped (no job_id, ...)
    std::size_t fields_nulled = 0;  // fields of the wrong type, nulled
    std::size_t duplicates = 0;
    std::size_t rows_upserted = 0;  // rows in batches PostgREST accepted
    std::size_t batches = 0;        // batches sent
    std::size_t batches_failed = 0;
    bool sweep_done = false;  // the sweep ran and succeeded
    long deactivated = 0;
    long retries = 0;                  // fetch + upsert + sweep
    std::string sweep_skipped_reason;  // empty when the sweep ran
    std::vector<RunFailure> failures;
    std::optional<long> quota_remaining;
    long long duration_ms = 0;
};

// 0 only when everything succeeded, the sweep included; 3 when a key was rejected; else 1.
int exit_code(const RunSummary& summary);

// A multi-line block for a person reading the terminal; ends with a newline.
std::string render_text(const RunSummary& summary);

// One JSON object on one line (no trailing newline), with the exit code.
std::string render_json(const RunSummary& summary);

}  // namespace jobsync::sync
