// Issue 7 in-process: a spent JSearch quota, --max-requests, keys refused before any request
// (plain http to a remote host, credentials in a URL, an expired service-role JWT).
#include <rapidjson/document.h>

#include <boost/test/unit_test.hpp>
#include <set>

#include "integration/service/service_stack.hpp"
#include "integration/service/table_snapshot.hpp"

using namespace jobsync::testing;

namespace {

bool contains(const std::string& text, const std::string& part) {
    return text.find(part) != std::string::npos;
}

// A first, complete sync, then two users' engagement on the rows, so later runs have
// something to lose.
std::vector<std::string> seeded(ServiceStack& stack) {
    const auto first = stack.sync();
    BOOST_TEST_REQUIRE(first.exit_code == 0);
    stack.db().exec(
        "update public.jobs set click_count = 7, lane = 'applied' where job_id in "
        "(select job_id from public.jobs order by job_id limit 2)");
    return table_rows(stack.db());
}

}  // namespace

BOOST_AUTO_TEST_SUITE(run_bounds)

BOOST_AUTO_TEST_CASE(a_spent_monthly_quota_stops_at_once_with_exit_7_and_no_sweep) {
    ServiceStack stack;
    const auto before = seeded(stack);
    const auto sent_before = stack.jsearch().requests().size();
    // The quota runs out after the first query's single request: RapidAPI answers the second
    // with 429 "You have exceeded the MONTHLY quota..." and x-ratelimit-requests-remaining: 0.
    JsearchStandinOptions options;
    options.quota = 1;
    JsearchStandin limited(options);
    limited.set_jobs(ServiceStack::kChicago, ServiceStack::chicago_jobs());
    limited.set_jobs(ServiceStack::kPython, ServiceStack::python_jobs());
    const auto result =
        stack.sync({"--pages-per-request", "1"},
                   {{"JSEARCH_BASE_URL", limited.base_url()},
                    {"JSEARCH_QUERIES", std::string(ServiceStack::kChicago) + ";" +
                                            ServiceStack::kPython + ";third query;fourth query"}});
    BOOST_TEST_INFO(result.out << result.log);
    BOOST_TEST(result.exit_code == 7);
    // One request used the last of the quota; it said remaining 0, so nothing more was sent.
    BOOST_TEST(limited.requests().size() == 1u);
    BOOST_TEST(stack.jsearch().requests().size() == sent_before);
    BOOST_TEST(contains(result.out, "JSearch quota spent"));
    BOOST_TEST(contains(result.out, "resets in 30 days"));
    BOOST_TEST(contains(result.out, "sweep skipped"));
    BOOST_TEST(stack.sleeper().sleeps.empty());  // nothing retried
    // The fetched page was upserted (last_seen moves for Chicago's rows); nothing else changed
    // and nothing was deactivated.
    BOOST_TEST(stack.count("not is_active") == 0);
    BOOST_TEST(stack.count("click_count = 7 and lane = 'applied'") == 2);
    // The rows of the query never fetched are untouched, row by row; Chicago's were upserted
    // again (a new last_seen), their engagement kept.
    std::set<std::string> chicago;
    for (const auto& job : ServiceStack::chicago_jobs()) {
        rapidjson::Document parsed;
        parsed.Parse(job.c_str());
        chicago.insert(parsed["job_id"].GetString());
    }
    const auto not_chicago = [&chicago](const std::vector<std::string>& rows) {
        std::vector<std::string> kept;
        for (const auto& row : rows) {
            if (chicago.count(row.substr(0, row.find('|'))) == 0) kept.push_back(row);
        }
        return kept;
    };
    const auto after = table_rows(stack.db());
    BOOST_TEST(after.size() == before.size());
    BOOST_TEST(not_chicago(after).size() == 10u);
    BOOST_TEST(not_chicago(after) == not_chicago(before), boost::test_tools::per_element());
}

BOOST_AUTO_TEST_CASE(an_exhausted_quota_429_is_not_retried_and_the_table_is_untouched) {
    ServiceStack stack;
    const auto before = seeded(stack);
    JsearchStandinOptions options;
    options.quota = 0;
    JsearchStandin spent(options);
    const auto result = stack.sync({}, {{"JSEARCH_BASE_URL", spent.base_url()}});
    BOOST_TEST_INFO(result.out << result.log);
    BOOST_TEST(result.exit_code == 7);
    BOOST_TEST(spent.requests().size() == 1u);  // not 3 attempts, not the second query
    BOOST_TEST(stack.sleeper().sleeps.empty());
    BOOST_TEST(contains(result.out, "quota exhausted"));
    BOOST_TEST(contains(result.out, "You have exceeded the MONTHLY quota"));
    BOOST_TEST(contains(result.out, "resets in 30 days 0 h 0 min"));
    BOOST_TEST(contains(result.out, "1 not run"));
    BOOST_TEST(table_rows(stack.db()) == before, boost::test_tools::per_element());
    const auto last_run = stack.run_ids().back();
    BOOST_TEST(stack.run_value(last_run, "status") == "failed");
    BOOST_TEST(contains(stack.run_value(last_run, "error"), "quota exhausted"));
}

BOOST_AUTO_TEST_CASE(max_requests_stops_before_the_request_that_would_pass_it) {
    ServiceStack stack;
    // Each query bills 2 (num_pages 3); a cap of 3 lets the first through, not the second.
    const auto result = stack.sync({"--pages", "3", "--max-requests", "3"});
    BOOST_TEST_INFO(result.out << result.log);
    BOOST_TEST(result.exit_code == 7);
    BOOST_TEST(stack.jsearch().requests().size() == 1u);
    BOOST_TEST(contains(result.out, "--max-requests 3 reached: 2 billed so far"));
    BOOST_TEST(contains(result.out, "requests       1 (billed 2)"));
    BOOST_TEST(contains(result.out, "sweep skipped"));
    BOOST_TEST(stack.count() == 10);  // the first query's jobs, upserted
    BOOST_TEST(stack.count("not is_active") == 0);
}

BOOST_AUTO_TEST_CASE(the_planned_cost_is_logged_before_the_first_request) {
    ServiceStack stack;
    const auto result = stack.sync({"--log-level", "info", "--pages", "3"});
    BOOST_TEST_INFO(result.log);
    BOOST_TEST(contains(result.log, "this run plans 4 billed request(s)"));
    BOOST_TEST(result.log.find("this run plans") < result.log.find("query '"));
}

BOOST_AUTO_TEST_CASE(plain_http_to_a_remote_host_is_refused_before_any_request) {
    ServiceStack stack;
    for (const auto& [name, url] : std::vector<std::pair<std::string, std::string>>{
             {"SUPABASE_URL", "http://db.example.com"},
             {"JSEARCH_BASE_URL", "http://jsearch.example.com"},
             {"SUPABASE_URL", "https://user:hunter2pw@db.example.com"}}) {
        const auto result = stack.sync({}, {{name, url}});
        BOOST_TEST(result.exit_code == 2, name << "=" << url);
        BOOST_TEST((contains(result.err, "http:// to") || contains(result.err, "credentials")));
        BOOST_TEST(!contains(result.err + result.out + result.log, "hunter2pw"));
    }
    BOOST_TEST(stack.jsearch().requests().empty());
    BOOST_TEST(stack.gateway().requests().empty());
}

BOOST_AUTO_TEST_CASE(an_expired_service_role_key_fails_before_jsearch_is_queried_or_billed) {
    ServiceStack stack;
    // Expired two days ago (signed with the project's secret: only its age is wrong).
    const auto expired =
        mint_jwt(ServiceStack::kJwtSecret, "service_role", -std::chrono::hours(48));
    const auto result = stack.sync({}, {{"SUPABASE_SERVICE_ROLE_KEY", expired}});
    BOOST_TEST_INFO(result.err);
    BOOST_TEST(result.exit_code == 3);
    BOOST_TEST(contains(result.err, "SUPABASE_SERVICE_ROLE_KEY has expired"));
    BOOST_TEST(!contains(result.err + result.log, expired));
    BOOST_TEST(stack.jsearch().requests().empty());
    BOOST_TEST(stack.gateway().requests().empty());
    BOOST_TEST(stack.jsearch().quota_remaining() == 1000);
}

BOOST_AUTO_TEST_SUITE_END()
