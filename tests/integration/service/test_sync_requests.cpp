// What job-sync sends over real HTTP, and how it copes when either remote service misbehaves.
// The stand-ins record every request, so these tests assert the exact wire traffic.
#include <rapidjson/document.h>

#include <algorithm>
#include <boost/test/unit_test.hpp>
#include <functional>

#include "integration/service/service_stack.hpp"
#include "jobs/job_row.hpp"
#include "support/form_decoding.hpp"

using namespace jobsync::testing;
using std::chrono::milliseconds;

namespace {

std::vector<RecordedRequest> requests_with_method(const RestGateway& gateway,
                                                  const std::string& method) {
    std::vector<RecordedRequest> matching;
    for (const auto& request : gateway.requests()) {
        if (request.method == method) matching.push_back(request);
    }
    return matching;
}

// The upserts: POSTs to the table (the lease and the run record are POSTs to rpc/).
std::vector<RecordedRequest> jobs_posts(const RestGateway& gateway) {
    std::vector<RecordedRequest> posts;
    for (const auto& request : requests_with_method(gateway, "POST")) {
        if (request.path == "/rest/v1/jobs") posts.push_back(request);
    }
    return posts;
}

std::string job_of(const std::vector<std::string>& jobs, std::size_t index) {
    return jobs.at(index);
}

// The decoded value of query parameter `name`, "<absent>" when not sent.
std::string param(const FormPairs& params, const std::string& name) {
    for (const auto& [key, value] : params) {
        if (key == name) return value;
    }
    return "<absent>";
}

bool contains(const std::string& text, const std::string& part) {
    return text.find(part) != std::string::npos;
}

}  // namespace

BOOST_AUTO_TEST_SUITE(sync_over_http)

BOOST_AUTO_TEST_CASE(jsearch_is_asked_with_the_documented_url_and_rapidapi_headers) {
    ServiceStack stack;
    auto result = stack.sync({"--query", "developer jobs in chicago", "--pages", "2", "--country",
                              "us", "--date-posted", "week", "--remote-only"},
                             {{"JSEARCH_QUERIES", ""}});
    BOOST_TEST_INFO(result.err);
    BOOST_TEST(result.exit_code == 0);

    auto requests = stack.jsearch().requests();
    BOOST_TEST_REQUIRE(requests.size() == 1u);  // 2 pages in one request (num_pages=2)
    const auto& request = requests.front();
    BOOST_TEST(request.method == "GET");
    BOOST_TEST(request.path == "/search");
    BOOST_TEST(contains(request.raw_query, "query=developer%20jobs%20in%20chicago"));
    auto params = parse_form_pairs(request.raw_query);
    BOOST_TEST(param(params, "page") == "1");
    BOOST_TEST(param(params, "num_pages") == "2");
    BOOST_TEST(param(params, "country") == "us");
    BOOST_TEST(param(params, "date_posted") == "week");
    BOOST_TEST(param(params, "work_from_home") == "true");
    BOOST_TEST(request.header("X-RapidAPI-Key").value_or("") == "local-jsearch-key");
    BOOST_TEST(request.header("X-RapidAPI-Host").value_or("") == "jsearch.p.rapidapi.com");
    // The feed holds 10 jobs: fewer than the 20 asked for, so the query stops there, and
    // the summary reports what JSearch bills (num_pages 2 costs 2 requests).
    BOOST_TEST(contains(result.out, "billed"));
}

BOOST_AUTO_TEST_CASE(upsert_is_a_merge_duplicates_post_carrying_only_the_sync_columns) {
    ServiceStack stack;
    auto result = stack.sync();
    BOOST_TEST_INFO(result.err);
    BOOST_TEST(result.exit_code == 0);

    auto posts = jobs_posts(stack.gateway());
    BOOST_TEST_REQUIRE(posts.size() == 1u);  // 20 rows fit the default batch of 200
    const auto& post = posts.front();
    BOOST_TEST(post.path == "/rest/v1/jobs");
    auto params = parse_form_pairs(post.raw_query);
    BOOST_TEST(param(params, "on_conflict") == "job_id");
    std::string columns;
    for (auto column : jobsync::jobs::kSyncColumns) {
        columns += (columns.empty() ? "" : ",") + std::string(column);
    }
    BOOST_TEST(param(params, "columns") == columns);
    const std::string prefer = post.header("Prefer").value_or("");
    BOOST_TEST(contains(prefer, "resolution=merge-duplicates"));
    BOOST_TEST(contains(prefer, "return=minimal"));
    BOOST_TEST(contains(post.header("Content-Type").value_or(""), "application/json"));
    BOOST_TEST(post.header("apikey").value_or("") == stack.service_role_key());
    BOOST_TEST(post.header("Authorization").value_or("") == "Bearer " + stack.service_role_key());

    rapidjson::Document body;
    body.Parse(post.body.c_str());
    BOOST_TEST_REQUIRE(body.IsArray());
    BOOST_TEST(body.Size() == 20u);
    for (const auto& row : body.GetArray()) {
        BOOST_TEST_REQUIRE(row.IsObject());
        BOOST_TEST(row.MemberCount() == jobsync::jobs::kSyncColumns.size());
        std::size_t index = 0;
        for (const auto& member : row.GetObject()) {
            BOOST_TEST(member.name.GetString() ==
                       std::string(jobsync::jobs::kSyncColumns[index++]));
        }
        BOOST_TEST(!row.HasMember("click_count"));
        BOOST_TEST(!row.HasMember("lane"));
        BOOST_TEST(row["is_active"].IsTrue());
    }
    // One last_seen for the whole run.
    BOOST_TEST(std::string(body[0]["last_seen"].GetString()) ==
               std::string(body[19]["last_seen"].GetString()));
}

BOOST_AUTO_TEST_CASE(sweep_is_a_filtered_counted_patch_sent_after_the_upserts) {
    ServiceStack stack;
    BOOST_TEST_REQUIRE(stack.sync().exit_code == 0);
    stack.gateway().clear_requests();
    stack.jsearch().set_jobs(ServiceStack::kPython, {job_of(ServiceStack::python_jobs(), 0)});
    auto result = stack.sync();  // 9 python jobs vanish: under half of 20
    BOOST_TEST_INFO(result.out << result.err);
    BOOST_TEST(result.exit_code == 0);

    // The lease first, then the upsert, the guard's two counts, the sweep, the run record.
    std::vector<std::string> calls;
    for (const auto& request : stack.gateway().requests()) {
        calls.push_back(request.method + " " + request.path);
    }
    const std::vector<std::string> expected = {"POST /rest/v1/rpc/job_sync_begin",
                                               "POST /rest/v1/jobs",
                                               "POST /rest/v1/rpc/job_sync_heartbeat",
                                               "GET /rest/v1/jobs",
                                               "GET /rest/v1/jobs",
                                               "PATCH /rest/v1/jobs",
                                               "POST /rest/v1/rpc/job_sync_finish"};
    BOOST_TEST(calls == expected, boost::test_tools::per_element());
    const auto requests = stack.gateway().requests();
    BOOST_TEST_REQUIRE(requests.size() == expected.size());
    const auto& patch = requests[5];
    auto params = parse_form_pairs(patch.raw_query);
    BOOST_TEST(param(params, "is_active") == "eq.true");
    // The cut-off is the run's start, the value every upserted row carries as last_seen, and
    // rows never stamped (NULL) are reached too.
    rapidjson::Document upserted;
    upserted.Parse(requests[1].body.c_str());
    const std::string stamp = upserted[0]["last_seen"].GetString();
    BOOST_TEST(param(params, "or") == "(last_seen.is.null,last_seen.lt.\"" + stamp + "\")");
    BOOST_TEST(!contains(patch.raw_query, "+"));
    BOOST_TEST(!contains(patch.raw_query, "\""));
    BOOST_TEST(patch.header("Prefer").value_or("") ==
               "return=minimal,count=exact,handling=strict,max-affected=10");
    rapidjson::Document body;
    body.Parse(patch.body.c_str());
    BOOST_TEST_REQUIRE(body.IsObject());
    BOOST_TEST(body.MemberCount() == 1u);
    BOOST_TEST(body["is_active"].IsFalse());
    // The stamp is the database's start time of the run.
    BOOST_TEST(stack.count("last_seen = (select started_at from public.job_sync_runs "
                           "order by id desc limit 1)") == 11);

    BOOST_TEST(stack.count("not is_active") == 9);
    BOOST_TEST(stack.count("is_active") == 11);
    BOOST_TEST(contains(result.out, "deactivated    9"));
}

BOOST_AUTO_TEST_CASE(a_429_with_retry_after_is_waited_out_then_the_fetch_succeeds) {
    ServiceStack stack;
    stack.jsearch().script({429, {{"Retry-After", "2"}}, R"({"message":"Too many requests"})", ""});
    auto result = stack.sync();
    BOOST_TEST_INFO(result.err);
    BOOST_TEST(result.exit_code == 0);
    BOOST_TEST_REQUIRE(stack.sleeper().sleeps.size() == 1u);
    BOOST_TEST(stack.sleeper().sleeps[0].count() == 2000);
    BOOST_TEST(stack.count("is_active") == 20);
}

BOOST_AUTO_TEST_CASE(a_503_then_200_is_retried_after_the_first_backoff_step) {
    ServiceStack stack;
    stack.jsearch().script({503, {}, "upstream unavailable", ServiceStack::kChicago});
    auto result = stack.sync();
    BOOST_TEST(result.exit_code == 0);
    BOOST_TEST_REQUIRE(stack.sleeper().sleeps.size() == 1u);
    BOOST_TEST(stack.sleeper().sleeps[0].count() == 100);  // zero jitter: exactly the base
    BOOST_TEST(stack.jsearch().requests().size() == 3u);   // chicago twice, python once
}

BOOST_AUTO_TEST_CASE(three_503s_fail_the_query_and_the_sweep_is_skipped) {
    ServiceStack stack;
    BOOST_TEST_REQUIRE(stack.sync().exit_code == 0);
    for (int i = 0; i < 3; ++i) stack.jsearch().script({503, {}, "", ServiceStack::kChicago});
    stack.jsearch().set_jobs(ServiceStack::kPython, {});
    stack.gateway().clear_requests();
    auto result = stack.sync();
    BOOST_TEST(result.exit_code == 1);
    std::vector<long> waits;
    for (auto sleep : stack.sleeper().sleeps) waits.push_back(sleep.count());
    BOOST_TEST(waits == (std::vector<long>{100, 200}), boost::test_tools::per_element());
    BOOST_TEST(requests_with_method(stack.gateway(), "PATCH").empty());
    BOOST_TEST(stack.count("is_active") == 20);  // nothing deactivated on a bad day
}

BOOST_AUTO_TEST_CASE(a_401_from_jsearch_ends_the_run_with_exit_3_naming_the_key) {
    ServiceStack stack;
    auto result = stack.sync({}, {{"JSEARCH_API_KEY", "not-the-right-key"}});
    BOOST_TEST(result.exit_code == 3);
    BOOST_TEST(contains(result.out + result.err, "JSEARCH_API_KEY"));
    BOOST_TEST(!contains(result.out + result.err, "not-the-right-key"));
    BOOST_TEST(stack.jsearch().requests().size() == 1u);  // not retried, next query not tried
    for (const auto& request : stack.gateway().requests()) {
        BOOST_TEST(request.path != "/rest/v1/jobs");  // the lease and the record only
    }
}

BOOST_AUTO_TEST_CASE(an_html_error_page_fails_the_query_and_skips_the_sweep) {
    ServiceStack stack;
    stack.jsearch().script({502,
                            {{"Content-Type", "text/html"}},
                            "<html><body><h1>502 Bad Gateway</h1></body></html>",
                            ServiceStack::kPython});
    stack.jsearch().script({200,
                            {{"Content-Type", "text/html"}},
                            "<!DOCTYPE html><html>maintenance</html>",
                            ServiceStack::kPython});
    stack.jsearch().script({200,
                            {{"Content-Type", "text/html"}},
                            "<!DOCTYPE html><html>maintenance</html>",
                            ServiceStack::kPython});
    auto result = stack.sync();
    BOOST_TEST(result.exit_code == 1);
    BOOST_TEST(contains(result.out, "HTML"));
    BOOST_TEST(requests_with_method(stack.gateway(), "PATCH").empty());
    BOOST_TEST(stack.count() == 10);  // the chicago jobs were still upserted
}

BOOST_AUTO_TEST_CASE(truncated_json_fails_the_query_and_skips_the_sweep) {
    ServiceStack stack;
    stack.jsearch().script({200,
                            {{"Content-Type", "application/json"}},
                            R"({"status":"OK","request_id":"x","data":[{"job_id":"abc)",
                            ServiceStack::kChicago});
    auto result = stack.sync();
    BOOST_TEST(result.exit_code == 1);
    BOOST_TEST(contains(result.out, "developer jobs in chicago"));
    BOOST_TEST(requests_with_method(stack.gateway(), "PATCH").empty());
    BOOST_TEST(stack.count() == 10);
}

BOOST_AUTO_TEST_CASE(a_secret_key_goes_in_apikey_only) {
    ServiceStack stack;
    auto result = stack.sync({}, {{"SUPABASE_SERVICE_ROLE_KEY", "sb_secret_local_stand_in_key"}});
    BOOST_TEST_INFO(result.err);
    BOOST_TEST(result.exit_code == 0);
    for (const auto& request : stack.gateway().requests()) {
        BOOST_TEST(request.header("apikey").value_or("") == "sb_secret_local_stand_in_key");
        BOOST_TEST(!request.header("Authorization").has_value());
    }
    BOOST_TEST(stack.count("is_active") == 20);
}

BOOST_AUTO_TEST_CASE(a_postgrest_503_on_a_batch_is_retried_and_the_run_completes) {
    ServiceStack stack;
    bool injected = false;
    stack.gateway().set_before_request([&](const RecordedRequest& request) {
        if (request.method == "POST" && request.path == "/rest/v1/jobs" && !injected) {
            injected = true;
            stack.gateway().inject_fault(
                "POST", 1,
                Reply{
                    503,
                    {{"Content-Type", "application/json; charset=utf-8"}},
                    R"({"code":"PGRST001","message":"Database client error. Retrying the connection.","details":null,"hint":null})"});
        }
    });
    auto result = stack.sync();
    stack.gateway().set_before_request(nullptr);
    BOOST_TEST(result.exit_code == 0);
    BOOST_TEST(jobs_posts(stack.gateway()).size() == 2u);
    BOOST_TEST(stack.count("is_active") == 20);
}

BOOST_AUTO_TEST_CASE(batches_are_cut_at_the_batch_size) {
    ServiceStack stack;
    auto result = stack.sync({"--batch-size", "7"});
    BOOST_TEST(result.exit_code == 0);
    auto posts = jobs_posts(stack.gateway());
    BOOST_TEST_REQUIRE(posts.size() == 3u);  // 20 rows: 7 + 7 + 6
    std::vector<std::size_t> sizes;
    for (const auto& post : posts) {
        rapidjson::Document body;
        body.Parse(post.body.c_str());
        sizes.push_back(body.Size());
    }
    // Upsert workers send batches side by side: they may arrive in any order.
    std::sort(sizes.begin(), sizes.end(), std::greater<>());
    BOOST_TEST(sizes == (std::vector<std::size_t>{7, 7, 6}), boost::test_tools::per_element());
    BOOST_TEST(stack.count() == 20);
}

BOOST_AUTO_TEST_CASE(the_same_job_under_two_queries_is_sent_once) {
    ServiceStack stack;
    auto shared = ServiceStack::chicago_jobs();
    auto python = ServiceStack::python_jobs();
    python.insert(python.begin(), shared.begin(), shared.begin() + 3);
    stack.jsearch().set_jobs(ServiceStack::kPython, python);
    auto result = stack.sync({"--pages", "2"});
    BOOST_TEST(result.exit_code == 0);
    auto posts = jobs_posts(stack.gateway());
    BOOST_TEST_REQUIRE(posts.size() == 1u);
    rapidjson::Document body;
    body.Parse(posts[0].body.c_str());
    BOOST_TEST(body.Size() == 20u);  // 23 fetched, 3 duplicates dropped
    BOOST_TEST(stack.count() == 20);
}

BOOST_AUTO_TEST_CASE(keys_never_appear_in_the_output) {
    ServiceStack stack;
    stack.jsearch().script({500, {}, "boom", ""});
    auto result = stack.sync({"--log-level", "trace"});
    BOOST_TEST(!result.log.empty());
    const std::string all = result.out + result.err + result.log;
    BOOST_TEST(!contains(all, stack.service_role_key()));
    BOOST_TEST(!contains(all, "local-jsearch-key"));
}

BOOST_AUTO_TEST_SUITE_END()
