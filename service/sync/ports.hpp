// The two seams the sync runner orchestrates: where jobs come from (JSearch) and where they go
// (PostgREST). Plain data across both, so the runner is tested with in-memory fakes and the
// clients with real HTTP, independently.
#pragma once

#include <cstddef>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "jobs/job_row.hpp"

namespace jobsync::sync {

struct SearchQuery {
    std::string text;              // JSearch `query`
    int pages = 1;                 // pages to fetch in all
    int pages_per_request = 10;    // `num_pages` per request (billing: see jsearch notes)
    std::string country;           // empty: not sent (JSearch defaults to us)
    std::string date_posted;       // empty or all|today|3days|week|month
    std::string employment_types;  // empty or e.g. "FULLTIME,CONTRACTOR"
    bool remote_only = false;      // sent as work_from_home=true
};

// Why a step failed. `auth` ends the run at once (a wrong key will not fix itself).
enum class Failure { none, transient, bad_response, rejected, auth };

std::string_view to_string(Failure failure);

// A problem with one job (skipped, or a field nulled), with where it came from.
struct JobProblem {
    std::string query;
    int page = 0;
    std::string job_id;   // may be empty when the job had none
    std::string message;  // e.g. "field 'job_latitude' is a string, expected a number; nulled"
    bool skipped = false;
};

// One JSearch response: `page_count` pages starting at `first_page`.
struct FetchedPage {
    std::string query;
    int first_page = 1;
    int page_count = 1;
    std::vector<jobs::JobRow> rows;
    std::vector<JobProblem> problems;
};

struct FetchOutcome {
    Failure failure = Failure::none;
    std::string message;      // what failed and where (no secrets)
    int requests = 0;         // HTTP requests sent, retries included
    int billed_requests = 0;  // what JSearch charges for them (num_pages multiplier)
    int retries = 0;
    int pages = 0;                        // pages received
    std::optional<long> quota_remaining;  // x-ratelimit-requests-remaining, last seen
};

class JobSource {
  public:
    virtual ~JobSource() = default;
    // Fetches every page of `query`, handing each response to `sink` as it arrives.
    virtual FetchOutcome fetch(const SearchQuery& query,
                               const std::function<void(FetchedPage&&)>& sink) = 0;
};

// A batch ready to send: a JSON array text whose objects all carry the same keys.
struct UpsertBatch {
    std::string json;
    std::size_t rows = 0;
};

struct StoreOutcome {
    Failure failure = Failure::none;
    std::string message;
    int retries = 0;
};

struct SweepOutcome {
    Failure failure = Failure::none;
    std::string message;
    long deactivated = 0;
    int retries = 0;
};

class JobStore {
  public:
    virtual ~JobStore() = default;
    virtual StoreOutcome upsert(const UpsertBatch& batch) = 0;
    // Marks active jobs whose last_seen is before `run_started_at` (ISO-8601 UTC) inactive.
    virtual SweepOutcome deactivate_unseen(std::string_view run_started_at) = 0;
};

}  // namespace jobsync::sync
