// The seams the sync runner orchestrates: where jobs come from (JSearch), where they go
// (PostgREST) and the run ledger (the lease and the run's history row). Plain data across all
// of them, so the runner is tested with in-memory fakes and the clients with real HTTP,
// independently. Implementations hold no per-call state, so a later runner may call them from
// several threads. They keep the runner's namespace but have a library of their own, so config
// and the clients use them without linking the runner.
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <type_traits>
#include <utility>
#include <vector>

#include "jobs/job_row.hpp"

namespace jobsync::sync {

struct SearchQuery {
    std::string text;              // JSearch `query`
    int pages = 1;                 // the last page to fetch (pages first_page..pages)
    int first_page = 1;            // where to start (a run fetching one request at a time)
    int pages_per_request = 10;    // `num_pages` per request (billing: see jsearch notes)
    std::string country;           // empty: not sent (JSearch defaults to us)
    std::string date_posted;       // empty or all|today|3days|week|month
    std::string employment_types;  // empty or e.g. "FULLTIME,CONTRACTOR"
    bool remote_only = false;      // sent as work_from_home=true
};

// Why a step failed. `auth` ends the run at once (a wrong key will not fix itself).
// `quota`: JSearch's quota is spent, or --max-requests would be passed: no further fetching.
// `statement_timeout`: PostgreSQL cancelled the statement (57014); resending the same batch
// would time out again, so it is not resent as is. `deadline` / `cancelled`: the run's
// deadline passed / a signal stopped the run. `tls`: the TLS handshake or certificate check
// failed (never retried).
enum class Failure {
    none,
    transient,
    bad_response,
    rejected,
    auth,
    quota,
    statement_timeout,
    deadline,
    cancelled,
    tls
};

std::string_view to_string(Failure failure);

// A failure and what to tell the operator about it (one line, no secrets): what the clients
// make of a response that did not succeed.
struct ClassifiedFailure {
    Failure failure = Failure::none;
    std::string message;
};

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
    // What the rows' text may borrow from (jobs::Text): the response they were parsed out of,
    // kept as long as the page. Empty when the rows own their text.
    std::shared_ptr<const void> text_storage;
};

struct FetchOutcome {
    Failure failure = Failure::none;
    std::string message;      // what failed and where (no secrets)
    int requests = 0;         // HTTP requests sent, retries included
    int billed_requests = 0;  // what JSearch charges for them (num_pages multiplier)
    int retries = 0;
    int pages = 0;                        // pages received
    bool exhausted = false;               // a short page came: the query has no further pages
    std::optional<long> quota_remaining;  // x-ratelimit-requests-remaining, last seen
    std::string quota_reset;              // x-ratelimit-requests-reset, as told ("" unknown)
};

// Where a source hands its pages: a callable taking each page, and optionally a wait a source
// goes through before it builds a page out of a response (parses it, maps its rows). A caller
// that is behind makes the source wait there, holding only the response, not the response and
// its rows. Any callable taking a FetchedPage&& converts to one (with no wait).
class PageSink {
  public:
    using Take = std::function<void(FetchedPage&&)>;

    template <typename F, typename = std::enable_if_t<std::is_invocable_v<F&, FetchedPage&&> &&
                                                      !std::is_same_v<std::decay_t<F>, PageSink>>>
    PageSink(F&& take)  // NOLINT(google-explicit-constructor): a lambda is a sink
        : take_(std::forward<F>(take)) {}
    PageSink(Take take, std::function<void()> before_page)
        : take_(std::move(take)), before_page_(std::move(before_page)) {}

    void operator()(FetchedPage&& page) const { take_(std::move(page)); }
    // Returns once the caller has room for a page (at once when it gave no wait).
    void before_page() const {
        if (before_page_) before_page_();
    }

  private:
    Take take_;
    std::function<void()> before_page_;
};

class JobSource {
  public:
    virtual ~JobSource() = default;
    // Fetches every page of `query`, handing each response to `sink` as it arrives.
    virtual FetchOutcome fetch(const SearchQuery& query, const PageSink& sink) = 0;
};

// Rows per upsert request (--batch-size): small enough for any proxy's body limit and a
// statement well inside Supabase's timeout, large enough that requests are few.
inline constexpr std::size_t kDefaultBatchRows = 200;

// A batch ready to send: a JSON array text whose objects all carry the same keys. The row
// boundaries are kept (where each object starts, and its job_id), so a batch splits into
// halves without re-encoding and a refused row is reported by its id.
struct UpsertBatch {
    std::string json;
    std::size_t rows = 0;
    std::vector<std::size_t> row_starts;  // offset in `json` of each row's '{'
    std::vector<std::string> job_ids;     // one per row when known (empty otherwise)
    // The batcher's number for it, 1 up (0: not numbered, e.g. a half of a split batch).
    std::uint32_t sequence = 0;
    // Sent only once batches 1..after were answered: it carries a copy of a job that replaces
    // one in batch `after` (sync/dedup.hpp). 0: no wait.
    std::uint32_t after = 0;
};

// What a failed upsert says about its batch, so the runner knows whether splitting it helps.
enum class BatchProblem {
    none,               // nothing splitting would fix (auth, missing column, network, ...)
    rows_refused,       // a 4xx blaming the data (SQLSTATE 22*, 23*, P0001): bisect
    body_too_large,     // 413 from a proxy: smaller batches
    statement_timeout,  // 57014 or a 5xx saying "statement timeout": smaller batches
};

// Inline (like to_string(RunStatus)): the clients that implement the ports use them without
// linking the sync library.
constexpr std::string_view to_string(BatchProblem problem) {
    switch (problem) {
        case BatchProblem::none:
            return "none";
        case BatchProblem::rows_refused:
            return "rows_refused";
        case BatchProblem::body_too_large:
            return "body_too_large";
        case BatchProblem::statement_timeout:
            return "statement_timeout";
    }
    return "unknown";
}

struct StoreOutcome {
    Failure failure = Failure::none;
    std::string message;
    int retries = 0;
    BatchProblem problem = BatchProblem::none;
    std::string code;    // SQLSTATE, PGRSTnnn or "HTTP 413"; empty when the server gave none
    std::string reason;  // the server's own message, one line (never secrets)
    long affected = 0;   // rows a touch() updated (0 when unknown)
};

struct SweepOutcome {
    Failure failure = Failure::none;
    std::string message;
    long deactivated = 0;
    int retries = 0;
    // PostgREST refused atomically: more rows than max_affected would have changed (PGRST124).
    bool limit_exceeded = false;
};

struct CountOutcome {
    Failure failure = Failure::none;
    std::string message;
    long count = 0;
    int retries = 0;
};

class JobStore {
  public:
    virtual ~JobStore() = default;
    // May borrow `batch.json` for the request (no copy of a 1 MB text); it is back, unchanged,
    // when this returns or throws.
    virtual StoreOutcome upsert(UpsertBatch& batch) = 0;
    // Marks active jobs whose last_seen is NULL or before `run_started_at` (ISO-8601) inactive.
    // With `max_affected`, the server changes nothing when more rows would change.
    virtual SweepOutcome deactivate_unseen(std::string_view run_started_at,
                                           std::optional<long> max_affected) = 0;
    // Active jobs in the table.
    virtual CountOutcome count_active() = 0;
    // Active jobs deactivate_unseen(run_started_at) would touch now.
    virtual CountOutcome count_unseen(std::string_view run_started_at) = 0;
    // Stamps the existing rows among `job_ids` with last_seen and is_active=true (jobs that are
    // in the feed but whose new data the database refused). Ids not in the table are ignored.
    virtual StoreOutcome touch(const std::vector<std::string>& job_ids,
                               std::string_view last_seen) = 0;
};

// The states of a run's row in job_sync_runs (schema/20250104000000_job_sync_runs.sql).
enum class RunStatus { running, succeeded, failed, guarded, cancelled, refused };

// The text job_sync_runs.status holds.
constexpr std::string_view to_string(RunStatus status) {
    switch (status) {
        case RunStatus::running:
            return "running";
        case RunStatus::succeeded:
            return "succeeded";
        case RunStatus::failed:
            return "failed";
        case RunStatus::guarded:
            return "guarded";
        case RunStatus::cancelled:
            return "cancelled";
        case RunStatus::refused:
            return "refused";
    }
    return "unknown";
}

// What a run asks the ledger for when it starts. A run id is shared by every shard of a run.
struct RunStart {
    std::string run_id;
    std::string holder;  // "host:pid", shown to a run that is refused
    int lease_seconds = 900;
    int shard = 0;
    int shard_count = 1;
    bool dry_run = false;  // `sync --dry-run`: a record marked dry, no contest for the lease
};

struct Lease {
    enum class State {
        held,      // this run holds the lease (or joined its run): go on
        refused,   // another run holds it: stop, exit 5
        finished,  // this run id already ran to an end: stop (a usage error)
        failed,    // the ledger could not be asked: stop before fetching
    };
    State state = State::failed;
    Failure failure = Failure::none;  // when failed
    std::string message;              // when refused, finished or failed: one line, no secrets
    bool ledger_missing = false;      // the run table or functions are not there (migration)
    std::string started_at;           // the database's clock: every row's last_seen, the cut-off
    std::string lease_expires_at;
    bool joined = false;
    std::string holder_run_id;  // when refused: who holds the lease, and since when
    std::string holder;
    std::string holder_started_at;
    std::string run_status;  // when finished: the earlier run's status
    int retries = 0;
};

struct LeaseRenewal {
    Failure failure = Failure::none;
    std::string message;
    bool held = false;
    std::string lease_expires_at;
    std::string status;  // the run's status when no longer held
    int retries = 0;
};

// The contract's count columns of job_sync_runs / job_sync_run_shards.
struct RunCounts {
    long queries = 0;
    long requests = 0;
    long billed_requests = 0;
    long jobs_fetched = 0;
    long jobs_skipped = 0;
    long jobs_refused = 0;
    long rows_upserted = 0;
    long deactivated = 0;
    long retries = 0;
};

struct RunRecord {
    std::string run_id;
    int shard = 0;
    RunStatus status = RunStatus::failed;
    RunCounts counts;
    std::string error;         // empty: none (never secrets)
    std::string details_json;  // a JSON object, or empty
};

struct FinishOutcome {
    Failure failure = Failure::none;
    std::string message;
    std::string status;  // the run's status as recorded
    bool late = false;   // the run was no longer running (its lease had expired)
    int retries = 0;
};

// A shard of a run asks for the run's one sweep (schema/20250104000000_job_sync_runs.sql):
// exactly one shard wins it, once every shard has succeeded.
struct SweepClaim {
    Failure failure = Failure::none;
    std::string message;
    bool claimed = false;             // this shard sweeps, then closes the run with finish_run
    std::string reason;               // when not claimed: shards_pending, claimed or not_running
    std::vector<int> running;         // shards still working
    std::vector<int> missing;         // shards that never started
    std::vector<std::string> failed;  // "shard 2 failed: <error>" per shard that did not succeed
    std::string run_status;           // when not_running
    long jobs_fetched = 0;            // when claimed: over every shard
    long billed_requests = 0;
    int retries = 0;
};

// The run's own row, closed by the shard that won the sweep; the counts are the shards' sum.
struct RunClose {
    std::string run_id;
    RunStatus status = RunStatus::failed;
    long deactivated = 0;
    std::string error;
    std::string details_json;
};

// The lease that keeps runs from overlapping, and the history an admin reads.
class RunLedger {
  public:
    virtual ~RunLedger() = default;
    virtual Lease begin(const RunStart& start) = 0;
    virtual LeaseRenewal renew(std::string_view run_id, int lease_seconds) = 0;
    virtual FinishOutcome finish(const RunRecord& record) = 0;
    // Sharded runs only. A ledger that cannot coordinate shards says so (no sweep).
    virtual SweepClaim claim_sweep(std::string_view /*run_id*/, int /*shard*/) {
        SweepClaim claim;
        claim.failure = Failure::rejected;
        claim.message = "this run ledger cannot coordinate the shards of a run";
        return claim;
    }
    virtual FinishOutcome finish_run(const RunClose& /*close*/) {
        FinishOutcome outcome;
        outcome.failure = Failure::rejected;
        outcome.message = "this run ledger cannot coordinate the shards of a run";
        return outcome;
    }
};

}  // namespace jobsync::sync
