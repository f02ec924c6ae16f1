// Issue 11 end to end: one run sharded over several real `job-sync` processes against one
// gateway, one PostgreSQL and the JSearch stand-in. The run's one sweep happens once, only after
// every shard succeeded; a failed shard blocks it until it is rerun; a second run's shards are
// refused by the lease. The table is checked row by row.
#include <rapidjson/document.h>

#include <boost/test/unit_test.hpp>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "integration/service/job_json.hpp"
#include "integration/service/job_sync_process.hpp"
#include "integration/service/service_stack.hpp"

using namespace jobsync::testing;

namespace {

// Four queries; the shard rule (sync/shards.hpp, pinned in unit-sync) puts one on each of four
// shards: rust -> 0, python -> 1, data -> 2, chicago -> 3.
constexpr const char* kRust = "rust developer in berlin";
constexpr const char* kData = "data analyst remote";

// The first page (10 jobs) of each query: what a run with --pages 1 sees.
std::vector<std::string> first_page(std::vector<std::string> jobs) {
    if (jobs.size() > 10) jobs.resize(10);
    return jobs;
}

struct ShardedStack {
    ShardedStack() {
        stack.jsearch().set_jobs(kRust, generate_jobs(10, "rust"));
        stack.jsearch().set_jobs(kData, generate_jobs(10, "data"));
        feeds = {
            {kRust, generate_jobs(10, "rust")},
            {ServiceStack::kPython, first_page(ServiceStack::python_jobs())},
            {kData, generate_jobs(10, "data")},
            {ServiceStack::kChicago, first_page(ServiceStack::chicago_jobs())},
        };
    }

    jobsync::config::EnvMap environment(std::map<std::string, std::string> overrides = {}) {
        overrides.emplace("JSEARCH_QUERIES", std::string(kRust) + ";" + ServiceStack::kPython +
                                                 ";" + kData + ";" + ServiceStack::kChicago);
        return stack.environment(overrides);
    }

    std::unique_ptr<JobSyncProcess> shard(const std::string& run_id, int index, int count = 4,
                                          const std::vector<std::string>& extra = {}) {
        std::vector<std::string> args{
            "--log-level", "info",    "--run-id",
            run_id,        "--shard", std::to_string(index) + "/" + std::to_string(count)};
        args.insert(args.end(), extra.begin(), extra.end());
        return std::make_unique<JobSyncProcess>(args, environment());
    }

    // Starts every shard at once and returns their exit codes, in shard order.
    std::vector<int> run_all(const std::string& run_id, int count = 4,
                             const std::vector<std::string>& extra = {}) {
        std::vector<std::unique_ptr<JobSyncProcess>> shards;
        for (int i = 0; i < count; ++i) shards.push_back(shard(run_id, i, count, extra));
        std::vector<int> codes;
        for (auto& process : shards) {
            codes.push_back(process->wait());
            log += process->out() + process->err();
        }
        return codes;
    }

    // The sweep's PATCHes (the only PATCH of these runs: no job is refused, nothing touched).
    long sweeps() {
        long n = 0;
        for (const auto& request : stack.gateway().requests()) {
            if (request.method == "PATCH" && request.path == "/rest/v1/jobs") ++n;
        }
        return n;
    }

    std::string shard_rows(const std::string& run_id) {
        auto rows = stack.db().exec_params(
            "select string_agg(shard || ':' || status || ':' || attempts, ',' order by shard) v "
            "from public.job_sync_run_shards where run_id = $1",
            {run_id});
        return rows.at(0, "v").value_or("<none>");
    }

    // Every row of the table is active exactly when its job is in `feeds`, and every job of the
    // feeds carries the run's stamp.
    void check_board_is_the_feed(const std::string& run_id, long extra_inactive) {
        std::size_t feed_jobs = 0;
        const std::string started_at = stack.run_value(run_id, "started_at");
        for (const auto& [query, jobs] : feeds) {
            for (const auto& job : jobs) {
                const std::string id = job_id_of(job);
                BOOST_TEST_CONTEXT(query << ": " << id) {
                    BOOST_TEST(stack.value(id, "is_active") == "true");
                    BOOST_TEST(stack.value(id, "last_seen") == started_at);
                }
                ++feed_jobs;
            }
        }
        BOOST_TEST(stack.count("is_active") == static_cast<long>(feed_jobs));
        BOOST_TEST(stack.count("not is_active") == extra_inactive);
    }

    ServiceStack stack;
    std::map<std::string, std::vector<std::string>> feeds;
    std::string log;
};

}  // namespace

BOOST_FIXTURE_TEST_SUITE(sharded_runs, ShardedStack)

BOOST_AUTO_TEST_CASE(four_shards_that_all_succeed_sweep_exactly_once_for_the_run) {
    // Yesterday's board: the four feeds plus two jobs that have vanished since.
    auto yesterday = first_page(ServiceStack::python_jobs());
    stack.jsearch().set_jobs(ServiceStack::kPython, yesterday);
    BOOST_TEST_REQUIRE(
        stack
            .sync({"--run-id", "yesterday"},
                  {{"JSEARCH_QUERIES", std::string(kRust) + ";" + ServiceStack::kPython + ";" +
                                           kData + ";" + ServiceStack::kChicago}})
            .exit_code == 0);
    feeds[ServiceStack::kPython].resize(8);
    stack.jsearch().set_jobs(ServiceStack::kPython, feeds[ServiceStack::kPython]);
    const std::string gone_1 = job_id_of(yesterday[8]);
    const std::string gone_2 = job_id_of(yesterday[9]);
    stack.gateway().clear_requests();
    const std::size_t jsearch_before = stack.jsearch().requests().size();

    const auto codes = run_all("night-1");
    BOOST_TEST_INFO(log);
    BOOST_TEST(codes == (std::vector<int>{0, 0, 0, 0}));
    BOOST_TEST(sweeps() == 1);
    check_board_is_the_feed("night-1", 2);
    BOOST_TEST(stack.value(gone_1, "is_active") == "false");
    BOOST_TEST(stack.value(gone_2, "is_active") == "false");

    BOOST_TEST(shard_rows("night-1") == "0:succeeded:1,1:succeeded:1,2:succeeded:1,3:succeeded:1");
    BOOST_TEST(stack.run_value("night-1", "status") == "succeeded");
    BOOST_TEST(stack.run_value("night-1", "shard_count") == "4");
    BOOST_TEST(stack.run_value("night-1", "deactivated") == "2");
    BOOST_TEST(stack.run_value("night-1", "queries") == "4");
    BOOST_TEST(stack.run_value("night-1", "jobs_fetched") == "38");
    // Billed requests are the shards' sum: one request per query here.
    const long billed = std::stol(stack.run_value("night-1", "billed_requests"));
    BOOST_TEST(billed == static_cast<long>(stack.jsearch().requests().size() - jsearch_before));
    BOOST_TEST(billed == 4);
    BOOST_TEST(stack.run_value("night-1", "lease_expires_at") == "<null>");
    // The shard that swept says so; the others left it to the last.
    BOOST_TEST(log.find("swept for the whole run") != std::string::npos);
    // ("waits for every shard" or, when it finished after the winner claimed, "is another
    // shard's": which depends on timing).
    BOOST_TEST(log.find("deactivated    0 here (the run's sweep ") != std::string::npos);
}

BOOST_AUTO_TEST_CASE(a_failed_shard_blocks_the_sweep_until_it_is_rerun_alone) {
    BOOST_TEST_REQUIRE(
        stack
            .sync({"--run-id", "yesterday"},
                  {{"JSEARCH_QUERIES", std::string(kRust) + ";" + ServiceStack::kPython + ";" +
                                           kData + ";" + ServiceStack::kChicago}})
            .exit_code == 0);
    const std::string gone = job_id_of(feeds[kRust][9]);
    feeds[kRust].resize(9);
    stack.jsearch().set_jobs(kRust, feeds[kRust]);
    for (int i = 0; i < 3; ++i) {
        stack.jsearch().script(
            {500, {}, R"({"message":"Internal Server Error"})", ServiceStack::kPython});
    }
    stack.gateway().clear_requests();

    const auto codes = run_all("night-2");
    BOOST_TEST_INFO(log);
    BOOST_TEST(codes == (std::vector<int>{0, 1, 0, 0}));
    BOOST_TEST(sweeps() == 0);
    BOOST_TEST(stack.count("not is_active") == 0);  // nothing deactivated
    BOOST_TEST(stack.value(gone, "is_active") == "true");
    BOOST_TEST(stack.run_value("night-2", "status") == "running");
    const std::string error = stack.run_value("night-2", "error");
    BOOST_TEST(error.find("shard 1 of 4 failed: query 'junior python' failed") == 0u);
    BOOST_TEST(shard_rows("night-2") == "0:succeeded:1,1:failed:1,2:succeeded:1,3:succeeded:1");
    // `job-sync status` shows the open run, its shards and which one failed.
    const auto open = stack.run({"status"});
    BOOST_TEST_INFO(open.out << open.err);
    BOOST_TEST(open.exit_code == 0);
    BOOST_TEST(open.out.find("running (4 shards)") != std::string::npos);
    BOOST_TEST(open.out.find("shards of run night-2:") != std::string::npos);
    BOOST_TEST(open.out.find("shard 1  failed") != std::string::npos);
    BOOST_TEST(open.out.find("query 'junior python' failed") != std::string::npos);

    // Kubernetes retries index 1 alone: it re-joins the open run and, last to succeed, sweeps.
    auto rerun = shard("night-2", 1);
    const int rerun_code = rerun->wait();
    BOOST_TEST_INFO(rerun->out() << rerun->err());
    BOOST_TEST(rerun_code == 0);
    BOOST_TEST(sweeps() == 1);
    check_board_is_the_feed("night-2", 1);
    BOOST_TEST(stack.value(gone, "is_active") == "false");
    BOOST_TEST(stack.run_value("night-2", "status") == "succeeded");
    BOOST_TEST(stack.run_value("night-2", "error") == "<null>");
    BOOST_TEST(stack.run_value("night-2", "sweep_shard") == "1");
    BOOST_TEST(shard_rows("night-2") == "0:succeeded:1,1:succeeded:2,2:succeeded:1,3:succeeded:1");
    const auto done = stack.run({"status", "--format", "json"});
    BOOST_TEST(done.out.find(R"("shard_count":4)") != std::string::npos);
    BOOST_TEST(done.out.find(R"("run_shards":{"night-2":[{"shard":0,"status":"succeeded")") !=
               std::string::npos);
    BOOST_TEST(done.out.find(R"({"shard":1,"status":"succeeded","attempts":2,)") !=
               std::string::npos);

    // Once swept, the run is over: a late duplicate of a shard does nothing (usage error, 2).
    auto late = shard("night-2", 3);
    BOOST_TEST(late->wait() == 2);
    BOOST_TEST(sweeps() == 1);
}

BOOST_AUTO_TEST_CASE(a_second_runs_shards_interleaved_with_the_first_are_refused_by_the_lease) {
    Flag upserting, release;
    stack.gateway().set_before_request([&](const RecordedRequest& request) {
        if (request.method == "POST" && request.path == "/rest/v1/jobs" && !upserting.raised()) {
            upserting.raise();
            release.wait(std::chrono::seconds(30));
        }
    });
    auto a0 = shard("run-a", 0, 2);
    BOOST_TEST_REQUIRE(upserting.wait());
    auto b0 = shard("run-b", 0, 2);
    const int b0_code = b0->wait();
    auto a1 = shard("run-a", 1, 2);
    auto b1 = shard("run-b", 1, 2);
    const int b1_code = b1->wait();
    release.raise();
    const int a0_code = a0->wait();
    const int a1_code = a1->wait();
    stack.gateway().set_before_request(nullptr);

    BOOST_TEST_INFO(a0->out() << a0->err() << a1->out() << a1->err() << b0->out() << b1->out());
    BOOST_TEST(b0_code == 5);
    BOOST_TEST(b1_code == 5);
    BOOST_TEST(b0->out().find("another run holds the lease: run run-a") != std::string::npos);
    BOOST_TEST(b1->out().find("run-a") != std::string::npos);
    BOOST_TEST(a0_code == 0);
    BOOST_TEST(a1_code == 0);
    BOOST_TEST(stack.run_value("run-a", "status") == "succeeded");
    BOOST_TEST(stack.run_value("run-b", "status") == "refused");
    BOOST_TEST(sweeps() == 1);
    check_board_is_the_feed("run-a", 0);
}

// --max-requests is each shard's budget: four shards of one billed request each fit a budget
// of 1 apiece, where one process with the same budget stops at its second query (exit 7). The
// run record sums what the shards billed.
BOOST_AUTO_TEST_CASE(max_requests_is_a_budget_per_shard_and_the_run_sums_the_bill) {
    const auto codes = run_all("budget", 4, {"--max-requests", "1"});
    BOOST_TEST_INFO(log);
    BOOST_TEST(codes == (std::vector<int>{0, 0, 0, 0}));
    BOOST_TEST(stack.run_value("budget", "status") == "succeeded");
    BOOST_TEST(stack.run_value("budget", "billed_requests") == "4");
    check_board_is_the_feed("budget", 0);

    JobSyncProcess single({"--run-id", "budget-single", "--max-requests", "1"}, environment());
    BOOST_TEST(single.wait() == 7);
    BOOST_TEST(stack.run_value("budget-single", "billed_requests") == "1");
}

BOOST_AUTO_TEST_CASE(a_sharded_run_without_a_run_id_is_a_usage_error_before_any_request) {
    JobSyncProcess process({"--shard", "0/2"}, environment());
    BOOST_TEST(process.wait() == 2);
    BOOST_TEST(process.err().find("a sharded run needs a run id") != std::string::npos);
    JobSyncProcess indexed({"--shards", "2"}, environment({{"JOBSYNC_RUN_ID", "k8s-job-1"}}));
    BOOST_TEST(indexed.wait() == 2);
    BOOST_TEST(indexed.err().find("JOB_COMPLETION_INDEX") != std::string::npos);
    BOOST_TEST(stack.gateway().requests().empty());
    BOOST_TEST(stack.jsearch().requests().empty());
}

BOOST_AUTO_TEST_SUITE_END()
