#include "sync/runner.hpp"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <cstdio>
#include <ctime>
#include <optional>
#include <stdexcept>
#include <utility>

#include "sync/batcher.hpp"
#include "sync/dedup.hpp"

namespace jobsync::sync {

std::string format_run_timestamp(std::chrono::system_clock::time_point time) {
    using namespace std::chrono;
    const auto ms = floor<milliseconds>(time).time_since_epoch().count();
    const auto millis = ((ms % 1000) + 1000) % 1000;  // also right before 1970
    const auto secs = static_cast<std::time_t>((ms - millis) / 1000);
    std::tm utc{};
    gmtime_r(&secs, &utc);
    char text[96];  // room for any int, so the compiler sees no truncation
    std::snprintf(text, sizeof text, "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ", utc.tm_year + 1900,
                  utc.tm_mon + 1, utc.tm_mday, utc.tm_hour, utc.tm_min, utc.tm_sec,
                  static_cast<int>(millis));
    return text;
}

namespace {

// The state of one run. Each fetched page is pushed through dedup and the batcher as it
// arrives, and every full batch is upserted before the next page is read.
class SyncRun {
  public:
    SyncRun(JobStore& store, const RunOptions& options)
        : store_(store),
          options_(options),
          batcher_(options.max_batch_rows, options.max_batch_bytes) {}

    void fetch_query(JobSource& source, const SearchQuery& query) {
        spdlog::debug("query '{}': fetching {} page(s)", query.text, query.pages);
        progress_ = QueryProgress{};
        progress_.query_number = ++queries_started_;
        progress_.query_count = summary_.queries;
        progress_.query = query.text;
        progress_.pages_planned = query.pages;
        report_progress(QueryProgress::Stage::started);
        const FetchOutcome outcome = source.fetch(query, [this, &query](FetchedPage&& page) {
            take_page(query, page);
            progress_.pages_done =
                std::max(progress_.pages_done, page.first_page + page.page_count - 1);
            report_progress(QueryProgress::Stage::page);
        });
        summary_.requests += outcome.requests;
        summary_.billed_requests += outcome.billed_requests;
        summary_.retries += outcome.retries;
        summary_.pages += outcome.pages;
        if (outcome.quota_remaining) summary_.quota_remaining = outcome.quota_remaining;

        progress_.failed = outcome.failure != Failure::none;
        report_progress(QueryProgress::Stage::finished);
        if (outcome.failure == Failure::none) {
            spdlog::debug("query '{}': {} page(s) in {} request(s)", query.text, outcome.pages,
                          outcome.requests);
            return;
        }
        ++summary_.queries_failed;
        record(RunFailure::Step::query, outcome.failure,
               "query '" + query.text + "' failed: " + outcome.message);
        // A rejected key will not fix itself: asking again only spends quota.
        if (outcome.failure == Failure::auth) fetch_stopped_ = true;
    }

    bool stopped() const { return fetch_stopped_ || store_stopped_; }

    void finish(std::size_t queries_not_run) {
        summary_.queries_not_run = queries_not_run;
        if (!store_stopped_) {
            if (auto last = batcher_.flush()) send(std::move(*last));
        } else if (batcher_.pending_rows() > 0) {
            spdlog::warn("{} row(s) not sent: the store rejected the key", batcher_.pending_rows());
        }
        summary_.duplicates = dedup_.duplicates();
        sweep_or_skip();
    }

    RunSummary take_summary() { return std::move(summary_); }
    RunSummary& summary() { return summary_; }

  private:
    void report_progress(QueryProgress::Stage stage) {
        if (!options_.on_progress) return;
        progress_.stage = stage;
        progress_.jobs_fetched = summary_.jobs_fetched;
        progress_.rows_upserted = summary_.rows_upserted;
        progress_.retries = summary_.retries;
        options_.on_progress(progress_);
    }

    void take_page(const SearchQuery& query, FetchedPage& page) {
        const std::string& where = page.query.empty() ? query.text : page.query;
        for (const auto& problem : page.problems) {
            if (problem.skipped) {
                ++summary_.jobs_skipped;
            } else {
                ++summary_.fields_nulled;
            }
            const std::string& source_query = problem.query.empty() ? where : problem.query;
            spdlog::warn("query '{}' page {} job '{}': {}", source_query, problem.page,
                         problem.job_id, problem.message);
        }
        summary_.jobs_fetched += page.rows.size();
        for (const auto& row : page.rows) {
            if (store_stopped_) return;  // nothing more can be written this run
            if (!dedup_.first_sighting(row.job_id)) continue;
            std::string encoded = options_.encode_row(row, options_.run_started_at);
            if (batcher_.oversized(encoded.size())) {
                spdlog::warn(
                    "job '{}' encodes to {} bytes, over the batch limit of {}; "
                    "sending it in a batch of its own",
                    row.job_id, encoded.size(), options_.max_batch_bytes);
            }
            if (auto batch = batcher_.add(std::move(encoded))) send(std::move(*batch));
        }
    }

    void send(UpsertBatch batch) {
        const std::size_t number = ++summary_.batches;
        const StoreOutcome outcome = store_.upsert(batch);
        summary_.retries += outcome.retries;
        if (outcome.failure == Failure::none) {
            summary_.rows_upserted += batch.rows;
            spdlog::debug("batch {} ({} rows, {} bytes) upserted", number, batch.rows,
                          batch.json.size());
            return;
        }
        ++summary_.batches_failed;
        record(RunFailure::Step::batch, outcome.failure,
               "batch " + std::to_string(number) + " (" + std::to_string(batch.rows) +
                   " rows) failed: " + outcome.message);
        // Later batches may well succeed after a transient failure, but not with a bad key.
        if (outcome.failure == Failure::auth) store_stopped_ = true;
    }

    void sweep_or_skip() {
        if (!summary_.failures.empty()) {
            summary_.sweep_skipped_reason = summary_.failures.front().message;
            if (summary_.failures.size() > 1) {
                summary_.sweep_skipped_reason +=
                    " (and " + std::to_string(summary_.failures.size() - 1) + " more failure(s))";
            }
        } else if (summary_.jobs_fetched == 0) {
            summary_.sweep_skipped_reason =
                "no jobs fetched: refusing to deactivate the whole board";
        }
        if (!summary_.sweep_skipped_reason.empty()) {
            spdlog::warn("sweep skipped, nothing deactivated: {}", summary_.sweep_skipped_reason);
            return;
        }
        // Runs only now, after every row carries this run's last_seen: what is older vanished.
        const SweepOutcome outcome = store_.deactivate_unseen(options_.run_started_at);
        summary_.retries += outcome.retries;
        if (outcome.failure != Failure::none) {
            record(RunFailure::Step::sweep, outcome.failure, "sweep failed: " + outcome.message);
            return;
        }
        summary_.sweep_done = true;
        summary_.deactivated = outcome.deactivated;
        spdlog::info("sweep: {} job(s) not seen since {} marked inactive", outcome.deactivated,
                     options_.run_started_at);
    }

    void record(RunFailure::Step step, Failure kind, std::string message) {
        spdlog::error("{} ({})", message, to_string(kind));
        summary_.failures.push_back(RunFailure{step, kind, std::move(message)});
    }

    JobStore& store_;
    const RunOptions& options_;
    Deduplicator dedup_;
    UpsertBatcher batcher_;
    RunSummary summary_;
    bool fetch_stopped_ = false;  // JSearch rejected the key: fetch nothing more
    bool store_stopped_ = false;  // Supabase rejected the key: send nothing more
    std::size_t queries_started_ = 0;
    QueryProgress progress_;  // of the query being fetched
};

}  // namespace

RunSummary run_sync(const std::vector<SearchQuery>& queries, JobSource& source, JobStore& store,
                    const RunOptions& options) {
    // An empty timestamp would make the sweep's cut-off meaningless: refuse, it is a bug.
    if (options.run_started_at.empty()) throw std::invalid_argument("run start time not set");
    if (!options.encode_row) throw std::invalid_argument("row encoder not set");
    const SteadyNow now =
        options.steady_now ? options.steady_now : [] { return std::chrono::steady_clock::now(); };
    const auto started = now();

    SyncRun run(store, options);
    run.summary().queries = queries.size();
    std::size_t next = 0;
    for (; next < queries.size() && !run.stopped(); ++next) run.fetch_query(source, queries[next]);
    run.finish(queries.size() - next);

    RunSummary summary = run.take_summary();
    summary.duration_ms =
        std::chrono::duration_cast<std::chrono::milliseconds>(now() - started).count();
    return summary;
}

}  // namespace jobsync::sync
