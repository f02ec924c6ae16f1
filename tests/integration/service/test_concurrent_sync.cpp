// Several JSearch requests in flight (--concurrency) against the real stack: the table does
// not depend on the order the answers come back in, and a stop leaves nothing deactivated.
#include <rapidjson/document.h>
#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include <algorithm>
#include <atomic>
#include <boost/test/unit_test.hpp>
#include <chrono>
#include <csignal>
#include <map>
#include <string>
#include <thread>
#include <vector>

#include "integration/service/child_process.hpp"
#include "integration/service/service_stack.hpp"
#include "support/raw_server.hpp"

using namespace jobsync::testing;
using namespace std::chrono_literals;

namespace {

constexpr int kQueries = 6;

std::string query_text(int i) { return "concurrent query " + std::to_string(i); }

std::string with_title(const std::string& job_json, const std::string& title) {
    rapidjson::Document job;
    job.Parse(job_json.c_str());
    job["job_title"].SetString(title.c_str(), static_cast<rapidjson::SizeType>(title.size()),
                               job.GetAllocator());
    rapidjson::StringBuffer buffer;
    rapidjson::Writer<rapidjson::StringBuffer> writer(buffer);
    job.Accept(writer);
    return buffer.GetString();
}

std::string job_id_of(const std::string& job_json) {
    rapidjson::Document job;
    job.Parse(job_json.c_str());
    return job["job_id"].GetString();
}

// Six queries of 25 jobs (three pages each). Every query from the second on starts with a
// copy of five jobs of the one before, each copy with a title of its own, and the last
// query repeats the first query's first job once more: which copy wins is visible.
std::vector<std::string> set_feed(ServiceStack& stack, std::vector<std::string>& shared_ids) {
    std::vector<std::vector<std::string>> own(kQueries);
    for (int i = 0; i < kQueries; ++i) own[i] = generate_jobs(20, query_text(i));
    std::vector<std::string> texts;
    for (int i = 0; i < kQueries; ++i) {
        std::vector<std::string> feed;
        if (i > 0) {
            for (int j = 0; j < 5; ++j) {
                feed.push_back(with_title(own[i - 1][j], "copy in " + query_text(i)));
                if (i == 1) shared_ids.push_back(job_id_of(own[0][j]));
            }
        }
        if (i == kQueries - 1) feed.push_back(with_title(own[0][0], "late copy"));
        feed.insert(feed.end(), own[i].begin(), own[i].end());
        stack.jsearch().set_jobs(query_text(i), feed);
        texts.push_back(query_text(i));
    }
    return texts;
}

std::string queries_env(const std::vector<std::string>& texts) {
    std::string joined;
    for (const auto& text : texts) joined += (joined.empty() ? "" : ";") + text;
    return joined;
}

// Every row, every column but the run's timestamps (and the serial id, for tables refilled
// from empty), in job_id order.
std::vector<std::string> rows_without_timestamps(ServiceStack& stack, bool with_id = true) {
    auto rows = stack.db().exec(
        std::string("select (to_jsonb(j) - 'last_seen' - 'updated_at' - 'created_at'") +
        (with_id ? "" : " - 'id'") +
        ")::text as r "
        "from public.jobs j order by job_id");
    std::vector<std::string> out;
    for (std::size_t i = 0; i < rows.rows.size(); ++i) out.push_back(rows.at(i, "r").value_or(""));
    return out;
}

// A dry run's JSON report without what differs between two runs of it (id, time, duration).
std::string dry_report_without_run_fields(const std::string& out) {
    rapidjson::Document report;
    report.Parse(out.c_str());
    if (report.HasParseError() || !report.IsObject()) return "not a JSON report: " + out;
    for (const char* field : {"run_id", "run_started_at", "duration_ms"}) {
        report.RemoveMember(field);
    }
    rapidjson::StringBuffer buffer;
    rapidjson::Writer<rapidjson::StringBuffer> writer(buffer);
    report.Accept(writer);
    return buffer.GetString();
}

}  // namespace

BOOST_AUTO_TEST_SUITE(concurrent_sync)

BOOST_AUTO_TEST_CASE(a_concurrent_run_leaves_the_table_a_sequential_run_leaves) {
    ServiceStack stack;
    std::vector<std::string> shared_ids;
    const auto texts = set_feed(stack, shared_ids);
    const std::map<std::string, std::string> env{{"JSEARCH_QUERIES", queries_env(texts)}};
    const std::vector<std::string> pages{"--pages", "3", "--pages-per-request", "1"};

    auto args = pages;
    args.insert(args.end(), {"--concurrency", "1"});
    BOOST_TEST_REQUIRE(stack.sync(args, env).exit_code == 0);
    const auto sequential = rows_without_timestamps(stack);
    BOOST_TEST(sequential.size() == std::size_t{kQueries * 20});
    // The first copy in query order wins: the original, not a later query's copy.
    for (const auto& id : shared_ids) {
        BOOST_TEST(stack.value(id, "job_title").find("copy") == std::string::npos);
    }

    for (unsigned seed : {1u, 2u}) {
        stack.jsearch().set_random_latency(0ms, 40ms, seed);
        args = pages;
        args.insert(args.end(), {"--concurrency", "8", "--max-rps", "1000"});
        const auto result = stack.sync(args, env);
        BOOST_TEST_REQUIRE(result.exit_code == 0);
        BOOST_TEST(result.out.find("duplicates") != std::string::npos);
        const auto concurrent = rows_without_timestamps(stack);
        BOOST_TEST(concurrent == sequential, boost::test_tools::per_element());
    }
    BOOST_TEST(stack.count("is_active") == kQueries * 20);
}

BOOST_AUTO_TEST_CASE(a_rejected_key_during_concurrent_fetching_deactivates_nothing) {
    ServiceStack stack;
    std::vector<std::string> shared_ids;
    const auto texts = set_feed(stack, shared_ids);
    const std::map<std::string, std::string> env{{"JSEARCH_QUERIES", queries_env(texts)}};
    BOOST_TEST_REQUIRE(stack.sync({"--pages", "3"}, env).exit_code == 0);
    const auto before = rows_without_timestamps(stack);

    // The next run's feed lost a query's jobs: a finished run would deactivate them. The key
    // is refused half-way (RapidAPI's 403) while other queries are in flight.
    stack.jsearch().set_jobs(query_text(kQueries - 1), {});
    stack.jsearch().set_random_latency(0ms, 20ms, 3);
    stack.jsearch().script(ScriptedReply{403,
                                         {{"Content-Type", "application/json"}},
                                         R"({"message":"You are not subscribed to this API."})",
                                         query_text(3)});
    const auto result = stack.sync(
        {"--pages", "3", "--pages-per-request", "1", "--concurrency", "4", "--max-rps", "1000"},
        env);

    BOOST_TEST(result.exit_code == 3);
    BOOST_TEST(stack.count("is_active") == kQueries * 20);  // nothing deactivated
    BOOST_TEST(stack.count("not is_active") == 0);
    const auto runs = stack.run_ids();
    BOOST_TEST_REQUIRE(runs.size() == 2u);
    BOOST_TEST(stack.run_value(runs[1], "status") == "failed");
    BOOST_TEST(stack.run_value(runs[1], "deactivated") == "0");
    // Pages fetched before the refusal are kept. A job shared by two queries may now hold
    // another query's copy, when the stop came before the page with its winning copy (a
    // sequential run would not have fetched the other): the only difference a stop can make.
    // Every other row is as it was.
    const auto after = rows_without_timestamps(stack);
    BOOST_TEST_REQUIRE(after.size() == before.size());
    for (std::size_t i = 0; i < after.size(); ++i) {
        if (after[i] == before[i]) continue;
        BOOST_TEST((after[i].find("\"job_title\": \"copy in ") != std::string::npos ||
                    after[i].find("\"job_title\": \"late copy") != std::string::npos),
                   after[i]);
    }
}

BOOST_AUTO_TEST_CASE(max_requests_holds_with_queries_in_flight) {
    ServiceStack stack;
    std::vector<std::string> shared_ids;
    const auto texts = set_feed(stack, shared_ids);
    const std::map<std::string, std::string> env{{"JSEARCH_QUERIES", queries_env(texts)}};
    const std::vector<std::string> args{"--pages",       "3", "--pages-per-request", "1",
                                        "--concurrency", "4", "--max-rps",           "1000"};
    BOOST_TEST_REQUIRE(stack.sync(args, env).exit_code == 0);
    stack.jsearch().set_jobs(query_text(kQueries - 1), {});
    stack.jsearch().set_random_latency(0ms, 20ms, 4);
    const long quota_before = stack.jsearch().quota_remaining();

    auto capped = args;
    capped.insert(capped.end(), {"--max-requests", "5"});
    const auto result = stack.sync(capped, env);

    BOOST_TEST(result.exit_code == 7);
    BOOST_TEST(quota_before - stack.jsearch().quota_remaining() <= 5);  // billed by the stand-in
    BOOST_TEST(stack.count("not is_active") == 0);
    BOOST_TEST(stack.run_value(stack.run_ids().back(), "status") == "failed");
}

// Batches cut on the runner's thread, upserted by 1 or by 4 workers at once: the same table,
// row by row, and the same counts in the run record.
BOOST_AUTO_TEST_CASE(four_upsert_workers_leave_the_table_one_worker_leaves) {
    ServiceStack stack;
    std::vector<std::string> shared_ids;
    const auto texts = set_feed(stack, shared_ids);
    const std::map<std::string, std::string> env{{"JSEARCH_QUERIES", queries_env(texts)}};
    const std::vector<std::string> args{"--pages",       "3", "--pages-per-request", "1",
                                        "--concurrency", "4", "--max-rps",           "1000",
                                        "--batch-size",  "7"};
    stack.jsearch().set_random_latency(0ms, 10ms, 5);

    auto one = args;
    one.insert(one.end(), {"--upsert-concurrency", "1"});
    BOOST_TEST_REQUIRE(stack.sync(one, env).exit_code == 0);
    const auto with_one = rows_without_timestamps(stack, false);
    BOOST_TEST(with_one.size() == std::size_t{kQueries * 20});
    for (const auto& id : shared_ids) {
        BOOST_TEST(stack.value(id, "job_title").find("copy") == std::string::npos);
    }

    stack.db().exec("truncate public.jobs");
    auto four = args;
    four.insert(four.end(), {"--upsert-concurrency", "4"});
    const auto result = stack.sync(four, env);
    BOOST_TEST_INFO(result.out << result.err);
    BOOST_TEST_REQUIRE(result.exit_code == 0);
    BOOST_TEST(rows_without_timestamps(stack, false) == with_one, boost::test_tools::per_element());
    BOOST_TEST(stack.count("is_active") == kQueries * 20);
    const auto runs = stack.run_ids();
    BOOST_TEST_REQUIRE(runs.size() == 2u);
    for (const char* column : {"jobs_fetched", "requests", "status"}) {
        BOOST_TEST_INFO(column);
        BOOST_TEST(stack.run_value(runs[1], column) == stack.run_value(runs[0], column));
    }
    // Rows written: every job once, plus those sent again when an earlier query's copy came
    // after a later one's (which depends on timing).
    for (const auto& run : runs) {
        BOOST_TEST(std::stol(stack.run_value(run, "rows_upserted")) >= kQueries * 20);
    }
}

// One batch refused (a schema error, not retried, not bisected) while three others are in
// flight: every other batch is stored, but nothing is deactivated.
BOOST_AUTO_TEST_CASE(one_failing_batch_among_concurrent_ones_still_blocks_the_sweep) {
    ServiceStack stack;
    std::vector<std::string> shared_ids;
    const auto texts = set_feed(stack, shared_ids);
    const std::map<std::string, std::string> env{{"JSEARCH_QUERIES", queries_env(texts)}};
    const std::vector<std::string> args{
        "--pages",   "3",    "--pages-per-request", "1", "--concurrency",        "4",
        "--max-rps", "1000", "--batch-size",        "7", "--upsert-concurrency", "4"};
    BOOST_TEST_REQUIRE(stack.sync(args, env).exit_code == 0);

    // The next feed lost a query's jobs: a finished run would deactivate them.
    stack.jsearch().set_jobs(query_text(kQueries - 1), {});
    std::atomic<int> posts{0};
    stack.gateway().set_before_request([&](const RecordedRequest& request) {
        if (request.method == "POST" && request.path == "/rest/v1/jobs" && ++posts == 3) {
            stack.gateway().inject_fault(
                "POST", 1,
                Reply{
                    400,
                    {{"Content-Type", "application/json; charset=utf-8"}},
                    R"({"code":"PGRST204","message":"Could not find the 'x' column of 'jobs' in the schema cache","details":null,"hint":null})"});
        }
    });
    const auto result = stack.sync(args, env);
    stack.gateway().set_before_request(nullptr);
    BOOST_TEST_INFO(result.out << result.err);

    BOOST_TEST(result.exit_code == 1);
    BOOST_TEST(posts.load() >= 10);  // the other batches went on
    BOOST_TEST(stack.count("not is_active") == 0);
    BOOST_TEST(stack.count("is_active") == kQueries * 20);
    const auto runs = stack.run_ids();
    BOOST_TEST_REQUIRE(runs.size() == 2u);
    BOOST_TEST(stack.run_value(runs[1], "status") == "failed");
    BOOST_TEST(stack.run_value(runs[1], "deactivated") == "0");
    // 5 queries x 20 own jobs + 5 copies of the lost query's jobs... minus one batch of 7; more
    // when a job was sent again (an earlier query's copy arriving after a later one's).
    BOOST_TEST(std::stol(stack.run_value(runs[1], "rows_upserted")) >= kQueries * 20 - 20 - 7);
}

// The dry run fetches as the real run does: --concurrency requests at once, pages in any order
// and deduplicated by rank, so its report is the sequential one.
BOOST_AUTO_TEST_CASE(
    a_concurrent_dry_run_asks_queries_at_once_and_reports_what_a_sequential_one_does) {
    ServiceStack stack;
    std::vector<std::string> shared_ids;
    const auto texts = set_feed(stack, shared_ids);
    const std::map<std::string, std::string> env{{"JSEARCH_QUERIES", queries_env(texts)}};
    const std::vector<std::string> pages{"--pages", "3", "--pages-per-request", "1"};
    BOOST_TEST_REQUIRE(stack.sync(pages, env).exit_code == 0);
    // Something for each part of the plan: a row to insert, one to reactivate, one to sweep.
    stack.db().exec("delete from public.jobs where job_id = '" + shared_ids[0] + "'");
    stack.db().exec("update public.jobs set is_active = false where job_id = '" + shared_ids[1] +
                    "'");
    stack.db().exec(
        "insert into public.jobs (job_id, job_title, is_active, last_seen) values "
        "('gone-1', 'Gone Engineer', true, now() - interval '2 days')");

    auto args = pages;
    args.insert(args.end(), {"--dry-run", "--log-format", "json", "--concurrency", "1"});
    const auto sequential = stack.sync(args, env);
    BOOST_TEST_INFO(sequential.out << sequential.err);
    BOOST_TEST_REQUIRE(sequential.exit_code == 0);

    const std::size_t seen = stack.jsearch().requests().size();
    stack.jsearch().set_latency(500ms);
    args = pages;
    args.insert(args.end(),
                {"--dry-run", "--log-format", "json", "--concurrency", "6", "--max-rps", "1000"});
    const auto concurrent = stack.sync(args, env);
    BOOST_TEST_INFO(concurrent.out << concurrent.err);
    BOOST_TEST_REQUIRE(concurrent.exit_code == 0);

    BOOST_TEST(dry_report_without_run_fields(concurrent.out) ==
               dry_report_without_run_fields(sequential.out));
    BOOST_TEST(concurrent.out.find(R"("would_insert":{"count":1)") != std::string::npos);
    // Six first requests before any answer came back (each takes 500 ms): one after another,
    // the sixth would have come 2.5 s after the first.
    const auto requests = stack.jsearch().requests();
    BOOST_TEST_REQUIRE(requests.size() == seen + kQueries * 3);
    const auto spread = std::chrono::duration_cast<std::chrono::milliseconds>(
        requests[seen + kQueries - 1].received_at - requests[seen].received_at);
    BOOST_TEST(spread.count() < 400);
}

// Pages now come in any order across queries: a later query's page that arrives first with a
// copy of an earlier query's job does not make that copy the one reported.
BOOST_AUTO_TEST_CASE(a_dry_run_reports_the_earlier_querys_copy_though_the_later_page_came_first) {
    ServiceStack stack;
    const auto early = generate_jobs(5, "early");
    auto late = generate_jobs(5, "late");
    late.insert(late.begin(), with_title(early[0], "copy in the late query"));
    stack.jsearch().set_jobs("early query", early);
    stack.jsearch().set_jobs("late query", late);
    stack.jsearch().set_query_latency("early query", 800ms);
    const std::map<std::string, std::string> env{{"JSEARCH_QUERIES", "early query;late query"}};

    const auto dry = stack.sync({"--dry-run", "--log-format", "json", "--pages", "1",
                                 "--concurrency", "2", "--max-rps", "1000"},
                                env);
    BOOST_TEST_INFO(dry.out << dry.err);
    BOOST_TEST_REQUIRE(dry.exit_code == 0);
    // Both asked at once, so the late query's page (answered at once) came 800 ms before the
    // early query's.
    const auto requests = stack.jsearch().requests();
    BOOST_TEST_REQUIRE(requests.size() == 2u);
    const auto apart = std::chrono::abs(std::chrono::duration_cast<std::chrono::milliseconds>(
        requests[1].received_at - requests[0].received_at));
    BOOST_TEST(apart.count() < 400);

    rapidjson::Document report;
    report.Parse(dry.out.c_str());
    BOOST_TEST_REQUIRE((!report.HasParseError() && report.IsObject()));
    BOOST_TEST(report["duplicates"].GetUint64() == 1u);
    const auto& insert = report["would_insert"];
    BOOST_TEST(insert["count"].GetInt64() == 10);
    const auto& first = insert["examples"][0];
    BOOST_TEST(std::string(first["job_id"].GetString()) == job_id_of(early[0]));
    rapidjson::Document original;
    original.Parse(early[0].c_str());
    BOOST_TEST(std::string(first["title"].GetString()) == original["job_title"].GetString());

    // And the report is the one a sequential run gives.
    const auto sequential = stack.sync(
        {"--dry-run", "--log-format", "json", "--pages", "1", "--concurrency", "1"}, env);
    BOOST_TEST_REQUIRE(sequential.exit_code == 0);
    BOOST_TEST(dry_report_without_run_fields(dry.out) ==
               dry_report_without_run_fields(sequential.out));
}

BOOST_AUTO_TEST_CASE(a_dry_run_keeps_to_max_requests) {
    ServiceStack stack;
    std::vector<std::string> shared_ids;
    const auto texts = set_feed(stack, shared_ids);
    const std::map<std::string, std::string> env{{"JSEARCH_QUERIES", queries_env(texts)}};
    const long quota_before = stack.jsearch().quota_remaining();

    const auto dry = stack.sync({"--dry-run", "--pages", "3", "--pages-per-request", "1",
                                 "--concurrency", "4", "--max-rps", "1000", "--max-requests", "5"},
                                env);
    BOOST_TEST_INFO(dry.out << dry.err);
    BOOST_TEST(quota_before - stack.jsearch().quota_remaining() <= 5);  // billed by the stand-in
    BOOST_TEST(dry.out.find("--max-requests 5") != std::string::npos);
    BOOST_TEST(dry.exit_code == 7);  // as a real run stopped by its budget
    BOOST_TEST(stack.count() == 0);  // and nothing written
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_AUTO_TEST_SUITE(concurrent_process)

// Against the real binary and real time: a 429 with Retry-After: 1 pauses every worker, so
// the stand-in sees a second without requests although other queries still had pages to ask.
BOOST_AUTO_TEST_CASE(a_429_pauses_every_request_of_the_run_not_only_the_throttled_one) {
    ServiceStack stack;
    std::vector<std::string> texts;
    for (int i = 0; i < 30; ++i) {
        texts.push_back("paced " + std::to_string(i));
        stack.jsearch().set_jobs(texts.back(), generate_jobs(15, texts.back()));
    }
    stack.jsearch().set_latency(200ms);
    stack.jsearch().script(
        ScriptedReply{429,
                      {{"Content-Type", "application/json"}, {"Retry-After", "1"}},
                      R"({"message":"Too many requests"})",
                      texts[1]});
    auto env = stack.environment({{"JSEARCH_QUERIES", queries_env(texts)},
                                  {"JOBSYNC_CONCURRENCY", "4"},
                                  {"JOBSYNC_MAX_RPS", "1000"}});
    MeasuredRun child({"--pages", "2", "--pages-per-request", "1", "--log-level", "info"},
                      {env.begin(), env.end()});
    const auto result = child.wait(30s);
    BOOST_TEST_INFO(result.out << result.err);
    BOOST_TEST_REQUIRE(result.exit_code == 0);
    BOOST_TEST(result.err.find("no request is sent for 1000 ms") != std::string::npos);
    BOOST_TEST(stack.count("is_active") == 30 * 15);

    auto requests = stack.jsearch().requests();
    BOOST_TEST_REQUIRE(requests.size() == 61u);  // 30 queries x 2 pages, and one retry
    std::sort(requests.begin(), requests.end(),
              [](const auto& a, const auto& b) { return a.received_at < b.received_at; });
    auto longest_silence = 0ms;
    for (std::size_t i = 1; i < requests.size(); ++i) {
        longest_silence =
            std::max(longest_silence, std::chrono::duration_cast<std::chrono::milliseconds>(
                                          requests[i].received_at - requests[i - 1].received_at));
    }
    BOOST_TEST_MESSAGE("longest silence: " << longest_silence.count() << " ms");
    // Without the shared pause the other three workers go on asking every ~200 ms, so far less
    // than a second passes without a request.
    BOOST_TEST(longest_silence.count() >= 900);
}

// Every worker is waiting on a JSearch that never answers; SIGTERM still ends the run at once,
// starts no further request and deactivates nothing.
BOOST_AUTO_TEST_CASE(sigterm_during_concurrent_fetching_exits_143_and_sends_nothing_more) {
    ServiceStack stack;
    BOOST_TEST_REQUIRE(stack.sync().exit_code == 0);
    const auto before = rows_without_timestamps(stack);
    RawServer hung([](int fd, const RawServer& server) {
        RawServer::read_head(fd);
        server.pause(60000);
    });
    std::vector<std::string> texts;
    for (int i = 0; i < 8; ++i) texts.push_back(query_text(i));
    auto env = stack.environment({{"JSEARCH_BASE_URL", hung.base_url()},
                                  {"JSEARCH_QUERIES", queries_env(texts)},
                                  {"JOBSYNC_CONCURRENCY", "4"},
                                  {"JOBSYNC_MAX_RPS", "1000"}});
    MeasuredRun child({"--log-level", "info"}, {env.begin(), env.end()});
    for (int i = 0; i < 500 && hung.connections() < 4; ++i) std::this_thread::sleep_for(10ms);
    BOOST_TEST_REQUIRE(hung.connections() == 4);
    const auto result = child.interrupt(SIGTERM, 5s);
    BOOST_TEST_INFO(result.out << result.err);
    BOOST_TEST(result.exit_code == 143);
    BOOST_TEST((result.since_signal < 2s));
    BOOST_TEST(hung.connections() == 4);  // no query started after the signal
    BOOST_TEST(rows_without_timestamps(stack) == before, boost::test_tools::per_element());
    BOOST_TEST(stack.count("not is_active") == 0);
    BOOST_TEST(stack.run_value(stack.run_ids().back(), "status") == "cancelled");
}

BOOST_AUTO_TEST_SUITE_END()
