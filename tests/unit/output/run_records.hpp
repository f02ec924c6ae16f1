// A finished run's summary and record for the output tests.
#pragma once

#include <chrono>

#include "output/run_record.hpp"
#include "sync/summary.hpp"

namespace jobsync::testing {

// 2024-05-01T12:00:00.250Z and twelve and a half seconds later.
inline std::chrono::system_clock::time_point run_start() {
    return std::chrono::system_clock::time_point(std::chrono::milliseconds(1714564800250LL));
}
inline std::chrono::system_clock::time_point run_end() {
    return run_start() + std::chrono::milliseconds(12500);
}

inline sync::RunSummary good_summary() {
    sync::RunSummary s;
    s.queries = 12;
    s.requests = 30;
    s.billed_requests = 60;
    s.pages = 150;
    s.jobs_fetched = 1940;
    s.jobs_skipped = 3;
    s.fields_nulled = 4;
    s.duplicates = 40;
    s.rows_upserted = 1897;
    s.batches = 10;
    s.sweep_done = true;
    s.deactivated = 17;
    s.retries = 2;
    s.quota_remaining = 140;
    s.duration_ms = 12500;
    return s;
}

inline sync::RunSummary failed_summary() {
    sync::RunSummary s = good_summary();
    s.queries_failed = 1;
    s.sweep_done = false;
    s.deactivated = 0;
    s.sweep_skipped_reason = "query 'x' failed: HTTP 503";
    s.failures.push_back(
        {sync::RunFailure::Step::query, sync::Failure::transient, "query 'x' failed: HTTP 503"});
    s.quota_remaining.reset();
    return s;
}

}  // namespace jobsync::testing
