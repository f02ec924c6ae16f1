// The runner under issue 7's stops: a spent quota (fetching ends, what was fetched is still
// written, no sweep, exit 7), the deadline and signals (nothing new starts, no sweep,
// exit 8 / 130 / 143), and the stop source itself.
#include <boost/test/unit_test.hpp>
#include <string>
#include <thread>
#include <vector>

#include "fakes.hpp"
#include "sync/exit_codes.hpp"
#include "sync/runner.hpp"
#include "sync/stop.hpp"

using namespace jobsync;
using namespace jobsync::testing;
using sync::Failure;
using sync::StopCause;
using namespace std::chrono_literals;

namespace {

struct StopFixture {
    FakeJobSource source;
    FakeJobStore store;
    sync::StopSource stop;
    sync::RunOptions options;
    CapturedLog log;

    StopFixture() {
        options.max_batch_rows = 100;
        options.run_started_at = "2024-05-01T12:00:00.000Z";
        options.encode_row = [](std::string& out, const jobs::JobRow& row, std::string_view) {
            out += "{\"job_id\":\"" + row.job_id.str() + "\"}";
        };
        options.stop = &stop;
    }

    sync::RunSummary run(const std::vector<std::string>& texts) {
        std::vector<sync::SearchQuery> queries;
        for (const auto& text : texts) queries.push_back(query(text));
        return sync::run_sync(queries, source, store, options);
    }

    std::size_t rows_sent() const {
        std::size_t rows = 0;
        for (const auto& batch : store.batches) rows += batch.rows;
        return rows;
    }
};

sync::FetchOutcome outcome(Failure failure, std::string message = {}) {
    sync::FetchOutcome result;
    result.failure = failure;
    result.message = std::move(message);
    result.requests = 1;
    result.pages = failure == Failure::none ? 1 : 0;
    return result;
}

}  // namespace

BOOST_FIXTURE_TEST_SUITE(runner_stops, StopFixture)

BOOST_AUTO_TEST_CASE(a_spent_quota_ends_fetching_writes_what_came_and_skips_the_sweep) {
    source.script["a"] = {{page("a", 1, {job("a1"), job("a2")})}, outcome(Failure::none)};
    source.script["b"] = {{}, outcome(Failure::quota, "JSearch quota exhausted (resets in 3 h)")};
    const auto summary = run({"a", "b", "c"});
    BOOST_TEST(source.fetched == (std::vector<std::string>{"a", "b"}));
    BOOST_TEST(rows_sent() == 2u);
    BOOST_TEST(store.sweeps.empty());
    BOOST_TEST(summary.queries_not_run == 1u);
    BOOST_TEST(sync::exit_code(summary) == sync::kExitQuota);
    BOOST_TEST(sync::render_text(summary).find("resets in 3 h") != std::string::npos);
}

BOOST_AUTO_TEST_CASE(a_signal_between_queries_starts_nothing_more_and_exits_143) {
    source.script["a"] = {{page("a", 1, {job("a1")})}, outcome(Failure::none)};
    source.after_each_page = [this] { stop.request_stop(StopCause::terminate, "SIGTERM"); };
    const auto summary = run({"a", "b"});
    BOOST_TEST(source.fetched == (std::vector<std::string>{"a"}));
    BOOST_TEST(store.batches.empty());  // the pending batch is not sent after the stop
    BOOST_TEST(store.sweeps.empty());
    BOOST_TEST(sync::exit_code(summary) == sync::kExitTerminated);
    BOOST_TEST(summary.failures.size() == 1u);
    BOOST_TEST(summary.failures.front().message == "stopped by SIGTERM: 1 query not run");
    BOOST_TEST(sync::render_text(summary).find("stopped by     SIGTERM") != std::string::npos);
}

BOOST_AUTO_TEST_CASE(sigint_exits_130) {
    stop.request_stop(StopCause::interrupt, "SIGINT");
    const auto summary = run({"a"});
    BOOST_TEST(source.fetched.empty());
    BOOST_TEST(sync::exit_code(summary) == sync::kExitInterrupted);
}

BOOST_AUTO_TEST_CASE(a_query_cut_by_the_deadline_stops_the_run_with_exit_8) {
    source.script["a"] = {{page("a", 1, {job("a1")})},
                          outcome(Failure::deadline, "JSearch query \"a\" page 2: deadline")};
    const auto summary = run({"a", "b"});
    BOOST_TEST(source.fetched == (std::vector<std::string>{"a"}));
    BOOST_TEST(store.batches.empty());
    BOOST_TEST(store.sweeps.empty());
    BOOST_TEST(sync::exit_code(summary) == sync::kExitDeadline);
}

BOOST_AUTO_TEST_CASE(the_deadline_on_the_injected_clock_stops_before_the_sweep) {
    auto now = std::chrono::system_clock::time_point(std::chrono::hours(1000));
    stop.set_deadline(now + 10min, [&now] { return now; });
    source.script["a"] = {{page("a", 1, {job("a1")})}, outcome(Failure::none)};
    source.after_each_page = [&now] { now += 11min; };
    const auto summary = run({"a"});
    BOOST_TEST(store.sweeps.empty());
    BOOST_TEST(static_cast<int>(summary.stop_cause) == static_cast<int>(StopCause::deadline));
    BOOST_TEST(sync::exit_code(summary) == sync::kExitDeadline);
}

BOOST_AUTO_TEST_CASE(the_signal_wins_over_a_quota_and_the_first_cause_wins) {
    stop.request_stop(StopCause::terminate, "SIGTERM");
    stop.request_stop(StopCause::interrupt, "SIGINT");
    BOOST_TEST(static_cast<int>(stop.cause()) == static_cast<int>(StopCause::terminate));
    sync::RunSummary summary;
    summary.failures.push_back({sync::RunFailure::Step::query, Failure::quota, "quota"});
    summary.stop_cause = stop.cause();
    BOOST_TEST(sync::exit_code(summary) == sync::kExitTerminated);
}

BOOST_AUTO_TEST_CASE(a_stop_wakes_a_waiting_sleeper_at_once) {
    std::thread stopper([this] { stop.request_stop(StopCause::terminate, "SIGTERM"); });
    // Returns at the stop; were it not woken, the test would hang for the full minute.
    BOOST_TEST(stop.wait_for(std::chrono::minutes(1)));
    stopper.join();
}

BOOST_AUTO_TEST_SUITE_END()
