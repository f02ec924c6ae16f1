// The runner as one shard of a sharded run (issue 11), with in-memory fakes: a shard never
// sweeps on its own account; it records its success, asks for the run's one sweep, and only the
// winner guards, sweeps and closes the run.
#include <boost/test/unit_test.hpp>
#include <string>
#include <vector>

#include "fakes.hpp"
#include "sync/exit_codes.hpp"
#include "sync/runner.hpp"

using namespace jobsync;
using namespace jobsync::testing;
using sync::Failure;

namespace {

sync::FetchOutcome fetched(int requests = 1) {
    sync::FetchOutcome outcome;
    outcome.pages = 1;
    outcome.requests = requests;
    outcome.billed_requests = requests;
    return outcome;
}

struct ShardFixture {
    FakeJobSource source;
    FakeJobStore store;
    FakeRunLedger ledger;
    sync::RunOptions options;
    CapturedLog log;

    ShardFixture() {
        options.encode_row = [](std::string& out, const jobs::JobRow& row,
                                std::string_view last_seen) {
            out += "{\"job_id\":\"" + row.job_id.str() + "\",\"last_seen\":\"" +
                   std::string(last_seen) + "\"}";
        };
        options.ledger = &ledger;
        options.run.run_id = "night";
        options.run.shard = 2;
        options.run.shard_count = 4;
        options.steady_now = [] { return std::chrono::steady_clock::time_point{}; };
        store.active.count = 10;
        source.script["q"] = {{page("q", 1, {job("a"), job("b")})}, fetched(3)};
    }

    sync::RunSummary run() { return sync::run_sync({query("q")}, source, store, options); }
};

}  // namespace

BOOST_FIXTURE_TEST_SUITE(runner_as_a_shard, ShardFixture)

BOOST_AUTO_TEST_CASE(a_shard_that_is_not_last_records_its_success_and_leaves_the_sweep) {
    ledger.claim.reason = "shards_pending";
    ledger.claim.running = {0, 3};
    ledger.claim.failed = {"shard 1 failed: HTTP 500"};
    const auto summary = run();

    BOOST_TEST(ledger.begun.at(0).shard == 2);
    BOOST_TEST(ledger.begun.at(0).shard_count == 4);
    BOOST_TEST(store.sweeps.empty());
    BOOST_TEST_REQUIRE(ledger.finished.size() == 1u);  // the shard row, before the claim
    BOOST_TEST(ledger.finished[0].shard == 2);
    BOOST_TEST(sync::to_string(ledger.finished[0].status) == "succeeded");
    BOOST_TEST(ledger.finished[0].counts.billed_requests == 3);
    BOOST_TEST(ledger.claims == (std::vector<int>{2}));
    BOOST_TEST(ledger.closed.empty());
    BOOST_TEST(sync::exit_code(summary) == sync::kExitSuccess);
    BOOST_TEST(summary.sweep_deferred);
    BOOST_TEST(summary.sweep_skipped_reason ==
               "the run's sweep waits for every shard to succeed (shard 0 running; shard 3 "
               "running; shard 1 failed: HTTP 500); the last to succeed sweeps");
    BOOST_TEST(sync::render_text(summary).find("shard          2/4") != std::string::npos);
}

BOOST_AUTO_TEST_CASE(the_shard_that_wins_the_claim_guards_sweeps_and_closes_the_run) {
    ledger.claim.claimed = true;
    ledger.claim.jobs_fetched = 40;
    store.sweep_outcome.deactivated = 3;
    const auto summary = run();

    BOOST_TEST(store.sweeps == (std::vector<std::string>{ledger.lease.started_at}));
    BOOST_TEST(store.sweep_limits.at(0).value_or(-1) == 5);  // the guard, run-wide
    BOOST_TEST(ledger.finished.size() == 1u);                // only the shard row
    BOOST_TEST_REQUIRE(ledger.closed.size() == 1u);
    BOOST_TEST(ledger.closed[0].run_id == "night");
    BOOST_TEST(sync::to_string(ledger.closed[0].status) == "succeeded");
    BOOST_TEST(ledger.closed[0].deactivated == 3);
    BOOST_TEST(sync::exit_code(summary) == sync::kExitSuccess);
    BOOST_TEST(summary.sweep_claimed);
}

BOOST_AUTO_TEST_CASE(the_winner_applies_the_guard_to_the_whole_run_and_records_guarded) {
    ledger.claim.claimed = true;
    ledger.claim.jobs_fetched = 40;
    store.unseen.count = 6;  // of 10 active
    const auto summary = run();
    BOOST_TEST(store.sweeps.empty());
    BOOST_TEST_REQUIRE(ledger.closed.size() == 1u);
    BOOST_TEST(sync::to_string(ledger.closed[0].status) == "guarded");
    BOOST_TEST(sync::exit_code(summary) == sync::kExitGuarded);
}

BOOST_AUTO_TEST_CASE(no_sweep_when_no_shard_of_the_run_fetched_a_job) {
    ledger.claim.claimed = true;
    ledger.claim.jobs_fetched = 0;
    source.script["q"] = {{}, fetched()};
    const auto summary = run();
    BOOST_TEST(store.sweeps.empty());
    BOOST_TEST_REQUIRE(ledger.closed.size() == 1u);
    BOOST_TEST(sync::to_string(ledger.closed[0].status) == "failed");
    BOOST_TEST(ledger.closed[0].error.find("no jobs fetched by any shard") != std::string::npos);
    BOOST_TEST(sync::exit_code(summary) == sync::kExitIncomplete);
}

BOOST_AUTO_TEST_CASE(a_failed_shard_never_claims_and_records_its_failure) {
    sync::FetchOutcome failure;
    failure.failure = Failure::transient;
    failure.message = "HTTP 500";
    source.script["q"] = {{}, failure};
    const auto summary = run();
    BOOST_TEST(ledger.claims.empty());
    BOOST_TEST(store.sweeps.empty());
    BOOST_TEST_REQUIRE(ledger.finished.size() == 1u);
    BOOST_TEST(sync::to_string(ledger.finished[0].status) == "failed");
    BOOST_TEST(ledger.finished[0].shard == 2);
    BOOST_TEST(ledger.finished[0].error == "query 'q' failed: HTTP 500");
    BOOST_TEST(sync::exit_code(summary) == sync::kExitIncomplete);
}

BOOST_AUTO_TEST_CASE(a_claim_that_cannot_be_asked_fails_the_shard_so_it_is_retried) {
    ledger.claim.failure = Failure::transient;
    ledger.claim.message = "HTTP 503";
    const auto summary = run();
    BOOST_TEST(store.sweeps.empty());
    // Recorded as succeeded before the claim, then as failed: the run names this shard.
    BOOST_TEST_REQUIRE(ledger.finished.size() == 2u);
    BOOST_TEST(sync::to_string(ledger.finished[1].status) == "failed");
    BOOST_TEST(sync::exit_code(summary) == sync::kExitIncomplete);
}

BOOST_AUTO_TEST_CASE(a_run_that_ended_before_the_claim_is_a_failure_of_this_shard) {
    ledger.claim.reason = "not_running";
    ledger.claim.run_status = "failed";
    const auto summary = run();
    BOOST_TEST(store.sweeps.empty());
    BOOST_TEST(sync::exit_code(summary) == sync::kExitIncomplete);
    BOOST_TEST(sync::render_text(summary).find("before its sweep") != std::string::npos);
}

BOOST_AUTO_TEST_SUITE_END()
