// The runner with several queries in flight (RunOptions::fetch_concurrency > 1): the same
// table as a sequential run, whatever order the answers come in, and the same stops.
#include <rapidjson/document.h>

#include <algorithm>
#include <atomic>
#include <boost/test/unit_test.hpp>
#include <condition_variable>
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

const std::string kRunStart = "2024-05-01T12:00:00.000Z";

// Wraps the scripted source: `held` waits until `release_after` other fetches have ended,
// so the first query's pages arrive after later ones'. Counts pages not yet taken by the
// runner, to check the bound on pages waiting for it.
class GatedSource final : public sync::JobSource {
  public:
    FakeJobSource inner;
    std::string held;
    int release_after = 0;
    std::atomic<int> outstanding{0};  // pages handed out by the source, not yet processed
    std::atomic<int> max_outstanding{0};

    sync::FetchOutcome fetch(const sync::SearchQuery& q, const sync::PageSink& sink) override {
        if (q.text == held) {
            std::unique_lock lock(mutex_);
            ended_changed_.wait(lock, [&] { return released_ || ended_ >= release_after; });
        }
        auto outcome = inner.fetch(q, [&](sync::FetchedPage&& page) {
            const int now = ++outstanding;
            int seen = max_outstanding.load();
            while (now > seen && !max_outstanding.compare_exchange_weak(seen, now)) {
            }
            sink(std::move(page));
        });
        {
            std::lock_guard lock(mutex_);
            ++ended_;
        }
        ended_changed_.notify_all();
        return outcome;
    }

    // Counts fetches from zero again (for a second run on the same source).
    void reset_gate() {
        std::lock_guard lock(mutex_);
        ended_ = 0;
        released_ = false;
    }

    // Lets the held query go now.
    void release() {
        {
            std::lock_guard lock(mutex_);
            released_ = true;
        }
        ended_changed_.notify_all();
    }

  private:
    std::mutex mutex_;
    std::condition_variable ended_changed_;
    int ended_ = 0;
    bool released_ = false;
};

struct ConcurrentFixture {
    GatedSource source;
    FakeJobStore store;
    sync::RunOptions options;
    int halts = 0;
    CapturedLog log;

    ConcurrentFixture() {
        options.max_batch_rows = 3;
        options.run_started_at = kRunStart;
        options.fetch_concurrency = 3;
        options.halt_fetching = [this] { ++halts; };
        options.encode_row = [this](std::string& out, const jobs::JobRow& row, std::string_view) {
            --source.outstanding;  // encoded on the runner's thread: the page was taken
            out += "{\"job_id\":\"" + row.job_id.str() + "\",\"job_title\":\"" +
                   row.job_title.value_or("").str() + "\"}";
        };
    }

    sync::RunSummary run(const std::vector<std::string>& texts) {
        std::vector<sync::SearchQuery> queries;
        for (const auto& text : texts) queries.push_back(query(text));
        return sync::run_sync(queries, source, store, options);
    }

    std::vector<std::string> sent() const {
        std::vector<std::string> out;
        for (const auto& batch : store.batches) out.push_back(batch.json);
        return out;
    }

    // What the table holds after the batches, in the order they were sent: job_id -> title.
    std::map<std::string, std::string> table() const {
        std::map<std::string, std::string> rows;
        for (const auto& batch : store.batches) {
            rapidjson::Document doc;
            doc.Parse(batch.json.c_str(), batch.json.size());
            BOOST_REQUIRE(!doc.HasParseError() && doc.IsArray());
            for (const auto& row : doc.GetArray()) {
                rows[row["job_id"].GetString()] = row["job_title"].GetString();
            }
        }
        return rows;
    }
};

sync::FetchOutcome ok(int pages) {
    sync::FetchOutcome outcome;
    outcome.pages = pages;
    outcome.requests = 1;
    outcome.billed_requests = 1;
    return outcome;
}

// Three queries whose copies of the same job differ: the first copy in query order must win.
void script_duplicates(FakeJobSource& source) {
    source.script["a"] = {{page("a", 1, {job("x", "x from a"), job("a1")}),
                           page("a", 2, {job("a2"), job("y", "y from a")})},
                          ok(2)};
    source.script["b"] = {
        {page("b", 1, {job("y", "y from b"), job("b1")}), page("b", 2, {job("z", "z from b")})},
        ok(2)};
    source.script["c"] = {{page("c", 1, {job("z", "z from c"), job("x", "x from c")})}, ok(1)};
}

}  // namespace

BOOST_FIXTURE_TEST_SUITE(runner_concurrent, ConcurrentFixture)

BOOST_AUTO_TEST_CASE(the_first_query_answering_last_leaves_what_a_sequential_run_leaves) {
    script_duplicates(source.inner);
    options.fetch_concurrency = 1;
    const auto sequential = run({"a", "b", "c"});
    const auto sequential_table = table();
    BOOST_TEST(sent().front().find("x from a") != std::string::npos);
    BOOST_TEST(sequential.rows_resent == 0u);

    store.batches.clear();
    source.reset_gate();
    source.held = "a";
    source.release_after = 2;  // "a" answers only after "b" and "c" have
    options.fetch_concurrency = 3;
    const auto concurrent = run({"a", "b", "c"});

    BOOST_TEST((table() == sequential_table));
    BOOST_TEST(table().at("x") == "x from a");
    BOOST_TEST(table().at("y") == "y from a");
    BOOST_TEST(table().at("z") == "z from b");
    // x and y came from "b" and "c" first: sent, then replaced by "a"'s copies.
    BOOST_TEST(concurrent.rows_resent >= 2u);
    for (const auto& batch : store.batches) {  // never two copies of a job in one batch
        std::set<std::string> ids(batch.job_ids.begin(), batch.job_ids.end());
        BOOST_TEST(ids.size() == batch.job_ids.size());
    }
    BOOST_TEST(concurrent.jobs_fetched == sequential.jobs_fetched);
    BOOST_TEST(concurrent.duplicates == 3u);
    BOOST_TEST(concurrent.rows_upserted == 6u + concurrent.rows_resent);
    BOOST_TEST(concurrent.requests == 3);
    BOOST_TEST(concurrent.pages == 5);
    BOOST_TEST(concurrent.sweep_done);
    BOOST_TEST(store.sweeps.size() == 2u);  // one per run
    BOOST_TEST(halts == 0);
    BOOST_TEST(sync::exit_code(concurrent) == sync::kExitSuccess);
}

BOOST_AUTO_TEST_CASE(a_slow_first_query_holds_no_other_back_and_pages_waiting_stay_bounded) {
    std::vector<std::string> texts;
    for (int q = 0; q < 8; ++q) {
        const std::string text = "q" + std::to_string(q);
        ScriptedQuery scripted;
        for (int p = 1; p <= 5; ++p) {
            scripted.pages.push_back(page(text, p, {job(text + "-" + std::to_string(p))}));
        }
        scripted.outcome = ok(5);
        source.inner.script[text] = scripted;
        texts.push_back(text);
    }
    options.fetch_concurrency = 4;
    source.held = "q0";
    source.release_after = 7;  // q0 answers only once every other query has
    const auto summary = run(texts);

    BOOST_TEST(summary.rows_upserted == 40u);
    BOOST_TEST(summary.queries_not_run == 0u);
    // Pages waiting for the runner (2) + one in each worker's hand (4) + the one the runner is
    // taking.
    BOOST_TEST(source.max_outstanding.load() <= 2 + 4 + 1);
    std::vector<std::string> ids;
    for (const auto& batch : store.batches)
        ids.insert(ids.end(), batch.job_ids.begin(), batch.job_ids.end());
    BOOST_TEST(ids.size() == 40u);
    BOOST_TEST(std::set<std::string>(ids.begin(), ids.end()).size() == 40u);
    BOOST_TEST(ids.back().rfind("q0-", 0) == 0u);  // the held query came last
}

BOOST_AUTO_TEST_CASE(a_rejected_jsearch_key_stops_fetching_and_nothing_later_is_kept) {
    source.inner.script["a"] = {{page("a", 1, {job("a1")})}, ok(1)};
    sync::FetchOutcome rejected;
    rejected.failure = Failure::auth;
    rejected.message = "HTTP 403";
    rejected.requests = 1;
    source.inner.script["b"] = {{}, rejected};
    source.inner.script["c"] = {{page("c", 1, {job("c1")})}, ok(1)};
    source.inner.script["d"] = {{page("d", 1, {job("d1")})}, ok(1)};
    options.fetch_concurrency = 2;
    source.held = "a";
    source.release_after = 100;  // "a" answers once the runner has seen "b" fail
    options.on_progress = [this](const sync::QueryProgress& progress) {
        if (progress.query == "b" && progress.stage == sync::QueryProgress::Stage::finished) {
            source.release();
        }
    };

    const auto summary = run({"a", "b", "c", "d"});

    // No request starts after the rejection; "a", sent before it, is answered and kept.
    std::vector<std::string> ids;
    for (const auto& batch : store.batches)
        ids.insert(ids.end(), batch.job_ids.begin(), batch.job_ids.end());
    BOOST_TEST(ids == std::vector<std::string>{"a1"}, boost::test_tools::per_element());
    BOOST_TEST(source.inner.fetched.size() == 2u);
    BOOST_TEST(store.sweeps.empty());
    BOOST_TEST(summary.queries_not_run == 2u);
    BOOST_TEST(summary.requests == 2);
    BOOST_TEST(halts <= 1);
    BOOST_TEST(sync::exit_code(summary) == sync::kExitAuth);
}

BOOST_AUTO_TEST_CASE(a_rejected_supabase_key_stops_fetching_and_skips_the_sweep) {
    for (const char* text : {"a", "b", "c", "d", "e"}) {
        source.inner.script[text] = {
            {page(text, 1,
                  {job(std::string(text) + "1"), job(std::string(text) + "2"),
                   job(std::string(text) + "3")})},
            ok(1)};
    }
    store.on_upsert = [](const sync::UpsertBatch&) {
        sync::StoreOutcome outcome;
        outcome.failure = Failure::auth;
        outcome.message = "HTTP 401";
        return outcome;
    };
    const auto summary = run({"a", "b", "c", "d", "e"});

    // The first batch fails; no other is sent (the fake answers at once, so the fetch may well
    // have ended meanwhile: nothing to halt then).
    BOOST_TEST(store.batches.size() == 1u);
    BOOST_TEST(store.sweeps.empty());
    BOOST_TEST(halts <= 1);
    BOOST_TEST(sync::exit_code(summary) == sync::kExitAuth);
}

BOOST_AUTO_TEST_CASE(an_exception_in_a_fetching_thread_escapes_after_the_workers_ended) {
    ThrowingSource throwing("b");
    std::vector<sync::SearchQuery> queries{query("a"), query("b"), query("c")};
    BOOST_CHECK_THROW(sync::run_sync(queries, throwing, store, options), std::runtime_error);
    BOOST_TEST(store.sweeps.empty());
}

BOOST_AUTO_TEST_SUITE_END()
