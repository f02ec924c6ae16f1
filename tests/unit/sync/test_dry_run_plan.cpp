#include <boost/test/unit_test.hpp>

#include "sync/dry_run_plan.hpp"
#include "sync/dry_run_report.hpp"
#include "sync/exit_codes.hpp"

using namespace jobsync::sync;

namespace {

std::vector<FeedJob> feed(std::initializer_list<const char*> ids) {
    std::vector<FeedJob> jobs;
    for (const char* id : ids) jobs.push_back({id, std::string("title of ") + id});
    return jobs;
}

std::vector<std::string> ids_of(const PlanAction& action) {
    std::vector<std::string> ids;
    for (const auto& example : action.examples) ids.push_back(example.job_id);
    return ids;
}

}  // namespace

BOOST_AUTO_TEST_SUITE(dry_run_plan)

BOOST_AUTO_TEST_CASE(feed_jobs_are_inserted_updated_or_reactivated_by_the_tables_state) {
    DryRunInput input;
    input.feed = feed({"new-1", "live-1", "dead-1", "new-2"});
    input.stored = {{"live-1", true}, {"dead-1", false}};
    input.active_now = 1;
    const DryRunPlan plan = plan_dry_run(input);
    BOOST_TEST(plan.insert.count == 2);
    BOOST_TEST(ids_of(plan.insert) == (std::vector<std::string>{"new-1", "new-2"}),
               boost::test_tools::per_element());
    BOOST_TEST(plan.insert.examples.front().title == "title of new-1");
    BOOST_TEST(plan.update.count == 1);
    BOOST_TEST(plan.reactivate.count == 1);
    BOOST_TEST(ids_of(plan.reactivate) == std::vector<std::string>{"dead-1"},
               boost::test_tools::per_element());
    BOOST_TEST(plan.deactivate.count == 0);
    BOOST_TEST(plan.sweep_would_run);
}

BOOST_AUTO_TEST_CASE(the_sweep_would_deactivate_what_its_filter_reaches_minus_the_feed) {
    DryRunInput input;
    input.feed = feed({"a", "b"});
    input.stored = {{"a", true}, {"b", true}};
    // The sweep's filter matches every active row with an old or NULL stamp, feed rows too:
    // the real run stamps those first.
    input.sweep_reachable = {"z", "a", "y", "b", "x"};
    input.active_now = 5;
    input.max_deactivate_share = 1.0;
    const DryRunPlan plan = plan_dry_run(input);
    BOOST_TEST(plan.deactivate.count == 3);
    BOOST_TEST(ids_of(plan.deactivate) == (std::vector<std::string>{"x", "y", "z"}),
               boost::test_tools::per_element());
    BOOST_TEST(!plan.guard.has_value());  // share 1: the guard is off
}

BOOST_AUTO_TEST_CASE(examples_stop_at_the_limit_while_counts_go_on) {
    DryRunInput input;
    for (int i = 0; i < 12; ++i) input.feed.push_back({"id-" + std::to_string(i), "t"});
    const DryRunPlan plan = plan_dry_run(input, 5);
    BOOST_TEST(plan.insert.count == 12);
    BOOST_TEST(plan.insert.examples.size() == 5u);
}

BOOST_AUTO_TEST_CASE(the_guard_counts_the_active_rows_after_the_upserts_as_the_runner_does) {
    DryRunInput input;
    input.feed = feed({"n1", "n2", "n3", "n4", "n5", "d1"});
    input.stored = {{"d1", false}};
    input.active_now = 9;
    input.sweep_reachable = {"o1", "o2", "o3", "o4", "o5", "o6", "o7", "o8"};
    input.max_deactivate_share = 0.5;
    const DryRunPlan plan = plan_dry_run(input);
    BOOST_TEST_REQUIRE(plan.guard.has_value());
    BOOST_TEST(plan.guard->active == 15);  // 9 now + 5 inserted + 1 reactivated
    BOOST_TEST(plan.guard->limit == 7);
    BOOST_TEST(plan.guard->would_deactivate == 8);
    BOOST_TEST(plan.guard->tripped);
    BOOST_TEST(!plan.sweep_would_run);
}

BOOST_AUTO_TEST_CASE(the_guard_allows_exactly_its_limit) {
    const GuardReport at_limit = evaluate_guard(0.5, 20, 10);
    BOOST_TEST(at_limit.limit == 10);
    BOOST_TEST(!at_limit.tripped);
    BOOST_TEST(evaluate_guard(0.5, 20, 11).tripped);
    BOOST_TEST(!evaluate_guard(1.0, 20, 20).tripped);
    BOOST_TEST(evaluate_guard(0.0, 20, 1).tripped);
}

BOOST_AUTO_TEST_CASE(a_failed_query_nothing_fetched_or_no_sweep_means_no_sweep_and_no_guard) {
    DryRunInput failed;
    failed.feed = feed({"a"});
    failed.sweep_reachable = {"b"};
    failed.sweep_blocker = "query 'x' failed: HTTP 503";
    const DryRunPlan after_failure = plan_dry_run(failed);
    BOOST_TEST(!after_failure.sweep_would_run);
    BOOST_TEST(after_failure.sweep_note == "query 'x' failed: HTTP 503");
    BOOST_TEST(after_failure.deactivate.count == 1);  // what it would reach, for the report
    BOOST_TEST(!after_failure.guard.has_value());

    DryRunInput empty;
    empty.sweep_reachable = {"b"};
    BOOST_TEST(plan_dry_run(empty).sweep_note ==
               "no jobs fetched: refusing to deactivate the whole board");

    DryRunInput no_sweep;
    no_sweep.feed = feed({"a"});
    no_sweep.sweep = false;
    BOOST_TEST(plan_dry_run(no_sweep).sweep_note == "--no-sweep");
}

BOOST_AUTO_TEST_CASE(the_exit_code_is_the_one_a_real_run_would_have) {
    DryRunReport report;
    BOOST_TEST(exit_code(report) == kExitIncomplete);  // no plan: the table was not read

    DryRunInput input;
    input.feed = feed({"a"});
    report.plan = plan_dry_run(input);
    BOOST_TEST(exit_code(report) == kExitSuccess);
    BOOST_TEST((run_status(report) == RunStatus::succeeded));

    input.active_now = 4;
    input.sweep_reachable = {"b", "c", "d", "e"};
    report.plan = plan_dry_run(input);
    BOOST_TEST(exit_code(report) == kExitGuarded);
    BOOST_TEST((run_status(report) == RunStatus::guarded));

    input.sweep = false;
    report.plan = plan_dry_run(input);
    BOOST_TEST(exit_code(report) == kExitSuccess);

    report.failures.push_back({RunFailure::Step::query, Failure::quota, "--max-requests 5"});
    BOOST_TEST(exit_code(report) == kExitQuota);
    BOOST_TEST((run_status(report) == RunStatus::failed));

    report.failures.push_back({RunFailure::Step::query, Failure::auth, "401"});
    BOOST_TEST(exit_code(report) == kExitAuth);  // a refused key outranks a spent quota
    BOOST_TEST((run_status(report) == RunStatus::failed));
}

BOOST_AUTO_TEST_CASE(a_signal_or_the_deadline_gives_a_real_runs_exit_code) {
    DryRunReport report;
    report.failures.push_back({RunFailure::Step::query, Failure::cancelled, "stopped by SIGINT"});
    report.stop_cause = StopCause::interrupt;
    BOOST_TEST(exit_code(report) == kExitInterrupted);
    report.stop_cause = StopCause::terminate;
    BOOST_TEST(exit_code(report) == kExitTerminated);
    // The operator's signal outranks what the queries met, as in a real run.
    report.failures.push_back({RunFailure::Step::query, Failure::auth, "401"});
    BOOST_TEST(exit_code(report) == kExitTerminated);
    report.failures.pop_back();
    report.stop_cause = StopCause::deadline;
    BOOST_TEST(exit_code(report) == kExitDeadline);
    BOOST_TEST((run_status(report) == RunStatus::failed));
}

BOOST_AUTO_TEST_CASE(the_text_report_lists_counts_examples_and_the_guard) {
    DryRunReport report;
    report.run_id = "dry-1";
    report.queries = 1;
    DryRunInput input;
    input.feed = feed({"a"});
    input.active_now = 4;
    input.sweep_reachable = {"b", "c", "d", "e"};
    report.plan = plan_dry_run(input);
    report.plan->deactivate.examples[0].title = "Gone Job";
    const std::string text = render_text(report);
    BOOST_TEST(text.find("job-sync: dry run: a real run would be guarded") == 0u);
    BOOST_TEST(text.find("run dry-1 is recorded as a dry run") != std::string::npos);
    BOOST_TEST(text.find("  would insert      1\n      a  title of a\n") != std::string::npos);
    BOOST_TEST(text.find("  would deactivate  4\n      b  Gone Job\n      c\n") !=
               std::string::npos);
    BOOST_TEST(text.find("WOULD STOP the sweep: 4 of 5 active jobs (80%), limit 2") !=
               std::string::npos);
    BOOST_TEST(render_details(report) ==
               R"({"dry_run":{"insert":1,"update":0,"reactivate":0,"deactivate":4,)"
               R"("sweep_would_run":false,"guard":{"tripped":true,"active":5,)"
               R"("would_deactivate":4,"limit":2,"max_deactivate_share":0.5}}})");
}

BOOST_AUTO_TEST_SUITE_END()
