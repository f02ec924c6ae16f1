// In-memory JobSource and JobStore with scripted pages and failures, for the runner tests.
#pragma once

#include <spdlog/spdlog.h>

#include <algorithm>
#include <cstddef>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <stdexcept>
#include <string>
#include <vector>

#include "capture_sink.hpp"
#include "logging/logging.hpp"
#include "ports/ports.hpp"

namespace jobsync::testing {

inline jobs::JobRow job(std::string id, std::string title = "") {
    jobs::JobRow row;
    row.job_id = std::move(id);
    if (!title.empty()) row.job_title = std::move(title);
    return row;
}

// Whether the batch carries the job.
inline bool holds(const sync::UpsertBatch& batch, const std::string& id) {
    return std::find(batch.job_ids.begin(), batch.job_ids.end(), id) != batch.job_ids.end();
}

// What the store answers when a CHECK constraint refuses rows of a batch.
inline sync::StoreOutcome refused_by_check() {
    sync::StoreOutcome outcome;
    outcome.failure = sync::Failure::rejected;
    outcome.message = "upsert failed: PostgREST 400 23514";
    outcome.problem = sync::BatchProblem::rows_refused;
    outcome.code = "23514";
    outcome.reason = "violates check constraint \"no_spam\"";
    return outcome;
}

inline sync::SearchQuery query(std::string text) {
    sync::SearchQuery q;
    q.text = std::move(text);
    return q;
}

// What the source does for one query: hands out `pages`, then returns `outcome`.
struct ScriptedQuery {
    std::vector<sync::FetchedPage> pages;
    sync::FetchOutcome outcome;
};

inline sync::FetchedPage page(std::string query, int first_page, std::vector<jobs::JobRow> rows) {
    sync::FetchedPage p;
    p.query = std::move(query);
    p.first_page = first_page;
    p.rows = std::move(rows);
    return p;
}

// One job a query, and an exception (a bug in the source, not a failure it reports) for the
// query named `bad`: what the concurrent paths must carry back to the caller's thread.
class ThrowingSource final : public sync::JobSource {
  public:
    explicit ThrowingSource(std::string bad) : bad_(std::move(bad)) {}

    sync::FetchOutcome fetch(const sync::SearchQuery& q, const sync::PageSink& sink) override {
        if (q.text == bad_) throw std::runtime_error("a bug in the source");
        sink(page(q.text, 1, {job(q.text + "1")}));
        sync::FetchOutcome outcome;
        outcome.pages = 1;
        outcome.requests = 1;
        outcome.billed_requests = 1;
        return outcome;
    }

  private:
    std::string bad_;
};

class FakeJobSource final : public sync::JobSource {
  public:
    std::map<std::string, ScriptedQuery> script;  // by query text; unknown: no jobs, success
    std::vector<std::string> fetched;             // query texts, in order
    std::function<void()> after_each_page;        // runs after the sink returns
    // Runs first in every fetch, on the fetching thread (a gate for concurrent tests).
    std::function<void(const std::string& query)> before_fetch;

    // Safe from several threads as long as `script` is not changed while a run is going on.
    sync::FetchOutcome fetch(const sync::SearchQuery& q, const sync::PageSink& sink) override {
        {
            std::lock_guard lock(mutex_);
            fetched.push_back(q.text);
        }
        if (before_fetch) before_fetch(q.text);
        auto it = script.find(q.text);
        if (it == script.end()) return sync::FetchOutcome{};
        for (auto p : it->second.pages) {
            sink(std::move(p));
            if (after_each_page) after_each_page();
        }
        return it->second.outcome;
    }

  private:
    std::mutex mutex_;
};

class FakeJobStore final : public sync::JobStore {
  public:
    std::vector<sync::UpsertBatch> batches;                // every batch received, in order
    std::map<std::size_t, sync::StoreOutcome> fail_batch;  // by 1-based batch number
    std::vector<std::string> sweeps;                       // run_started_at of each sweep
    sync::SweepOutcome sweep_outcome{sync::Failure::none, "", 0, 0};

    // When set, decides every upsert's outcome (fail_batch is then ignored).
    std::function<sync::StoreOutcome(const sync::UpsertBatch&)> on_upsert;

    // Safe from several upsert workers; `on_upsert` runs outside the lock (it may block).
    sync::StoreOutcome upsert(sync::UpsertBatch& batch) override {
        std::size_t number = 0;
        {
            std::lock_guard lock(mutex_);
            batches.push_back(batch);
            number = batches.size();
        }
        if (on_upsert) return on_upsert(batch);
        auto it = fail_batch.find(number);
        return it == fail_batch.end() ? sync::StoreOutcome{} : it->second;
    }

    sync::SweepOutcome deactivate_unseen(std::string_view run_started_at,
                                         std::optional<long> max_affected) override {
        sweeps.emplace_back(run_started_at);
        sweep_limits.push_back(max_affected);
        return sweep_outcome;
    }

    sync::CountOutcome count_active() override { return active; }
    sync::CountOutcome count_unseen(std::string_view) override { return unseen; }

    sync::StoreOutcome touch(const std::vector<std::string>& job_ids,
                             std::string_view last_seen) override {
        touched.push_back(job_ids);
        touched_last_seen.emplace_back(last_seen);
        sync::StoreOutcome outcome = touch_outcome;
        if (outcome.failure == sync::Failure::none) {
            outcome.affected = static_cast<long>(job_ids.size());
        }
        return outcome;
    }

    std::vector<std::optional<long>> sweep_limits;  // max_affected of each sweep
    sync::CountOutcome active{sync::Failure::none, "", 100, 0};
    sync::CountOutcome unseen{sync::Failure::none, "", 0, 0};
    std::vector<std::vector<std::string>> touched;  // ids of each touch
    std::vector<std::string> touched_last_seen;
    sync::StoreOutcome touch_outcome;

  private:
    std::mutex mutex_;
};

// A ledger that grants (or refuses) the lease and records every call.
class FakeRunLedger final : public sync::RunLedger {
  public:
    sync::Lease lease = held("2024-05-01T12:00:00.123456+00:00");
    std::vector<sync::RunStart> begun;
    std::vector<std::string> renewals;  // run ids
    sync::LeaseRenewal renewal{sync::Failure::none, "", true, "later", "running", 0};
    std::vector<sync::RunRecord> finished;
    sync::FinishOutcome finish_outcome{sync::Failure::none, "", "succeeded", false, 0};
    std::function<void()> on_renew;

    static sync::Lease held(std::string started_at) {
        sync::Lease lease;
        lease.state = sync::Lease::State::held;
        lease.started_at = std::move(started_at);
        lease.lease_expires_at = "2024-05-01T12:15:00+00:00";
        return lease;
    }

    sync::Lease begin(const sync::RunStart& start) override {
        begun.push_back(start);
        return lease;
    }
    sync::LeaseRenewal renew(std::string_view run_id, int) override {
        renewals.emplace_back(run_id);
        if (on_renew) on_renew();
        return renewal;
    }
    sync::FinishOutcome finish(const sync::RunRecord& record) override {
        finished.push_back(record);
        return finish_outcome;
    }

    // Sharded runs: the claims asked for and the run closes written.
    sync::SweepClaim claim;
    std::vector<int> claims;  // shard of each claim
    std::vector<sync::RunClose> closed;
    sync::SweepClaim claim_sweep(std::string_view, int shard) override {
        claims.push_back(shard);
        return claim;
    }
    sync::FinishOutcome finish_run(const sync::RunClose& close) override {
        closed.push_back(close);
        return finish_outcome;
    }
};

// Routes the default logger into memory for the life of a test, then restores it.
class CapturedLog {
  public:
    CapturedLog() : previous_(spdlog::default_logger()), sink_(std::make_shared<CaptureSink>()) {
        logging::configure_logging(spdlog::level::trace, logging::LogFormat::text, sink_);
    }
    ~CapturedLog() { spdlog::set_default_logger(previous_); }
    CapturedLog(const CapturedLog&) = delete;
    CapturedLog& operator=(const CapturedLog&) = delete;

    std::vector<std::string> lines() { return sink_->lines(); }
    bool contains(const std::string& text) {
        for (const auto& line : lines()) {
            if (line.find(text) != std::string::npos) return true;
        }
        return false;
    }

  private:
    std::shared_ptr<spdlog::logger> previous_;
    std::shared_ptr<CaptureSink> sink_;
};

}  // namespace jobsync::testing
