#include <boost/test/unit_test.hpp>

#include "commands/check_report.hpp"

using namespace jobsync;
using commands::Verdict;

namespace {

http::Response reply(int status, std::string body) {
    http::Response response;
    response.status = status;
    response.body = std::move(body);
    response.headers.emplace_back("Content-Type", "application/json");
    return response;
}

http::Response no_answer() {
    http::Response response;
    response.error = http::TransportError::connect_failed;
    response.error_message = "connection refused";
    return response;
}

}  // namespace

BOOST_AUTO_TEST_SUITE(check_report)

BOOST_AUTO_TEST_CASE(the_missing_column_is_read_from_postgres_and_postgrest_errors) {
    postgrest::ErrorBody undefined{"42703", "column jobs.job_city does not exist", "", ""};
    BOOST_TEST(commands::missing_column(undefined).value_or("") == "job_city");
    postgrest::ErrorBody quoted{"42703", R"(column "jobs"."last_seen" does not exist)", "", ""};
    BOOST_TEST(commands::missing_column(quoted).value_or("") == "last_seen");
    postgrest::ErrorBody cache{
        "PGRST204", "Could not find the 'is_active' column of 'jobs' in the schema cache", "", ""};
    BOOST_TEST(commands::missing_column(cache).value_or("") == "is_active");
    postgrest::ErrorBody other{"23505", "duplicate key value", "", ""};
    BOOST_TEST(!commands::missing_column(other).has_value());
}

BOOST_AUTO_TEST_CASE(the_jobs_table_probe_names_the_column_and_the_migration) {
    const auto ok = commands::jobs_table_line(reply(200, "[]"), "jobs", "https://x/rest/v1/");
    BOOST_TEST((ok.verdict == Verdict::pass));

    const auto column = commands::jobs_table_line(
        reply(400, R"({"code":"42703","message":"column jobs.job_salary_period does not exist",)"
                   R"("details":null,"hint":null})"),
        "jobs", "");
    BOOST_TEST((column.verdict == Verdict::fail));
    BOOST_TEST(column.detail == "column 'job_salary_period' is missing (42703)");
    BOOST_TEST(column.fix.find("apply schema/20250102000000_job_caching.sql") == 0u);

    const auto table = commands::jobs_table_line(
        reply(404, R"({"code":"PGRST205","message":"Could not find the table 'public.jobs' in )"
                   R"(the schema cache","details":null,"hint":null})"),
        "jobs", "");
    BOOST_TEST((table.verdict == Verdict::fail));
    BOOST_TEST(table.detail.find("does not exist") == 0u);
    BOOST_TEST(table.fix.find("schema/20250101000000_jobs_engagement.sql") != std::string::npos);
}

BOOST_AUTO_TEST_CASE(a_refused_key_or_no_answer_fails_with_what_to_check) {
    const auto refused =
        commands::jobs_table_line(reply(401, R"({"message":"Invalid API key"})"), "jobs", "");
    BOOST_TEST((refused.verdict == Verdict::fail));
    BOOST_TEST(refused.detail.find("Supabase refused the key") == 0u);
    BOOST_TEST(refused.fix.find("SUPABASE_SERVICE_ROLE_KEY") != std::string::npos);

    BOOST_TEST(commands::stops_other_probes(reply(401, R"({"message":"Invalid API key"})")));
    BOOST_TEST(commands::stops_other_probes(no_answer()));
    BOOST_TEST(!commands::stops_other_probes(reply(403, R"({"code":"42501","message":"denied"})")));
    BOOST_TEST(!commands::stops_other_probes(reply(404, "{}")));
    const auto unreachable = commands::jobs_table_line(no_answer(), "jobs", "");
    BOOST_TEST(unreachable.detail == "no answer: connection refused");
    BOOST_TEST(unreachable.fix.find("check SUPABASE_URL") == 0u);
}

BOOST_AUTO_TEST_CASE(a_lease_function_passes_when_it_answers_or_refuses_the_probe) {
    BOOST_TEST((commands::ledger_function_line("job_sync_heartbeat",
                                               reply(200, R"({"held":false,"status":null})"))
                    .verdict == Verdict::pass));
    BOOST_TEST((commands::ledger_function_line(
                    "job_sync_begin",
                    reply(400, R"({"code":"22023","message":"p_lease_seconds must be positive"})"))
                    .verdict == Verdict::pass));
    const auto missing = commands::ledger_function_line(
        "job_sync_finish",
        reply(404, R"({"code":"PGRST202","message":"Could not find the function"})"));
    BOOST_TEST((missing.verdict == Verdict::fail));
    BOOST_TEST(missing.fix.find("apply schema/20250104000000_job_sync_runs.sql") == 0u);
}

BOOST_AUTO_TEST_CASE(a_live_lease_is_a_warning_naming_the_holder) {
    BOOST_TEST((commands::lease_line(reply(200, "[]")).verdict == Verdict::pass));
    const auto held = commands::lease_line(reply(
        200, R"([{"run_id":"nightly","holder":"h:1","started_at":"2025-01-04T03:00:00+00:00",)"
             R"("lease_expires_at":"2025-01-04T03:15:00.5+00:00"}])"));
    BOOST_TEST((held.verdict == Verdict::warn));
    BOOST_TEST(held.detail ==
               "run nightly (holder h:1) holds it since 2025-01-04 03:00:00Z, until "
               "2025-01-04 03:15:00Z");
    BOOST_TEST(held.fix.find("refused (exit 5)") != std::string::npos);
}

BOOST_AUTO_TEST_CASE(a_configuration_problem_splits_into_what_and_fix) {
    const auto line = commands::config_line("SUPABASE_URL is not set; set it to your project URL");
    BOOST_TEST((line.verdict == Verdict::fail));
    BOOST_TEST(line.detail == "SUPABASE_URL is not set");
    BOOST_TEST(line.fix == "set it to your project URL");
}

BOOST_AUTO_TEST_CASE(the_report_aligns_lines_and_exits_1_only_on_a_failure) {
    std::vector<commands::CheckLine> lines{
        {Verdict::pass, "key", "fine", ""},
        {Verdict::warn, "lease", "held", "wait"},
    };
    BOOST_TEST(commands::render_check(lines, "") ==
               "PASS  key    fine\n"
               "WARN  lease  held\n"
               "             fix: wait\n"
               "check: a sync would work (0 failed, 1 warning)\n");
    BOOST_TEST(commands::check_exit_code(lines) == 0);
    lines.push_back({Verdict::fail, "table", "missing", "apply"});
    BOOST_TEST(commands::check_exit_code(lines) == 1);
    BOOST_TEST(commands::render_check(lines, "").find("check: a sync would fail (1 failed, 1 "
                                                      "warning)") != std::string::npos);
}

BOOST_AUTO_TEST_CASE(the_jsearch_probe_shows_the_quota_or_the_fix) {
    sync::FetchOutcome ok;
    ok.quota_remaining = 187;
    const auto pass = commands::jsearch_line(ok, 10, "python");
    BOOST_TEST(pass.detail ==
               "accepted: 10 jobs for 'python' in 1 request; x-ratelimit-requests-remaining: 187");
    sync::FetchOutcome refused;
    refused.failure = sync::Failure::auth;
    refused.message = "HTTP 403: You are not subscribed to this API.";
    const auto fail = commands::jsearch_line(refused, 0, "python");
    BOOST_TEST((fail.verdict == Verdict::fail));
    BOOST_TEST(fail.fix.find("subscribe the app to JSearch") != std::string::npos);
}

BOOST_AUTO_TEST_SUITE_END()
