// The runner with upsert workers (RunOptions::upsert_concurrency > 0): the same rows, counts,
// refused jobs and sweep decision as with every batch sent on the runner's thread.
#include <algorithm>
#include <atomic>
#include <boost/test/unit_test.hpp>
#include <chrono>
#include <map>
#include <mutex>
#include <set>
#include <stdexcept>
#include <string>
#include <vector>

#include "fakes.hpp"
#include "sync/exit_codes.hpp"
#include "sync/runner.hpp"

using namespace jobsync;
using namespace jobsync::testing;
using sync::Failure;

namespace {

sync::FetchOutcome ok(int pages) {
    sync::FetchOutcome outcome;
    outcome.pages = pages;
    outcome.requests = pages;
    outcome.billed_requests = pages;
    return outcome;
}

// Four queries of 60 jobs in pages of 10; each query repeats 5 jobs of the one before with a
// title of its own, so which copy wins shows.
void script_feed(FakeJobSource& source, std::vector<std::string>& texts) {
    for (int q = 0; q < 4; ++q) {
        const std::string text = "q" + std::to_string(q);
        texts.push_back(text);
        std::vector<sync::FetchedPage> pages;
        for (int p = 0; p < 6; ++p) {
            std::vector<jobs::JobRow> rows;
            for (int j = 0; j < 10; ++j) {
                rows.push_back(job(text + "-" + std::to_string(p * 10 + j), "in " + text));
            }
            if (q > 0 && p == 0) {
                for (int j = 0; j < 5; ++j) {
                    rows.push_back(job("q" + std::to_string(q - 1) + "-" + std::to_string(j),
                                       "copy in " + text));
                }
            }
            pages.push_back(page(text, p + 1, rows));
        }
        source.script[text] = {pages, ok(6)};
    }
}

// One run with a ledger and a store that refuses some rows, times out large batches and
// fails one batch of its choosing.
struct Outcome {
    sync::RunSummary summary;
    // What the table holds: job_id -> the row last upserted for it (a concurrent run may send
    // a job twice, the copy that wins last).
    std::map<std::string, std::string> stored;
    std::vector<std::string> touched;
    std::size_t sweeps = 0;
    std::size_t max_rows_after_shrink = 0;
    int renewals = 0;
};

Outcome run_with(std::size_t upsert_concurrency, std::size_t fetch_concurrency,
                 const std::string& failing_id = {}) {
    FakeJobSource source;
    FakeJobStore store;
    FakeRunLedger ledger;
    std::vector<std::string> texts;
    script_feed(source, texts);
    std::mutex mutex;
    std::map<std::string, std::string> stored;
    std::atomic<int> upserts{0};
    std::atomic<long> clock_seconds{0};
    bool shrunk = false;
    std::size_t max_after = 0;
    store.on_upsert = [&](const sync::UpsertBatch& batch) {
        clock_seconds += 40;  // a 900 s lease is due for renewal every 300 s
        ++upserts;
        if (!failing_id.empty() && holds(batch, failing_id) && batch.rows > 1) {
            return sync::StoreOutcome{Failure::transient, "HTTP 503", 2, {}, {}, {}, 0};
        }
        if (batch.rows > 6) {
            sync::StoreOutcome outcome;
            outcome.failure = Failure::transient;
            outcome.problem = sync::BatchProblem::statement_timeout;
            outcome.code = "57014";
            std::lock_guard lock(mutex);
            shrunk = true;
            return outcome;
        }
        if (holds(batch, "q1-13") || holds(batch, "q3-47")) return refused_by_check();
        std::lock_guard lock(mutex);
        if (shrunk) max_after = std::max(max_after, batch.rows);
        for (std::size_t i = 0; i < batch.rows; ++i) {
            const auto begin = batch.row_starts[i];
            const auto end =
                i + 1 < batch.rows ? batch.row_starts[i + 1] - 1 : batch.json.size() - 1;
            std::string row = batch.json.substr(begin, end - begin);
            const std::string key = R"({"job_id":")";
            const auto id_end = row.find('"', key.size());
            stored[row.substr(key.size(), id_end - key.size())] = std::move(row);
        }
        return sync::StoreOutcome{};
    };
    ledger.on_renew = [] {};
    sync::RunOptions options;
    options.max_batch_rows = 8;
    options.ledger = &ledger;
    options.run.run_id = "run-1";
    options.run.lease_seconds = 900;
    options.steady_now = [&] {
        return std::chrono::steady_clock::time_point{} + std::chrono::seconds(clock_seconds.load());
    };
    options.encode_row = [](std::string& out, const jobs::JobRow& row, std::string_view last_seen) {
        out += "{\"job_id\":\"" + row.job_id.str() + "\",\"job_title\":\"" +
               row.job_title.value_or("").str() + "\",\"last_seen\":\"" + std::string(last_seen) +
               "\"}";
    };
    options.fetch_concurrency = fetch_concurrency;
    options.upsert_concurrency = upsert_concurrency;
    store.active.count = 1000;
    std::vector<sync::SearchQuery> queries;
    for (const auto& text : texts) queries.push_back(query(text));

    Outcome outcome;
    outcome.summary = sync::run_sync(queries, source, store, options);
    outcome.stored = stored;
    outcome.touched = store.touched.empty() ? std::vector<std::string>{} : store.touched[0];
    std::sort(outcome.touched.begin(), outcome.touched.end());
    outcome.sweeps = store.sweeps.size();
    outcome.max_rows_after_shrink = max_after;
    outcome.renewals = static_cast<int>(ledger.renewals.size());
    return outcome;
}

std::set<std::string> refused_ids(const sync::RunSummary& summary) {
    std::set<std::string> ids;
    for (const auto& job : summary.refused_jobs) ids.insert(job.job_id);
    return ids;
}

}  // namespace

BOOST_AUTO_TEST_SUITE(runner_upserts)

BOOST_AUTO_TEST_CASE(upsert_workers_store_what_the_runners_own_thread_stores) {
    CapturedLog log;
    const Outcome sequential = run_with(0, 1);
    BOOST_TEST_REQUIRE(sync::exit_code(sequential.summary) == sync::kExitSuccess);
    BOOST_TEST(sequential.stored.size() == 238u);  // 240 distinct jobs, 2 refused
    // The first copy in query order wins: no row carries a later query's copy.
    for (const auto& [id, row] : sequential.stored) {
        BOOST_TEST(row.find("copy in") == std::string::npos);
    }
    for (const std::size_t workers : {1u, 2u, 4u}) {
        for (const std::size_t fetchers : {1u, 3u}) {
            BOOST_TEST_CONTEXT("upsert workers " << workers << ", fetchers " << fetchers) {
                const Outcome concurrent = run_with(workers, fetchers);
                BOOST_TEST(sync::exit_code(concurrent.summary) == sync::kExitSuccess);
                BOOST_TEST((concurrent.stored == sequential.stored));
                BOOST_TEST(refused_ids(concurrent.summary) ==
                           (std::set<std::string>{"q1-13", "q3-47"}));
                BOOST_TEST(concurrent.touched == sequential.touched,
                           boost::test_tools::per_element());
                BOOST_TEST(concurrent.summary.rows_upserted ==
                           238u + concurrent.summary.rows_resent);
                BOOST_TEST(concurrent.summary.duplicates == sequential.summary.duplicates);
                BOOST_TEST(concurrent.summary.jobs_fetched == sequential.summary.jobs_fetched);
                BOOST_TEST(concurrent.summary.requests == sequential.summary.requests);
                BOOST_TEST(concurrent.summary.batches_failed == 0u);
                // 57014 on a batch of 8: every later batch holds at most 4, never more again.
                BOOST_TEST(concurrent.summary.batch_rows_limit == 4u);
                BOOST_TEST(concurrent.max_rows_after_shrink <= 6u);
                BOOST_TEST(concurrent.sweeps == 1u);
                BOOST_TEST(concurrent.renewals >= 2);  // between batches, and before the sweep
            }
        }
    }
}

BOOST_AUTO_TEST_CASE(one_failing_batch_among_concurrent_ones_blocks_the_sweep) {
    CapturedLog log;
    const Outcome outcome = run_with(4, 3, "q2-31");
    BOOST_TEST(outcome.sweeps == 0u);
    BOOST_TEST(sync::exit_code(outcome.summary) == sync::kExitIncomplete);
    BOOST_TEST(outcome.summary.batches_failed == 1u);
    // Every other batch still went: the failed one's rows are the only ones missing.
    BOOST_TEST(outcome.stored.size() + outcome.summary.refused_jobs.size() <= 240u);
    BOOST_TEST(outcome.stored.size() >= 238u - 8u);
    BOOST_TEST(outcome.summary.rows_upserted >= outcome.stored.size());
    BOOST_TEST(outcome.summary.rows_upserted <=
               outcome.stored.size() + outcome.summary.rows_resent);
    BOOST_TEST(outcome.summary.sweep_skipped_reason.find("HTTP 503") != std::string::npos);
}

BOOST_AUTO_TEST_CASE(an_exception_on_an_upsert_worker_finishes_the_record_and_escapes) {
    CapturedLog log;
    FakeJobSource source;
    FakeJobStore store;
    FakeRunLedger ledger;
    std::vector<std::string> texts;
    script_feed(source, texts);
    store.on_upsert = [](const sync::UpsertBatch& batch) -> sync::StoreOutcome {
        if (holds(batch, "q2-5")) throw std::runtime_error("boom");
        return {};
    };
    sync::RunOptions options;
    options.ledger = &ledger;
    options.run.run_id = "run-1";
    options.max_batch_rows = 4;
    options.upsert_concurrency = 3;
    options.encode_row = [](std::string& out, const jobs::JobRow& row, std::string_view) {
        out += "{\"job_id\":\"" + row.job_id.str() + "\"}";
    };
    std::vector<sync::SearchQuery> queries;
    for (const auto& text : texts) queries.push_back(query(text));
    BOOST_CHECK_THROW(sync::run_sync(queries, source, store, options), std::runtime_error);
    BOOST_TEST_REQUIRE(ledger.finished.size() == 1u);
    BOOST_TEST(sync::to_string(ledger.finished[0].status) == "failed");
    BOOST_TEST(ledger.finished[0].error == "internal error: boom");
    BOOST_TEST(store.sweeps.empty());
}

BOOST_AUTO_TEST_CASE(a_rejected_supabase_key_on_a_worker_stops_every_later_batch) {
    CapturedLog log;
    FakeJobSource source;
    FakeJobStore store;
    std::vector<std::string> texts;
    script_feed(source, texts);
    std::atomic<bool> refused{false};
    std::atomic<int> after{0};
    store.on_upsert = [&](const sync::UpsertBatch& batch) {
        if (refused) ++after;
        if (holds(batch, "q0-20")) {
            refused = true;
            return sync::StoreOutcome{Failure::auth, "HTTP 401: Invalid API key", 0, {}, {}, {}, 0};
        }
        return sync::StoreOutcome{};
    };
    sync::RunOptions options;
    options.run_started_at = "2024-05-01T12:00:00.000Z";
    options.max_batch_rows = 5;
    options.upsert_concurrency = 2;
    options.encode_row = [](std::string& out, const jobs::JobRow& row, std::string_view) {
        out += "{\"job_id\":\"" + row.job_id.str() + "\"}";
    };
    std::vector<sync::SearchQuery> queries;
    for (const auto& text : texts) queries.push_back(query(text));
    const auto summary = sync::run_sync(queries, source, store, options);
    BOOST_TEST(sync::exit_code(summary) == sync::kExitAuth);
    BOOST_TEST(store.sweeps.empty());
    // At most what the other worker had under way when the refusal came back.
    BOOST_TEST(after.load() <= 2);
    BOOST_TEST(summary.rows_upserted < 240u);
}

BOOST_AUTO_TEST_SUITE_END()
