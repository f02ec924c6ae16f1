#include "sync/runner.hpp"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <atomic>
#include <cmath>
#include <mutex>
#include <optional>
#include <stdexcept>
#include <utility>

#include "sync/batcher.hpp"
#include "sync/dedup.hpp"
#include "sync/request_fetch.hpp"
#include "sync/upsert_workers.hpp"

namespace jobsync::sync {

namespace {

// The state of one run. Each fetched page is pushed through dedup and the batcher as it
// arrives on the runner's thread, and every full batch goes to the upsert workers (or, with
// upsert_concurrency 0, is upserted before the next page is read). Workers share the summary
// and the batch limits under `state_`, and the lease under `lease_`: taken in that order.
class SyncRun {
  public:
    SyncRun(JobStore& store, const RunOptions& options, SteadyNow now)
        : store_(store),
          options_(options),
          now_(std::move(now)),
          batcher_(options.max_batch_rows, options.max_batch_bytes),
          upserts_(options.upsert_concurrency, 1, [this](UpsertBatch&& batch) {
              send(batch);
              // Its text's buffer serves a later batch.
              std::lock_guard lock(state_);
              batcher_.recycle(std::move(batch.json));
          }) {}

    // Takes the lease. False: the run must not go on (refused, or the ledger failed); the
    // summary says why.
    bool start() {
        if (options_.ledger == nullptr) {
            started_at_ = options_.run_started_at;
            summary_.run_started_at = started_at_;
            return true;
        }
        summary_.run_id = options_.run.run_id;
        summary_.shard = options_.run.shard;
        summary_.shard_count = options_.run.shard_count;
        const Lease lease = options_.ledger->begin(options_.run);
        summary_.retries += lease.retries;
        switch (lease.state) {
            case Lease::State::held:
                break;
            case Lease::State::refused:
                summary_.lease_refused = true;
                summary_.lease_message = lease.message;
                spdlog::error("refused: {}; this run stops without fetching (exit 5)",
                              lease.message);
                return false;
            case Lease::State::finished:
                summary_.run_id_reused = true;
                record(RunFailure::Step::lease, Failure::rejected, lease.message);
                return false;
            case Lease::State::failed:
                record(RunFailure::Step::lease, lease.failure,
                       lease.message + "; nothing was fetched");
                return false;
        }
        if (lease.started_at.empty()) throw std::logic_error("lease without a start time");
        leased_ = true;
        started_at_ = lease.started_at;
        summary_.run_started_at = started_at_;
        last_renewal_ = now_();
        spdlog::info("run {} holds the lease until {}{}", options_.run.run_id,
                     lease.lease_expires_at, lease.joined ? " (joined the running run)" : "");
        return true;
    }

    void fetch_query(JobSource& source, const std::vector<SearchQuery>& queries, std::size_t i) {
        focus(queries, i);
        const FetchOutcome outcome = source.fetch(
            queries[i],
            [this, &queries, i](FetchedPage&& page) { page_arrived(queries, i, page); });
        end_query(queries, i, outcome);
    }

    // Several requests in flight (options.fetch_concurrency), their pages handed back here as
    // they arrive; dedup by rank makes the table the same as a sequential run's.
    // Returns how many queries were run to their end.
    std::size_t fetch_concurrently(JobSource& source, const std::vector<SearchQuery>& queries) {
        RequestFetchHandlers handlers;
        handlers.on_page = [&](std::size_t i, FetchedPage&& page) {
            page_arrived(queries, i, page);
        };
        handlers.on_done = [&](std::size_t i, const FetchOutcome& outcome) {
            end_query(queries, i, outcome);
        };
        handlers.stop = [this] { return stopped(); };
        handlers.on_abandoned = [this](std::size_t, const FetchOutcome& outcome) {
            count_requests(outcome);  // sent (and maybe billed); their pages were kept
            std::lock_guard lock(state_);
            summary_.pages += outcome.pages;
        };
        handlers.halt = options_.halt_fetching;
        return fetch_as_ready(queries, source, options_.fetch_concurrency, handlers);
    }

    // Makes query i the one progress is about; says it started the first time.
    void focus(const std::vector<SearchQuery>& queries, std::size_t i) {
        if (pages_done_.size() != queries.size()) pages_done_.assign(queries.size(), -1);
        const SearchQuery& query = queries[i];
        const bool first = pages_done_[i] < 0;
        if (first) pages_done_[i] = 0;
        progress_ = QueryProgress{};
        progress_.query_number = i + 1;
        progress_.query_count = summary_.queries;
        progress_.query = query.text;
        progress_.pages_planned = query.pages;
        progress_.pages_done = pages_done_[i];
        if (!first) return;
        spdlog::debug("query '{}': fetching {} page(s)", query.text, query.pages);
        report_progress(QueryProgress::Stage::started);
    }

    void page_arrived(const std::vector<SearchQuery>& queries, std::size_t i, FetchedPage& page) {
        focus(queries, i);
        take_page(queries[i], i, page);
        pages_done_[i] = std::max(pages_done_[i], page.first_page + page.page_count - 1);
        progress_.pages_done = pages_done_[i];
        report_progress(QueryProgress::Stage::page);
    }

    void count_requests(const FetchOutcome& outcome) {
        std::lock_guard lock(state_);
        summary_.requests += outcome.requests;
        summary_.billed_requests += outcome.billed_requests;
        summary_.retries += outcome.retries;
        if (outcome.quota_remaining) summary_.quota_remaining = outcome.quota_remaining;
    }

    void end_query(const std::vector<SearchQuery>& queries, std::size_t i,
                   const FetchOutcome& outcome) {
        focus(queries, i);
        const SearchQuery& query = queries[i];
        count_requests(outcome);
        {
            std::lock_guard lock(state_);
            summary_.pages += outcome.pages;
            if (outcome.failure != Failure::none) ++summary_.queries_failed;
        }

        progress_.failed = outcome.failure != Failure::none;
        report_progress(QueryProgress::Stage::finished);
        if (outcome.failure == Failure::none) {
            spdlog::debug("query '{}': {} page(s) in {} request(s)", query.text, outcome.pages,
                          outcome.requests);
            return;
        }
        record(RunFailure::Step::query, outcome.failure,
               "query '" + query.text + "' failed: " + outcome.message);
        // A rejected key will not fix itself: asking again only spends quota. Nor will a
        // spent quota; the rows already fetched are still upserted.
        if (outcome.failure == Failure::auth || outcome.failure == Failure::quota) {
            fetch_stopped_ = true;
        }
        halt_on(outcome.failure);
    }

    bool stopped() { return fetch_stopped_ || store_stopped_ || stop_requested(); }

    void finish(std::size_t queries_not_run) {
        {
            std::lock_guard lock(state_);
            summary_.queries_not_run = queries_not_run;
        }
        if (stop_requested()) note_stop(queries_not_run);
        std::optional<UpsertBatch> last;
        {
            std::lock_guard lock(state_);
            if (!store_stopped_) {
                last = batcher_.flush();
            } else if (batcher_.pending_rows() > 0) {
                spdlog::warn("{} row(s) not sent: the run stopped writing",
                             batcher_.pending_rows());
            }
        }
        if (last) upserts_.submit(std::move(*last));
        // Every batch is answered before anything that depends on them all: touch, guard, sweep.
        upserts_.finish();
        summary_.duplicates = dedup_.duplicates();
        if (!summary_.refused_jobs.empty() && summary_.rows_upserted == 0) {
            record(RunFailure::Step::batch, Failure::rejected,
                   "the database refused every fetched job: nothing was stored");
        }
        touch_refused();
        sweep_or_skip();
    }

    // Writes the run record: status, counts, error, details. Never throws for the ledger's
    // failures: the run's outcome stands, the summary carries a warning.
    void close(RunSummary& summary) {
        if (!leased_) return;
        leased_ = false;
        // A signal that came while the last step ran still cancels an unfinished run.
        if (options_.stop != nullptr && summary.stop_cause == StopCause::none &&
            !summary.sweep_done) {
            summary.stop_cause = options_.stop->cause();
        }
        if (claimed_) {
            close_run(summary, run_status(summary), run_error(summary));
            return;
        }
        // A shard whose success is recorded already (and which did not win the sweep).
        if (shard_recorded_ && run_status(summary) == RunStatus::succeeded) return;
        RunRecord record;
        record.run_id = options_.run.run_id;
        record.shard = options_.run.shard;
        record.status = run_status(summary);
        record.counts = counts_of(summary);
        record.error = run_error(summary);
        record.details_json = render_details(summary);
        write_record(record, summary);
    }

    // After an exception: no batch starts any more, and the workers end before the record is
    // written. Never throws (a worker's own exception is already on its way or irrelevant).
    void halt_upserts() noexcept {
        store_stopped_ = true;
        try {
            upserts_.finish();
        } catch (...) {
        }
    }

    // After an exception: the record says failed, so no lease waits for its expiry.
    void abandon(const std::string& what) {
        halt_upserts();
        if (!leased_) return;
        leased_ = false;
        if (claimed_) {
            close_run(summary_, RunStatus::failed, "internal error: " + what);
            return;
        }
        RunRecord record;
        record.run_id = options_.run.run_id;
        record.shard = options_.run.shard;
        record.status = RunStatus::failed;
        record.counts = counts_of(summary_);
        record.error = "internal error: " + what;
        write_record(record, summary_);
    }

    RunSummary take_summary() { return std::move(summary_); }
    RunSummary& summary() { return summary_; }

  private:
    void report_progress(QueryProgress::Stage stage) {
        if (!options_.on_progress) return;
        progress_.stage = stage;
        {
            std::lock_guard lock(state_);
            progress_.jobs_fetched = summary_.jobs_fetched;
            progress_.rows_upserted = summary_.rows_upserted;
            progress_.retries = summary_.retries;
        }
        options_.on_progress(progress_);
    }

    void take_page(const SearchQuery& query, std::size_t query_index, FetchedPage& page) {
        const std::string& where = page.query.empty() ? query.text : page.query;
        std::unique_lock lock(state_);
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
        lock.unlock();
        // Dedup and encoding stay on this thread. The copy a sequential run meets first wins
        // (dedup.hpp), whatever order the pages come in.
        for (std::size_t r = 0; r < page.rows.size(); ++r) {
            const jobs::JobRow& row = page.rows[r];
            if (store_stopped_) return;  // nothing more can be written this run
            const Deduplicator::Sighting sighting =
                dedup_.sight(row.job_id, feed_rank(query_index, page.first_page, r));
            if (sighting.kind == Deduplicator::Kind::worse) continue;
            lock.lock();
            std::uint32_t after = 0;
            if (sighting.kind == Deduplicator::Kind::better) {
                // A later query's copy was sent or is in the batch being filled: this one is
                // sent after it, and never in the same batch (two equal keys fail an upsert).
                ++summary_.rows_resent;
                after = sighting.earlier_batch;
                if (after == batcher_.filling_batch()) {
                    std::optional<UpsertBatch> cut = batcher_.flush();
                    lock.unlock();
                    if (cut) upserts_.submit(std::move(*cut));
                    lock.lock();
                }
            }
            // Encoded straight into the batch's text (the workers touch the batcher only to
            // lower its limits or give a sent text back, both brief).
            UpsertBatcher::Added added = batcher_.add_written(
                row.job_id, [&](std::string& out) { options_.encode_row(out, row, started_at_); },
                after);
            dedup_.placed(sighting, added.batch);
            if (batcher_.oversized(added.row_bytes)) {
                spdlog::warn(
                    "job '{}' encodes to {} bytes, over the batch limit of {}; "
                    "sending it in a batch of its own",
                    row.job_id, added.row_bytes, batcher_.max_bytes());
            }
            lock.unlock();
            // Blocks while the workers' queue is full: fetching waits for the database.
            if (added.ready) upserts_.submit(std::move(*added.ready));
        }
    }

    // Sends a batch, splitting it while the server says smaller would go through: a 4xx that
    // blames the data is bisected down to the refused rows, a 413 or a statement timeout halves
    // the batch and lowers the size of every later one. Runs on an upsert worker (or on the
    // runner's thread with upsert_concurrency 0); the batch limits are the run's, shared.
    void send(UpsertBatch& batch) {
        if (store_stopped_) return;
        renew_lease_if_due();
        std::size_t number = 0;
        {
            std::lock_guard lock(state_);
            if (batch.rows > 1 &&
                (batch.rows > batcher_.max_rows() || batch.json.size() > batcher_.max_bytes())) {
                number = 0;
            } else {
                number = ++summary_.batches;
            }
        }
        if (number == 0) {
            send_halves(std::move(batch));
            return;
        }
        const StoreOutcome outcome = store_.upsert(batch);
        {
            std::lock_guard lock(state_);
            summary_.retries += outcome.retries;
            if (outcome.failure == Failure::none) summary_.rows_upserted += batch.rows;
        }
        if (outcome.failure == Failure::none) {
            spdlog::debug("batch {} ({} rows, {} bytes) upserted", number, batch.rows,
                          batch.json.size());
            return;
        }
        switch (outcome.problem) {
            case BatchProblem::rows_refused:
                if (batch.rows == 1) {
                    refuse(batch, outcome.code, outcome.reason);
                } else {
                    spdlog::warn(
                        "batch {} ({} rows) refused by the database ({} {}): splitting it to "
                        "isolate the refused row(s)",
                        number, batch.rows, outcome.code, outcome.reason);
                    send_halves(std::move(batch));
                }
                return;
            case BatchProblem::body_too_large:
            case BatchProblem::statement_timeout:
                if (batch.rows > 1) {
                    shrink(batch, outcome.problem, number);
                    send_halves(std::move(batch));
                    return;
                }
                if (outcome.problem == BatchProblem::body_too_large) {
                    // One row over the proxy's body limit: no split can help; the rest goes on.
                    refuse(batch, outcome.code.empty() ? "HTTP 413" : outcome.code,
                           "the row alone is larger than the server's request body limit");
                    return;
                }
                break;
            case BatchProblem::none:
                break;
        }
        // Later batches may well succeed after a transient failure, but not with a bad key.
        // Said first, so that the other workers start no batch meanwhile.
        if (outcome.failure == Failure::auth) store_stopped_ = true;
        {
            std::lock_guard lock(state_);
            ++summary_.batches_failed;
        }
        record(RunFailure::Step::batch, outcome.failure,
               "batch " + std::to_string(number) + " (" + std::to_string(batch.rows) +
                   " rows) failed: " + outcome.message);
        halt_on(outcome.failure);
    }

    bool stop_requested() { return options_.stop != nullptr && options_.stop->stop_requested(); }

    // A deadline or a signal ends fetching and writing at once; the sweep never starts.
    void halt_on(Failure failure) {
        if (failure == Failure::deadline || failure == Failure::cancelled || stop_requested()) {
            fetch_stopped_ = true;
            store_stopped_ = true;
        }
    }

    // Records the stop once, unless a failed step already said why.
    void note_stop(std::size_t queries_not_run) {
        fetch_stopped_ = true;
        store_stopped_ = true;
        const StopCause cause = options_.stop->cause();
        {
            std::lock_guard lock(state_);
            summary_.stop_cause = cause;
            const bool said = std::any_of(
                summary_.failures.begin(), summary_.failures.end(), [](const RunFailure& failure) {
                    return failure.kind == Failure::deadline || failure.kind == Failure::cancelled;
                });
            if (said) return;
        }
        const bool deadline = cause == StopCause::deadline;
        record(RunFailure::Step::query, deadline ? Failure::deadline : Failure::cancelled,
               std::string(deadline ? "the run's deadline passed"
                                    : "stopped by " + std::string(to_string(cause))) +
                   (queries_not_run > 0 ? ": " + std::to_string(queries_not_run) + " quer" +
                                              (queries_not_run == 1 ? "y" : "ies") + " not run"
                                        : std::string()));
    }

    void send_halves(UpsertBatch batch) {
        auto [first, second] = split_batch(batch);
        batch = UpsertBatch{};  // the halves hold the text now; keep one copy in memory
        send(first);
        send(second);
    }

    // Remembers a smaller batch for the rest of the run.
    void shrink(const UpsertBatch& batch, BatchProblem problem, std::size_t number) {
        std::lock_guard lock(state_);
        const std::size_t rows = std::max<std::size_t>(1, batch.rows / 2);
        // A proxy's limit is on bytes: halve them too (a batch cut by rows would still pass it).
        const std::size_t bytes = problem == BatchProblem::body_too_large
                                      ? std::max<std::size_t>(batch.json.size() / 2, 2)
                                      : batcher_.max_bytes();
        const std::size_t before = batcher_.max_rows();
        batcher_.shrink(rows, bytes);
        summary_.batch_rows_limit = batcher_.max_rows();
        spdlog::warn(
            "batch {} ({} rows, {} bytes) {}: retrying it in halves; batches now hold at most "
            "{} rows (was {}) and {} bytes for the rest of the run",
            number, batch.rows, batch.json.size(),
            problem == BatchProblem::body_too_large ? "was too large for the server (413)"
                                                    : "hit the database's statement timeout",
            batcher_.max_rows(), before, batcher_.max_bytes());
    }

    void refuse(const UpsertBatch& batch, const std::string& code, const std::string& message) {
        const std::string job_id = batch.job_ids.empty() ? std::string() : batch.job_ids.front();
        spdlog::error("job '{}' refused by the database ({} {}); the other jobs are stored", job_id,
                      code, message);
        std::lock_guard lock(state_);
        summary_.refused_jobs.push_back(RefusedJob{job_id, code, message});
    }

    // A refused job is still in the feed: when it is in the table already, stamp it as seen so
    // the sweep does not deactivate a live job because its new data was refused.
    void touch_refused() {
        if (summary_.refused_jobs.empty() || store_stopped_ || summary_.rows_upserted == 0) {
            return;
        }
        std::vector<std::string> ids;
        for (const auto& job : summary_.refused_jobs) {
            if (!job.job_id.empty()) ids.push_back(job.job_id);
        }
        if (ids.empty()) return;
        const StoreOutcome outcome = store_.touch(ids, started_at_);
        summary_.retries += outcome.retries;
        if (outcome.failure != Failure::none) {
            record(RunFailure::Step::touch, outcome.failure, outcome.message);
            return;
        }
        summary_.rows_touched = outcome.affected;
        spdlog::info("{} of {} refused job(s) already in the table: stamped as seen, kept active",
                     outcome.affected, ids.size());
    }

    // Between batches, on whichever worker sends one: one renewal at a time.
    void renew_lease_if_due() {
        std::lock_guard lease(lease_);
        if (!leased_ || lease_lost_) return;
        const auto ttl = std::chrono::seconds(std::max(1, options_.run.lease_seconds));
        if (now_() - last_renewal_ < ttl / 3) return;
        renew_lease_held();
    }

    // False when the lease is gone: the run must not sweep.
    bool renew_lease() {
        std::lock_guard lease(lease_);
        return renew_lease_held();
    }

    bool renew_lease_held() {
        if (!leased_) return true;
        if (lease_lost_) return false;
        const LeaseRenewal renewal =
            options_.ledger->renew(options_.run.run_id, options_.run.lease_seconds);
        {
            std::lock_guard lock(state_);
            summary_.retries += renewal.retries;
        }
        if (renewal.failure == Failure::none && renewal.held) {
            last_renewal_ = now_();
            spdlog::debug("lease renewed until {}", renewal.lease_expires_at);
            return true;
        }
        lease_lost_ = true;
        fetch_stopped_ = true;  // no more billed requests for a run that cannot finish
        record(RunFailure::Step::lease,
               renewal.failure == Failure::none ? Failure::rejected : renewal.failure,
               renewal.failure == Failure::none
                   ? "the lease was lost (the run is now '" + renewal.status +
                         "': it expired, or an admin cleared it); nothing will be deactivated"
                   : "renewing the lease failed: " + renewal.message);
        return false;
    }

    void sweep_or_skip() {
        if (sharded()) {
            finish_shard();
            return;
        }
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
        if (skipped_sweep_for_a_stop()) return;
        sweep_unless_disabled();
    }

    // A stop (signal, deadline, quota, lost lease) that came after the upserts still skips the
    // sweep: a stopped run never deactivates anything.
    bool skipped_sweep_for_a_stop() {
        if (!stop_requested()) return false;
        summary_.sweep_skipped_reason = "the run was stopped before the sweep";
        summary_.stop_cause = options_.stop->cause();
        spdlog::warn("sweep skipped, nothing deactivated: {}", summary_.sweep_skipped_reason);
        return true;
    }

    // The last steps of a run or a shard that may sweep: --no-sweep, then the lease (the sweep is
    // the one step that must never run without it), then the guard and the sweep.
    void sweep_unless_disabled() {
        if (!options_.sweep) {
            summary_.sweep_disabled = true;
            summary_.sweep_skipped_reason = "--no-sweep";
            spdlog::info("sweep skipped on purpose (--no-sweep): nothing deactivated");
            return;
        }
        if (!renew_lease()) return;
        guard_and_sweep();
    }

    bool sharded() const { return options_.ledger != nullptr && options_.run.shard_count > 1; }

    // A shard of a sharded run never sweeps on its own account: it records its part as
    // succeeded, then asks for the run's one sweep, which only the shard that completes the set
    // of succeeded shards wins (job_sync_claim_sweep). The winner guards and sweeps for the
    // whole run; the others leave it to the winner.
    void finish_shard() {
        if (!summary_.failures.empty()) {
            summary_.sweep_skipped_reason =
                "this shard failed: " + summary_.failures.front().message;
            spdlog::warn("shard {}/{} failed: no sweep for run {}", options_.run.shard,
                         options_.run.shard_count, options_.run.run_id);
            return;
        }
        // Stopped (signal or deadline) after its part: recorded as such by close(), so the run
        // names this shard and no sweep happens.
        if (skipped_sweep_for_a_stop()) return;
        // The claim counts succeeded shard rows: this shard's must be written first.
        const FinishOutcome finished =
            options_.ledger->finish(shard_record(summary_, RunStatus::succeeded));
        summary_.retries += finished.retries;
        if (finished.failure != Failure::none) {
            record(RunFailure::Step::lease, finished.failure,
                   "recording this shard's result failed: " + finished.message);
            return;
        }
        if (finished.late) {
            record(RunFailure::Step::lease, Failure::rejected,
                   "the run ended (status '" + finished.status +
                       "') before this shard finished; nothing will be deactivated");
            return;
        }
        shard_recorded_ = true;
        const SweepClaim claim =
            options_.ledger->claim_sweep(options_.run.run_id, options_.run.shard);
        summary_.retries += claim.retries;
        if (claim.failure != Failure::none) {
            record(RunFailure::Step::sweep, claim.failure,
                   "asking for the run's sweep failed: " + claim.message);
            return;
        }
        if (!claim.claimed) {
            if (claim.reason == "not_running") {
                record(RunFailure::Step::sweep, Failure::rejected,
                       "the run ended (status '" + claim.run_status +
                           "') before its sweep; nothing will be deactivated");
                return;
            }
            summary_.sweep_deferred = true;
            summary_.sweep_skipped_reason = waiting_for(claim);
            spdlog::info("shard {}/{} done; {}", options_.run.shard, options_.run.shard_count,
                         summary_.sweep_skipped_reason);
            return;
        }
        claimed_ = true;
        summary_.sweep_claimed = true;
        spdlog::info("every shard of run {} succeeded: shard {}/{} sweeps for the whole run",
                     options_.run.run_id, options_.run.shard, options_.run.shard_count);
        if (claim.jobs_fetched == 0) {
            summary_.sweep_skipped_reason =
                "no jobs fetched by any shard: refusing to deactivate the whole board";
            spdlog::warn("sweep skipped, nothing deactivated: {}", summary_.sweep_skipped_reason);
            return;
        }
        sweep_unless_disabled();
    }

    static std::string waiting_for(const SweepClaim& claim) {
        if (claim.reason == "claimed") return "the run's sweep is another shard's";
        std::string text;
        const auto add = [&text](const std::string& part) {
            text += (text.empty() ? "" : "; ") + part;
        };
        for (const int shard : claim.running) add("shard " + std::to_string(shard) + " running");
        for (const auto& failed : claim.failed) add(failed);
        for (const int shard : claim.missing) {
            add("shard " + std::to_string(shard) + " not started");
        }
        return "the run's sweep waits for every shard to succeed (" + text +
               "); the last to succeed sweeps";
    }

    void guard_and_sweep() {
        std::optional<long> limit;
        if (options_.max_deactivate_share < 1.0) {
            const CountOutcome active = store_.count_active();
            summary_.retries += active.retries;
            if (active.failure != Failure::none) {
                record(RunFailure::Step::sweep, active.failure, "sweep skipped: " + active.message);
                return;
            }
            const CountOutcome unseen = store_.count_unseen(started_at_);
            summary_.retries += unseen.retries;
            if (unseen.failure != Failure::none) {
                record(RunFailure::Step::sweep, unseen.failure, "sweep skipped: " + unseen.message);
                return;
            }
            GuardReport guard;
            guard.share = std::max(0.0, options_.max_deactivate_share);
            guard.active = active.count;
            guard.would_deactivate = unseen.count;
            guard.limit = static_cast<long>(
                std::floor(guard.share * static_cast<double>(active.count) + 1e-9));
            guard.tripped = unseen.count > guard.limit;
            summary_.guard = guard;
            if (guard.tripped) {
                spdlog::error("{}", guard_message(guard));
                return;
            }
            spdlog::info("{}", guard_message(guard));
            limit = guard.limit;
        }
        // Runs only now, after every row carries this run's last_seen: what is older vanished.
        const SweepOutcome outcome = store_.deactivate_unseen(started_at_, limit);
        summary_.retries += outcome.retries;
        if (outcome.limit_exceeded && summary_.guard) {
            // More rows went stale between the count and the PATCH; PostgREST rolled back.
            summary_.guard->tripped = true;
            summary_.guard->would_deactivate = -1;
            spdlog::error("{} ({})", guard_message(*summary_.guard), outcome.message);
            return;
        }
        if (outcome.failure != Failure::none || outcome.limit_exceeded) {
            record(RunFailure::Step::sweep,
                   outcome.failure == Failure::none ? Failure::rejected : outcome.failure,
                   "sweep failed: " + outcome.message);
            return;
        }
        summary_.sweep_done = true;
        summary_.deactivated = outcome.deactivated;
        spdlog::info("sweep: {} job(s) not seen since {} marked inactive", outcome.deactivated,
                     started_at_);
    }

    void record(RunFailure::Step step, Failure kind, std::string message) {
        spdlog::error("{} ({})", message, to_string(kind));
        std::lock_guard lock(state_);
        summary_.failures.push_back(RunFailure{step, kind, std::move(message)});
    }

    static RunCounts counts_of(const RunSummary& s) {
        RunCounts c;
        c.queries = static_cast<long>(s.queries);
        c.requests = s.requests;
        c.billed_requests = s.billed_requests;
        c.jobs_fetched = static_cast<long>(s.jobs_fetched);
        c.jobs_skipped = static_cast<long>(s.jobs_skipped);
        c.jobs_refused = static_cast<long>(s.refused_jobs.size());
        c.rows_upserted = static_cast<long>(s.rows_upserted);
        c.deactivated = s.deactivated;
        c.retries = s.retries;
        return c;
    }

    RunRecord shard_record(const RunSummary& summary, RunStatus status) const {
        RunRecord record;
        record.run_id = options_.run.run_id;
        record.shard = options_.run.shard;
        record.status = status;
        record.counts = counts_of(summary);
        record.error = run_error(summary);
        record.details_json = render_details(summary);
        return record;
    }

    // The winner of a sharded run's sweep closes the run's row: status, the sweep's figures,
    // and the counts summed over the shards (by job_sync_finish_run).
    void close_run(RunSummary& summary, RunStatus status, std::string error) {
        RunClose close;
        close.run_id = options_.run.run_id;
        close.status = status;
        close.deactivated = summary.deactivated;
        close.error = std::move(error);
        close.details_json = render_details(summary);
        const FinishOutcome outcome = options_.ledger->finish_run(close);
        if (outcome.failure != Failure::none) {
            summary.ledger_warning = "the run record could not be closed (" + outcome.message +
                                     "); the lease stays until it expires (--lease-seconds " +
                                     std::to_string(options_.run.lease_seconds) + ")";
            spdlog::error("{}", summary.ledger_warning);
            return;
        }
        spdlog::info("run {} ({} shards) recorded as {}", close.run_id, options_.run.shard_count,
                     to_string(status));
    }

    void write_record(const RunRecord& record, RunSummary& summary) {
        const FinishOutcome outcome = options_.ledger->finish(record);
        if (outcome.failure != Failure::none) {
            summary.ledger_warning = "the run record could not be finished (" + outcome.message +
                                     "); the lease stays until it expires (--lease-seconds " +
                                     std::to_string(options_.run.lease_seconds) + ")";
            spdlog::error("{}", summary.ledger_warning);
            return;
        }
        if (outcome.late) {
            spdlog::warn("run {} finished after its lease had expired; the record says '{}'",
                         record.run_id, outcome.status);
        }
        spdlog::info("run {} recorded as {}", record.run_id, to_string(record.status));
    }

    JobStore& store_;
    const RunOptions& options_;
    SteadyNow now_;
    Deduplicator dedup_;
    UpsertBatcher batcher_;
    RunSummary summary_;
    std::string started_at_;       // every row's last_seen and the sweep's cut-off
    bool leased_ = false;          // the lease is held and the record not yet finished
    bool shard_recorded_ = false;  // sharded: this shard's success is in job_sync_run_shards
    bool claimed_ = false;         // sharded: this shard won the run's sweep
    bool lease_lost_ = false;      // under lease_
    std::chrono::steady_clock::time_point last_renewal_{};  // under lease_
    std::atomic<bool> fetch_stopped_{false};  // JSearch rejected the key: fetch nothing more
    std::atomic<bool> store_stopped_{false};  // Supabase rejected the key: send nothing more
    std::vector<int> pages_done_;             // by query; -1: not started
    QueryProgress progress_;                  // of the query whose page or outcome came last
    std::mutex state_;                        // summary_ and batcher_, while upsert workers run
    std::mutex lease_;                        // the lease's renewal; taken before state_
    UpsertWorkers upserts_;                   // last: its threads end before the members they use
};

}  // namespace

RunSummary run_sync(const std::vector<SearchQuery>& queries, JobSource& source, JobStore& store,
                    const RunOptions& options) {
    // An empty timestamp would make the sweep's cut-off meaningless: refuse, it is a bug.
    if (options.ledger == nullptr && options.run_started_at.empty()) {
        throw std::invalid_argument("run start time not set");
    }
    if (!options.encode_row) throw std::invalid_argument("row encoder not set");
    const SteadyNow now =
        options.steady_now ? options.steady_now : [] { return std::chrono::steady_clock::now(); };
    const auto started = now();

    SyncRun run(store, options, now);
    run.summary().queries = queries.size();
    try {
        if (run.start()) {
            std::size_t next = 0;
            if (options.fetch_concurrency > 1 && queries.size() > 1) {
                next = run.fetch_concurrently(source, queries);
            } else {
                for (; next < queries.size() && !run.stopped(); ++next) {
                    run.fetch_query(source, queries, next);
                }
            }
            run.finish(queries.size() - next);
        } else {
            run.summary().queries_not_run = queries.size();
        }
    } catch (const std::exception& e) {
        run.abandon(e.what());
        throw;
    }

    RunSummary summary = run.take_summary();
    summary.duration_ms =
        std::chrono::duration_cast<std::chrono::milliseconds>(now() - started).count();
    run.close(summary);
    return summary;
}

}  // namespace jobsync::sync
