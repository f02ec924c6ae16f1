#include <rapidjson/document.h>

#include <boost/test/unit_test.hpp>
#include <chrono>
#include <set>
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

struct EncodedRow {
    std::string job_id;
    std::string title;
    std::string last_seen;
};

// A runner set up with fakes, a simple encoder that records what it was asked, and a log
// captured in memory.
struct RunnerFixture {
    FakeJobSource source;
    FakeJobStore store;
    sync::RunOptions options;
    std::vector<std::string> encoded_last_seen;
    CapturedLog log;

    RunnerFixture() {
        options.max_batch_rows = 2;
        options.max_batch_bytes = 1 << 20;
        options.run_started_at = kRunStart;
        options.encode_row = [this](std::string& out, const jobs::JobRow& row,
                                    std::string_view last_seen) {
            encoded_last_seen.emplace_back(last_seen);
            out += "{\"job_id\":\"" + row.job_id.str() + "\",\"job_title\":\"" +
                   row.job_title.value_or("").str() + "\",\"last_seen\":\"" +
                   std::string(last_seen) + "\"}";
        };
    }

    sync::RunSummary run(const std::vector<std::string>& texts) {
        std::vector<sync::SearchQuery> queries;
        for (const auto& text : texts) queries.push_back(query(text));
        return sync::run_sync(queries, source, store, options);
    }

    // Every row the store received, in order, decoded.
    std::vector<EncodedRow> sent_rows() const {
        std::vector<EncodedRow> rows;
        for (const auto& batch : store.batches) {
            rapidjson::Document doc;
            doc.Parse(batch.json.c_str(), batch.json.size());
            BOOST_REQUIRE(!doc.HasParseError() && doc.IsArray());
            BOOST_REQUIRE(doc.Size() == batch.rows);
            for (const auto& item : doc.GetArray()) {
                BOOST_REQUIRE(item.IsObject());
                BOOST_REQUIRE(item["job_id"].IsString() && item["job_title"].IsString() &&
                              item["last_seen"].IsString());
                rows.push_back({item["job_id"].GetString(), item["job_title"].GetString(),
                                item["last_seen"].GetString()});
            }
        }
        return rows;
    }

    std::vector<std::string> sent_ids() const {
        std::vector<std::string> ids;
        for (const auto& row : sent_rows()) ids.push_back(row.job_id);
        return ids;
    }
};

sync::FetchOutcome ok(int pages, int requests = 1) {
    sync::FetchOutcome outcome;
    outcome.pages = pages;
    outcome.requests = requests;
    outcome.billed_requests = requests;
    return outcome;
}

sync::FetchOutcome failed(Failure kind, std::string message) {
    sync::FetchOutcome outcome;
    outcome.failure = kind;
    outcome.message = std::move(message);
    outcome.requests = 3;
    outcome.billed_requests = 3;
    outcome.retries = kind == Failure::auth ? 0 : 2;
    return outcome;
}

sync::StoreOutcome store_failed(Failure kind, std::string message, int retries) {
    sync::StoreOutcome outcome;
    outcome.failure = kind;
    outcome.message = std::move(message);
    outcome.retries = retries;
    return outcome;
}

}  // namespace

BOOST_FIXTURE_TEST_SUITE(runner, RunnerFixture)

BOOST_AUTO_TEST_CASE(when_everything_succeeds_the_sweep_runs_once_with_the_run_start) {
    source.script["rust"] = {{page("rust", 1, {job("r1"), job("r2"), job("r3")})}, ok(1)};
    source.script["go"] = {{page("go", 1, {job("g1")}), page("go", 2, {job("g2")})}, ok(2)};
    store.sweep_outcome.deactivated = 4;

    const auto summary = run({"rust", "go"});

    BOOST_TEST(store.sweeps == (std::vector<std::string>{kRunStart}));
    BOOST_TEST(sent_ids() == (std::vector<std::string>{"r1", "r2", "r3", "g1", "g2"}));
    BOOST_TEST(summary.queries == 2u);
    BOOST_TEST(summary.queries_failed == 0u);
    BOOST_TEST(summary.pages == 3);
    BOOST_TEST(summary.requests == 2);
    BOOST_TEST(summary.jobs_fetched == 5u);
    BOOST_TEST(summary.rows_upserted == 5u);
    BOOST_TEST(summary.batches == 3u);
    BOOST_TEST(summary.sweep_done);
    BOOST_TEST(summary.deactivated == 4);
    BOOST_TEST(summary.sweep_skipped_reason.empty());
    BOOST_TEST(sync::exit_code(summary) == sync::kExitSuccess);
}

BOOST_AUTO_TEST_CASE(sweep_is_skipped_when_a_query_failed_but_other_queries_still_run) {
    source.script["a"] = {{page("a", 1, {job("a1")})}, ok(1)};
    source.script["b"] = {{}, failed(Failure::transient, "HTTP 503 after 3 attempts")};
    source.script["c"] = {{page("c", 1, {job("c1")})}, ok(1)};

    const auto summary = run({"a", "b", "c"});

    BOOST_TEST(source.fetched == (std::vector<std::string>{"a", "b", "c"}));
    BOOST_TEST(sent_ids() == (std::vector<std::string>{"a1", "c1"}));
    BOOST_TEST(store.sweeps.empty());
    BOOST_TEST(summary.queries_failed == 1u);
    BOOST_TEST(!summary.sweep_done);
    BOOST_TEST(summary.sweep_skipped_reason == "query 'b' failed: HTTP 503 after 3 attempts");
    BOOST_REQUIRE(summary.failures.size() == 1u);
    BOOST_TEST(sync::to_string(summary.failures[0].kind) == "transient");
    BOOST_TEST(summary.retries == 2);
    BOOST_TEST(sync::exit_code(summary) == sync::kExitIncomplete);
    BOOST_TEST(log.contains("sweep skipped"));
}

BOOST_AUTO_TEST_CASE(a_rejected_jsearch_key_stops_further_queries_and_exits_3) {
    source.script["a"] = {{page("a", 1, {job("a1")})}, ok(1)};
    source.script["b"] = {{}, failed(Failure::auth, "JSearch rejected the key (HTTP 403)")};
    source.script["c"] = {{page("c", 1, {job("c1")})}, ok(1)};

    const auto summary = run({"a", "b", "c"});

    BOOST_TEST(source.fetched == (std::vector<std::string>{"a", "b"}));
    BOOST_TEST(sent_ids() == (std::vector<std::string>{"a1"}));  // what was fetched is kept
    BOOST_TEST(store.sweeps.empty());
    BOOST_TEST(summary.queries_not_run == 1u);
    BOOST_TEST(sync::exit_code(summary) == sync::kExitAuth);
}

BOOST_AUTO_TEST_CASE(sweep_is_skipped_when_no_jobs_were_fetched) {
    source.script["a"] = {{page("a", 1, {})}, ok(1)};

    const auto summary = run({"a", "b"});

    BOOST_TEST(store.sweeps.empty());
    BOOST_TEST(store.batches.empty());
    BOOST_TEST(summary.sweep_skipped_reason ==
               "no jobs fetched: refusing to deactivate the whole board");
    BOOST_TEST(sync::exit_code(summary) == sync::kExitIncomplete);
}

BOOST_AUTO_TEST_CASE(sweep_is_skipped_when_there_are_no_queries) {
    const auto summary = run({});
    BOOST_TEST(store.sweeps.empty());
    BOOST_TEST(sync::exit_code(summary) == sync::kExitIncomplete);
}

BOOST_AUTO_TEST_CASE(sweep_is_skipped_when_a_batch_failed_and_later_batches_are_still_sent) {
    source.script["a"] = {{page("a", 1, {job("1"), job("2"), job("3"), job("4"), job("5")})},
                          ok(1)};
    store.fail_batch[2] = store_failed(Failure::transient, "HTTP 500: statement timeout", 2);

    const auto summary = run({"a"});

    BOOST_TEST(store.batches.size() == 3u);  // 2 + 2 + 1: the third still went
    BOOST_TEST(store.sweeps.empty());
    BOOST_TEST(summary.batches == 3u);
    BOOST_TEST(summary.batches_failed == 1u);
    BOOST_TEST(summary.rows_upserted == 3u);
    BOOST_TEST(summary.retries == 2);
    BOOST_TEST(summary.sweep_skipped_reason ==
               "batch 2 (2 rows) failed: HTTP 500: statement timeout");
    BOOST_TEST(sync::exit_code(summary) == sync::kExitIncomplete);
}

BOOST_AUTO_TEST_CASE(a_rejected_supabase_key_stops_the_run_and_exits_3) {
    source.script["a"] = {{page("a", 1, {job("1"), job("2"), job("3")})}, ok(1)};
    source.script["b"] = {{page("b", 1, {job("4")})}, ok(1)};
    store.fail_batch[1] = store_failed(Failure::auth, "HTTP 401: Invalid API key", 0);

    const auto summary = run({"a", "b"});

    BOOST_TEST(store.batches.size() == 1u);  // nothing more sent, the remainder not flushed
    BOOST_TEST(source.fetched == (std::vector<std::string>{"a"}));
    BOOST_TEST(store.sweeps.empty());
    BOOST_TEST(summary.queries_not_run == 1u);
    BOOST_TEST(sync::exit_code(summary) == sync::kExitAuth);
}

BOOST_AUTO_TEST_CASE(a_failed_sweep_is_recorded_and_exits_1) {
    source.script["a"] = {{page("a", 1, {job("1")})}, ok(1)};
    store.sweep_outcome = sync::SweepOutcome{Failure::transient, "HTTP 503", 0, 2};

    const auto summary = run({"a"});

    BOOST_TEST(store.sweeps.size() == 1u);
    BOOST_TEST(!summary.sweep_done);
    BOOST_REQUIRE(summary.failures.size() == 1u);
    BOOST_TEST(summary.failures[0].message == "sweep failed: HTTP 503");
    BOOST_TEST(summary.retries == 2);
    BOOST_TEST(sync::exit_code(summary) == sync::kExitIncomplete);
}

BOOST_AUTO_TEST_CASE(duplicates_across_queries_are_counted_and_only_the_first_copy_is_sent) {
    source.script["a"] = {{page("a", 1, {job("x", "first"), job("y", "y")})}, ok(1)};
    source.script["b"] = {{page("b", 1, {job("x", "second"), job("z", "z"), job("y", "again")})},
                          ok(1)};

    const auto summary = run({"a", "b"});

    const auto rows = sent_rows();
    BOOST_REQUIRE(rows.size() == 3u);
    BOOST_TEST(rows[0].job_id == "x");
    BOOST_TEST(rows[0].title == "first");
    BOOST_TEST(rows[1].title == "y");
    BOOST_TEST(rows[2].job_id == "z");
    BOOST_TEST(summary.duplicates == 2u);
    BOOST_TEST(summary.jobs_fetched == 5u);
    BOOST_TEST(summary.rows_upserted == 3u);
    BOOST_TEST(sync::exit_code(summary) == sync::kExitSuccess);
}

BOOST_AUTO_TEST_CASE(batches_never_exceed_the_row_and_byte_limits) {
    options.max_batch_rows = 5;
    options.max_batch_bytes = 400;
    std::vector<jobs::JobRow> rows;
    for (int i = 0; i < 60; ++i) {
        const std::string title(static_cast<std::size_t>(i), 't');  // rows of growing size
        rows.push_back(job("job-" + std::to_string(i), title));
    }
    source.script["a"] = {{page("a", 1, rows)}, ok(1)};

    const auto summary = run({"a"});

    BOOST_TEST(sent_rows().size() == 60u);
    for (const auto& batch : store.batches) {
        BOOST_TEST(batch.rows <= 5u);
        BOOST_TEST(batch.json.size() <= 400u);
    }
    BOOST_TEST(summary.batches == store.batches.size());
}

BOOST_AUTO_TEST_CASE(every_row_is_encoded_with_the_same_last_seen) {
    source.script["a"] = {{page("a", 1, {job("1"), job("2")}), page("a", 2, {job("3")})}, ok(2)};
    source.script["b"] = {{page("b", 1, {job("4"), job("5")})}, ok(1)};

    run({"a", "b"});

    BOOST_TEST(encoded_last_seen.size() == 5u);
    BOOST_TEST(std::set<std::string>(encoded_last_seen.begin(), encoded_last_seen.end()) ==
               std::set<std::string>{kRunStart});
    for (const auto& row : sent_rows()) BOOST_TEST(row.last_seen == kRunStart);
}

BOOST_AUTO_TEST_CASE(full_batches_are_upserted_before_the_next_page_is_fetched) {
    source.script["a"] = {
        {page("a", 1, {job("1"), job("2"), job("3")}), page("a", 2, {job("4"), job("5")})}, ok(2)};
    std::vector<std::size_t> batches_after_page;
    source.after_each_page = [&] { batches_after_page.push_back(store.batches.size()); };

    run({"a"});

    BOOST_TEST(batches_after_page == (std::vector<std::size_t>{1, 2}));
    BOOST_TEST(store.batches.size() == 3u);  // "5" flushed at the end
}

BOOST_AUTO_TEST_CASE(job_problems_are_counted_and_logged_with_query_page_and_job_id) {
    auto p = page("a", 3, {job("1")});
    p.problems.push_back({"a", 3, "", "job has no job_id; skipped", true});
    p.problems.push_back({"a", 4, "j-7", "field 'job_latitude' is a string; nulled", false});
    source.script["a"] = {{p}, ok(1)};

    const auto summary = run({"a"});

    BOOST_TEST(summary.jobs_skipped == 1u);
    BOOST_TEST(summary.fields_nulled == 1u);
    BOOST_TEST(log.contains("query 'a' page 3 job '': job has no job_id; skipped"));
    BOOST_TEST(log.contains("query 'a' page 4 job 'j-7': field 'job_latitude' is a string"));
    BOOST_TEST(sync::exit_code(summary) == sync::kExitSuccess);
}

BOOST_AUTO_TEST_CASE(request_figures_and_the_last_quota_seen_are_summed_over_queries) {
    auto a = ok(10, 1);
    a.billed_requests = 2;
    a.retries = 1;
    a.quota_remaining = 90;
    auto b = ok(3, 2);
    b.billed_requests = 3;
    b.quota_remaining = 87;
    source.script["a"] = {{page("a", 1, {job("1")})}, a};
    source.script["b"] = {{page("b", 1, {job("2")})}, b};
    source.script["c"] = {{page("c", 1, {job("3")})}, ok(1)};  // no quota header

    const auto summary = run({"a", "b", "c"});

    BOOST_TEST(summary.requests == 4);
    BOOST_TEST(summary.billed_requests == 6);
    BOOST_TEST(summary.pages == 14);
    BOOST_TEST(summary.retries == 1);
    BOOST_REQUIRE(summary.quota_remaining.has_value());
    BOOST_TEST(*summary.quota_remaining == 87);
}

BOOST_AUTO_TEST_CASE(duration_is_measured_with_the_injected_clock) {
    std::chrono::steady_clock::time_point now{};
    options.steady_now = [&now] {
        auto t = now;
        now += std::chrono::milliseconds(1234);
        return t;
    };
    source.script["a"] = {{page("a", 1, {job("1")})}, ok(1)};

    const auto summary = run({"a"});

    BOOST_TEST(summary.duration_ms == 1234);
}

BOOST_AUTO_TEST_CASE(a_run_without_a_start_time_is_refused_before_anything_is_fetched) {
    options.run_started_at.clear();
    BOOST_CHECK_THROW(run({"a"}), std::invalid_argument);
    BOOST_TEST(source.fetched.empty());
}

BOOST_AUTO_TEST_SUITE_END()

namespace {

// The runner with a ledger: the lease's start time is the run's stamp.
struct LeasedFixture : RunnerFixture {
    FakeRunLedger ledger;
    std::chrono::steady_clock::time_point now{};

    LeasedFixture() {
        options.ledger = &ledger;
        options.run.run_id = "run-1";
        options.run.holder = "box:1";
        options.run.lease_seconds = 900;
        options.steady_now = [this] { return now; };
        store.active.count = 10;
    }
};

}  // namespace

BOOST_FIXTURE_TEST_SUITE(runner_with_a_lease, LeasedFixture)

BOOST_AUTO_TEST_CASE(the_lease_is_taken_first_and_its_database_time_stamps_every_row) {
    source.script["q"] = {{page("q", 1, {job("a"), job("b"), job("c")})}, ok(1)};
    const auto summary = run({"q"});
    BOOST_TEST_REQUIRE(ledger.begun.size() == 1u);
    BOOST_TEST(ledger.begun[0].run_id == "run-1");
    BOOST_TEST(ledger.begun[0].holder == "box:1");
    for (const auto& row : sent_rows()) BOOST_TEST(row.last_seen == ledger.lease.started_at);
    BOOST_TEST(store.sweeps == (std::vector<std::string>{ledger.lease.started_at}));
    BOOST_TEST(summary.run_started_at == ledger.lease.started_at);
    BOOST_TEST_REQUIRE(ledger.finished.size() == 1u);
    BOOST_TEST(sync::to_string(ledger.finished[0].status) == "succeeded");
    BOOST_TEST(ledger.finished[0].counts.rows_upserted == 3);
    BOOST_TEST(sync::exit_code(summary) == sync::kExitSuccess);
}

BOOST_AUTO_TEST_CASE(a_refused_lease_fetches_nothing_and_exits_5_naming_the_holder) {
    ledger.lease.state = sync::Lease::State::refused;
    ledger.lease.message = "another run holds the lease: run a (holder box:7) since ...";
    source.script["q"] = {{page("q", 1, {job("a")})}, ok(1)};
    const auto summary = run({"q"});
    BOOST_TEST(source.fetched.empty());
    BOOST_TEST(store.batches.empty());
    BOOST_TEST(store.sweeps.empty());
    BOOST_TEST(ledger.finished.empty());  // the database recorded the refusal itself
    BOOST_TEST(sync::exit_code(summary) == sync::kExitRefused);
    BOOST_TEST(sync::render_text(summary).find("box:7") != std::string::npos);
}

BOOST_AUTO_TEST_CASE(a_missing_ledger_stops_before_billing_jsearch_and_exits_1) {
    ledger.lease.state = sync::Lease::State::failed;
    ledger.lease.failure = Failure::rejected;
    ledger.lease.ledger_missing = true;
    ledger.lease.message =
        "the run ledger is missing: apply schema/20250104000000_job_sync_runs.sql";
    source.script["q"] = {{page("q", 1, {job("a")})}, ok(1)};
    const auto summary = run({"q"});
    BOOST_TEST(source.fetched.empty());
    BOOST_TEST(sync::exit_code(summary) == sync::kExitIncomplete);
    BOOST_TEST(sync::render_text(summary).find("20250104000000_job_sync_runs.sql") !=
               std::string::npos);
}

BOOST_AUTO_TEST_CASE(a_finished_run_id_is_a_usage_error) {
    ledger.lease.state = sync::Lease::State::finished;
    ledger.lease.message = "run id 'x' already ran";
    const auto summary = run({"q"});
    BOOST_TEST(source.fetched.empty());
    BOOST_TEST(sync::exit_code(summary) == sync::kExitUsage);
}

BOOST_AUTO_TEST_CASE(the_lease_is_renewed_between_batches_once_a_third_of_its_ttl_passed) {
    options.max_batch_rows = 1;
    source.script["q"] = {{page("q", 1, {job("a"), job("b"), job("c"), job("d")})}, ok(1)};
    source.after_each_page = nullptr;
    int upserts = 0;
    store.on_upsert = [&](const sync::UpsertBatch&) {
        now += std::chrono::seconds(200);  // each batch takes 200 s of a 900 s lease
        ++upserts;
        return sync::StoreOutcome{};
    };
    run({"q"});
    // Due at 300 s: before batch 3 (400 s since the lease); then before the sweep, always.
    BOOST_TEST(upserts == 4);
    BOOST_TEST(ledger.renewals.size() == 2u);
}

BOOST_AUTO_TEST_CASE(a_lost_lease_stops_the_run_and_nothing_is_deactivated) {
    ledger.renewal.held = false;
    ledger.renewal.status = "failed";
    source.script["q"] = {{page("q", 1, {job("a")})}, ok(1)};
    const auto summary = run({"q"});
    BOOST_TEST(store.sweeps.empty());
    BOOST_TEST(sync::exit_code(summary) == sync::kExitIncomplete);
    BOOST_TEST_REQUIRE(ledger.finished.size() == 1u);
    BOOST_TEST(sync::to_string(ledger.finished[0].status) == "failed");
    BOOST_TEST(ledger.finished[0].error.find("lease was lost") != std::string::npos);
}

BOOST_AUTO_TEST_CASE(an_exception_finishes_the_record_as_failed_then_escapes) {
    source.script["q"] = {{page("q", 1, {job("a")})}, ok(1)};
    store.on_upsert = [](const sync::UpsertBatch&) -> sync::StoreOutcome {
        throw std::runtime_error("boom");
    };
    BOOST_CHECK_THROW(run({"q"}), std::runtime_error);
    BOOST_TEST_REQUIRE(ledger.finished.size() == 1u);
    BOOST_TEST(sync::to_string(ledger.finished[0].status) == "failed");
    BOOST_TEST(ledger.finished[0].error == "internal error: boom");
}

BOOST_AUTO_TEST_CASE(a_refused_row_is_isolated_by_bisection_and_everything_else_is_stored) {
    options.max_batch_rows = 8;
    std::vector<jobs::JobRow> rows;
    for (int i = 0; i < 8; ++i) rows.push_back(job("j" + std::to_string(i)));
    source.script["q"] = {{page("q", 1, rows)}, ok(1)};
    store.on_upsert = [](const sync::UpsertBatch& batch) {
        return holds(batch, "j5") ? refused_by_check() : sync::StoreOutcome{};
    };
    const auto summary = run({"q"});
    BOOST_TEST(summary.rows_upserted == 7u);
    BOOST_TEST_REQUIRE(summary.refused_jobs.size() == 1u);
    BOOST_TEST(summary.refused_jobs[0].job_id == "j5");
    BOOST_TEST(summary.refused_jobs[0].code == "23514");
    BOOST_TEST(summary.batches_failed == 0u);
    // 8 -> 4+4 -> (4 ok) 2+2 -> (2 ok) 1+1: 7 requests, the refused row alone in the last.
    BOOST_TEST(store.batches.size() == 7u);
    // Refused but live: stamped as seen, then the sweep runs and the run succeeds.
    BOOST_TEST_REQUIRE(store.touched.size() == 1u);
    BOOST_TEST(store.touched[0] == (std::vector<std::string>{"j5"}));
    BOOST_TEST(store.touched_last_seen[0] == ledger.lease.started_at);
    BOOST_TEST(store.sweeps.size() == 1u);
    BOOST_TEST(sync::exit_code(summary) == sync::kExitSuccess);
    BOOST_TEST(log.contains("job 'j5' refused by the database (23514"));
    const std::string json = sync::render_json(summary);
    BOOST_TEST(json.find(R"("refused_jobs":[{"job_id":"j5","code":"23514")") != std::string::npos);
    BOOST_TEST(sync::render_text(summary).find("j5: 23514") != std::string::npos);
    BOOST_TEST_REQUIRE(ledger.finished.size() == 1u);
    BOOST_TEST(ledger.finished[0].counts.jobs_refused == 1);
    BOOST_TEST(ledger.finished[0].details_json.find(R"("job_id":"j5")") != std::string::npos);
}

BOOST_AUTO_TEST_CASE(when_every_row_is_refused_nothing_is_deactivated_and_the_run_fails) {
    source.script["q"] = {{page("q", 1, {job("a"), job("b")})}, ok(1)};
    store.on_upsert = [](const sync::UpsertBatch&) { return refused_by_check(); };
    const auto summary = run({"q"});
    BOOST_TEST(summary.refused_jobs.size() == 2u);
    BOOST_TEST(store.sweeps.empty());
    BOOST_TEST(store.touched.empty());
    BOOST_TEST(sync::exit_code(summary) == sync::kExitIncomplete);
}

BOOST_AUTO_TEST_CASE(a_statement_timeout_halves_the_batch_and_later_batches_stay_small) {
    options.max_batch_rows = 8;
    std::vector<jobs::JobRow> rows;
    for (int i = 0; i < 16; ++i) rows.push_back(job("j" + std::to_string(i)));
    source.script["q"] = {{page("q", 1, rows)}, ok(1)};
    store.on_upsert = [](const sync::UpsertBatch& batch) {
        sync::StoreOutcome outcome;
        if (batch.rows > 3) {
            outcome.failure = Failure::transient;
            outcome.problem = sync::BatchProblem::statement_timeout;
            outcome.code = "57014";
        }
        return outcome;
    };
    const auto summary = run({"q"});
    BOOST_TEST(summary.rows_upserted == 16u);
    BOOST_TEST(summary.batch_rows_limit == 2u);
    std::vector<std::size_t> sizes;
    for (const auto& batch : store.batches) sizes.push_back(batch.rows);
    // 8 times out -> 4 times out -> 2,2 ok; 4 is split by the remembered limit -> 2,2; the
    // second batch of 8 is never sent whole: 2,2,2,2. Never the same size twice after 57014.
    BOOST_TEST(sizes == (std::vector<std::size_t>{8, 4, 2, 2, 2, 2, 2, 2, 2, 2}),
               boost::test_tools::per_element());
    BOOST_TEST(sync::exit_code(summary) == sync::kExitSuccess);
    BOOST_TEST(log.contains("statement timeout"));
}

BOOST_AUTO_TEST_CASE(a_413_halves_rows_and_bytes_and_a_single_oversized_row_is_refused) {
    options.max_batch_rows = 4;
    source.script["q"] = {
        {page("q", 1, {job("a"), job("b"), job("huge", std::string(500, 'x')), job("c")})}, ok(1)};
    store.on_upsert = [](const sync::UpsertBatch& batch) {
        sync::StoreOutcome outcome;
        if (batch.json.size() > 400) {
            outcome.failure = Failure::rejected;
            outcome.problem = sync::BatchProblem::body_too_large;
            outcome.code = "HTTP 413";
        }
        return outcome;
    };
    const auto summary = run({"q"});
    BOOST_TEST(summary.rows_upserted == 3u);
    BOOST_TEST_REQUIRE(summary.refused_jobs.size() == 1u);
    BOOST_TEST(summary.refused_jobs[0].job_id == "huge");
    BOOST_TEST(summary.refused_jobs[0].code == "HTTP 413");
    BOOST_TEST(summary.batch_rows_limit == 2u);
    BOOST_TEST(sync::exit_code(summary) == sync::kExitSuccess);
}

BOOST_AUTO_TEST_CASE(a_statement_timeout_on_one_row_fails_the_batch_and_skips_the_sweep) {
    options.max_batch_rows = 1;
    source.script["q"] = {{page("q", 1, {job("a")})}, ok(1)};
    store.on_upsert = [](const sync::UpsertBatch&) {
        sync::StoreOutcome outcome;
        outcome.failure = Failure::transient;
        outcome.problem = sync::BatchProblem::statement_timeout;
        outcome.message = "statement timeout";
        return outcome;
    };
    const auto summary = run({"q"});
    BOOST_TEST(summary.batches_failed == 1u);
    BOOST_TEST(store.sweeps.empty());
    BOOST_TEST(sync::exit_code(summary) == sync::kExitIncomplete);
}

BOOST_AUTO_TEST_CASE(the_guard_refuses_a_sweep_of_more_than_the_share_and_exits_6) {
    source.script["q"] = {{page("q", 1, {job("a")})}, ok(1)};
    store.active.count = 20;
    store.unseen.count = 17;
    const auto summary = run({"q"});
    BOOST_TEST(store.sweeps.empty());
    BOOST_TEST_REQUIRE(summary.guard.has_value());
    BOOST_TEST(summary.guard->tripped);
    BOOST_TEST(summary.guard->limit == 10);
    BOOST_TEST(sync::exit_code(summary) == sync::kExitGuarded);
    const std::string text = sync::render_text(summary);
    BOOST_TEST(text.find("17 (85%) of 20 active jobs") != std::string::npos);
    BOOST_TEST(text.find("--max-deactivate-share 1") != std::string::npos);
    BOOST_TEST(text.find("--no-sweep") != std::string::npos);
    BOOST_TEST_REQUIRE(ledger.finished.size() == 1u);
    BOOST_TEST(sync::to_string(ledger.finished[0].status) == "guarded");
    BOOST_TEST(ledger.finished[0].error.find("mass-deactivation guard") != std::string::npos);
}

BOOST_AUTO_TEST_CASE(exactly_the_share_is_allowed_and_sent_as_the_atomic_limit) {
    source.script["q"] = {{page("q", 1, {job("a")})}, ok(1)};
    store.active.count = 20;
    store.unseen.count = 10;
    store.sweep_outcome.deactivated = 10;
    const auto summary = run({"q"});
    BOOST_TEST_REQUIRE(store.sweep_limits.size() == 1u);
    BOOST_TEST(store.sweep_limits[0].value_or(-1) == 10);
    BOOST_TEST(sync::exit_code(summary) == sync::kExitSuccess);
}

BOOST_AUTO_TEST_CASE(pgrst124_at_sweep_time_is_guarded_too) {
    source.script["q"] = {{page("q", 1, {job("a")})}, ok(1)};
    store.active.count = 20;
    store.unseen.count = 2;
    store.sweep_outcome.limit_exceeded = true;
    const auto summary = run({"q"});
    BOOST_TEST(sync::exit_code(summary) == sync::kExitGuarded);
    BOOST_TEST(summary.deactivated == 0);
}

BOOST_AUTO_TEST_CASE(share_1_turns_the_guard_off) {
    options.max_deactivate_share = 1.0;
    source.script["q"] = {{page("q", 1, {job("a")})}, ok(1)};
    store.active.failure = Failure::transient;  // never asked
    const auto summary = run({"q"});
    BOOST_TEST_REQUIRE(store.sweep_limits.size() == 1u);
    BOOST_TEST(!store.sweep_limits[0].has_value());
    BOOST_TEST(sync::exit_code(summary) == sync::kExitSuccess);
}

BOOST_AUTO_TEST_CASE(no_sweep_upserts_deactivates_nothing_and_succeeds) {
    options.sweep = false;
    source.script["q"] = {{page("q", 1, {job("a")})}, ok(1)};
    const auto summary = run({"q"});
    BOOST_TEST(store.sweeps.empty());
    BOOST_TEST(summary.rows_upserted == 1u);
    BOOST_TEST(sync::exit_code(summary) == sync::kExitSuccess);
    BOOST_TEST(sync::render_text(summary).find("--no-sweep") != std::string::npos);
    BOOST_TEST(sync::to_string(ledger.finished.at(0).status) == "succeeded");
}

BOOST_AUTO_TEST_SUITE_END()
