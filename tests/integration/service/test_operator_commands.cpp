// The operators' commands end to end against real parts: `check`, `sync --dry-run` and
// `status` through the gateway and a real PostgreSQL, asserting what they print and that check
// and the dry run change nothing in the jobs table (checksummed before and after).
#include <rapidjson/document.h>

#include <boost/test/unit_test.hpp>
#include <regex>

#include "integration/service/service_stack.hpp"

using namespace jobsync::testing;

namespace {

bool contains(const std::string& text, const std::string& part) {
    return text.find(part) != std::string::npos;
}

// The text with every run of spaces made one space: the columns' widths do not matter here.
std::string squeezed(const std::string& text) {
    return std::regex_replace(text, std::regex(" +"), " ");
}

bool has_line(const std::string& text, const std::string& part) {
    return contains(squeezed(text), part);
}

// Every row and column of the jobs table, as one hash.
std::string jobs_checksum(PgConnection& db) {
    auto rows = db.exec(
        "select coalesce(md5(string_agg(t::text, ',' order by job_id)), 'empty') as sum "
        "from public.jobs t");
    return rows.at(0, "sum").value_or("");
}

long runs(PgConnection& db, const std::string& where = "true") {
    auto rows = db.exec("select count(*) as n from public.job_sync_runs where " + where);
    return std::stol(rows.at(0, "n").value_or("0"));
}

// A stack whose run history starts empty (the cluster is shared by the whole binary).
struct CommandStack : ServiceStack {
    CommandStack() { db().exec("truncate public.job_sync_runs cascade"); }
};

// Another process's live lease, as job_sync_begin would have written it.
void hold_lease(PgConnection& db, const std::string& run_id) {
    db.exec(
        "insert into public.job_sync_runs (run_id, status, lease_expires_at, holder) values ('" +
        run_id + "', 'running', now() + interval '10 minutes', 'other-host:4242')");
}

void release_lease(PgConnection& db) {
    db.exec(
        "update public.job_sync_runs set status = 'failed', finished_at = now(), "
        "lease_expires_at = null, error = 'lease cleared by an admin' where status = 'running'");
}

}  // namespace

BOOST_AUTO_TEST_SUITE(operator_commands)

BOOST_AUTO_TEST_CASE(check_passes_on_a_complete_setup_and_changes_nothing) {
    CommandStack stack;
    BOOST_TEST_REQUIRE(stack.sync().exit_code == 0);
    const std::string before = jobs_checksum(stack.db());
    const long runs_before = runs(stack.db());

    const auto jsearch_requests = stack.jsearch().requests().size();
    const auto result = stack.run({"check"});
    BOOST_TEST_INFO(result.out << result.err);
    BOOST_TEST(result.exit_code == 0);
    for (const char* line :
         {"PASS configuration", "PASS queries 2 queries",
          "PASS Supabase key a legacy service_role JWT: can write", "PASS table jobs",
          "has every column the sync writes (29)", "PASS run history",
          "PASS function job_sync_begin", "PASS function job_sync_heartbeat",
          "PASS function job_sync_finish", "PASS lease free: no run holds it now",
          "JSearch key not tested: add --jsearch",
          "check: a sync would work (0 failed, 0 warnings)"}) {
        BOOST_TEST(has_line(result.out, line), line);
    }
    BOOST_TEST(!contains(result.out, stack.service_role_key()));
    // No --jsearch: not one request.
    BOOST_TEST(stack.jsearch().requests().size() == jsearch_requests);
    BOOST_TEST(jobs_checksum(stack.db()) == before);
    BOOST_TEST(runs(stack.db()) == runs_before);
}

BOOST_AUTO_TEST_CASE(check_names_a_missing_column_and_the_migration_that_adds_it) {
    CommandStack stack;
    stack.db().exec("alter table public.jobs drop column job_salary_period");
    const auto result = stack.run({"check"});
    stack.db().exec("alter table public.jobs add column job_salary_period text");

    BOOST_TEST_INFO(result.out << result.err);
    BOOST_TEST(result.exit_code == 1);
    BOOST_TEST(has_line(result.out,
                        "FAIL table jobs column 'job_salary_period' is "
                        "missing (42703)"));
    BOOST_TEST(contains(result.out,
                        "fix: apply schema/20250102000000_job_caching.sql to the "
                        "project"));
    BOOST_TEST(contains(result.out, "check: a sync would fail (1 failed"));
}

BOOST_AUTO_TEST_CASE(check_names_a_missing_run_history_and_its_migration) {
    CommandStack stack;
    stack.db().exec("alter table public.job_sync_runs rename to job_sync_runs_hidden");
    const std::vector<std::string> functions{
        "job_sync_begin(text, integer, text, integer, integer, boolean)",
        "job_sync_heartbeat(text, integer)",
        "job_sync_finish(text, text, jsonb, text, integer, jsonb)"};
    for (const auto& function : functions) {
        const std::string name = function.substr(0, function.find('('));
        stack.db().exec("alter function public." + function + " rename to " + name + "_hidden");
    }
    const auto result = stack.run({"check"});
    stack.db().exec("alter table public.job_sync_runs_hidden rename to job_sync_runs");
    for (const auto& function : functions) {
        const std::string name = function.substr(0, function.find('('));
        stack.db().exec("alter function public." + name + "_hidden" +
                        function.substr(function.find('(')) + " rename to " + name);
    }

    BOOST_TEST_INFO(result.out << result.err);
    BOOST_TEST(result.exit_code == 1);
    BOOST_TEST(has_line(result.out, "FAIL run history table job_sync_runs does not exist"));
    for (const char* name : {"job_sync_begin", "job_sync_heartbeat", "job_sync_finish"}) {
        BOOST_TEST(has_line(result.out, "FAIL function " + std::string(name) + " not found"));
    }
    BOOST_TEST(contains(result.out, "fix: apply schema/20250104000000_job_sync_runs.sql"));
}

BOOST_AUTO_TEST_CASE(check_with_the_anon_key_fails_with_the_fix_and_contacts_nothing) {
    CommandStack stack;
    const auto result = stack.run({"check"}, {{"SUPABASE_SERVICE_ROLE_KEY", stack.anon_key()}});
    BOOST_TEST_INFO(result.out << result.err);
    BOOST_TEST(result.exit_code == 2);
    BOOST_TEST(has_line(result.out,
                        "FAIL configuration SUPABASE_SERVICE_ROLE_KEY is a JWT for the role "
                        "'anon', which cannot write the jobs table"));
    BOOST_TEST(
        contains(result.out, "fix: use the Supabase dashboard: Project Settings > API Keys"));
    BOOST_TEST(contains(result.out, "nothing was contacted"));
    BOOST_TEST(!contains(result.out, stack.anon_key()));
    BOOST_TEST(stack.jsearch().requests().empty());
}

BOOST_AUTO_TEST_CASE(check_with_jsearch_spends_one_request_and_shows_the_quota) {
    CommandStack stack;
    const auto result = stack.run({"check", "--jsearch"});
    BOOST_TEST_INFO(result.out << result.err);
    BOOST_TEST(result.exit_code == 0);
    BOOST_TEST_REQUIRE(stack.jsearch().requests().size() == 1u);
    BOOST_TEST(contains(stack.jsearch().requests().front().raw_query, "num_pages=1"));
    BOOST_TEST(has_line(result.out,
                        "PASS JSearch key accepted: 10 jobs for 'developer "
                        "jobs in chicago' in 1 request; "
                        "x-ratelimit-requests-remaining: 999"));
}

BOOST_AUTO_TEST_CASE(check_with_jsearch_names_an_unsubscribed_key_and_the_fix) {
    CommandStack stack;
    stack.jsearch().script({403,
                            {{"Content-Type", "application/json"}},
                            R"({"message":"You are not subscribed to this API."})",
                            ""});
    const auto result = stack.run({"check", "--jsearch"});
    BOOST_TEST_INFO(result.out << result.err);
    BOOST_TEST(result.exit_code == 1);
    BOOST_TEST(stack.jsearch().requests().size() == 1u);  // a rejected key is not retried
    BOOST_TEST(has_line(result.out,
                        "FAIL JSearch key rejected: JSearch query \"developer jobs "
                        "in chicago\" page 1: HTTP 403"));
    BOOST_TEST(contains(result.out, "You are not subscribed to this API."));
    BOOST_TEST(contains(result.out, "subscribe the app to JSearch"));
}

BOOST_AUTO_TEST_CASE(check_and_status_show_a_run_holding_the_lease) {
    CommandStack stack;
    hold_lease(stack.db(), "nightly-holder");
    const auto check = stack.run({"check"});
    const auto status = stack.run({"status"});
    release_lease(stack.db());

    BOOST_TEST_INFO(check.out << status.out << status.err);
    BOOST_TEST(check.exit_code == 0);  // a warning: the sync would be refused only for now
    BOOST_TEST(has_line(check.out,
                        "WARN lease run nightly-holder (holder "
                        "other-host:4242) holds it since"));
    BOOST_TEST(contains(check.out, "a sync started now would be refused (exit 5)"));
    BOOST_TEST(status.exit_code == 0);
    BOOST_TEST(
        contains(status.out, "lease: held by run nightly-holder (holder other-host:4242) since "));
}

BOOST_AUTO_TEST_CASE(dry_run_predicts_what_the_real_run_then_does_and_writes_nothing) {
    CommandStack stack;
    BOOST_TEST_REQUIRE(stack.sync().exit_code == 0);
    auto& db = stack.db();
    // One feed job gone from the table (insert), two inactive (reactivate), two old rows not in
    // the feed plus one with a NULL last_seen (deactivate).
    db.exec("delete from public.jobs where job_id = (select min(job_id) from public.jobs)");
    db.exec(
        "update public.jobs set is_active = false where job_id in (select job_id from "
        "public.jobs order by job_id desc limit 2)");
    db.exec(
        "insert into public.jobs (job_id, job_title, is_active, last_seen) values "
        "('gone-1', 'Gone Engineer', true, now() - interval '2 days'), "
        "('gone-2', 'Gone Analyst', true, now() - interval '3 days'), "
        "('legacy-1', 'Legacy Row', true, null)");
    const std::string before = jobs_checksum(db);

    const auto dry = stack.sync({"--dry-run"});
    BOOST_TEST_INFO(dry.out << dry.err << dry.log);
    BOOST_TEST(dry.exit_code == 0);
    BOOST_TEST(jobs_checksum(db) == before);
    for (const char* line :
         {"job-sync: dry run: a real run would succeed (exit 0)", "would insert      1",
          "would update      17", "would reactivate  2", "would deactivate  3",
          "      gone-1  Gone Engineer", "      legacy-1  Legacy Row",
          "guard             would allow it: 3 of 23 active jobs (13%), limit 11"}) {
        BOOST_TEST(contains(dry.out, line), line);
    }
    BOOST_TEST(runs(db,
                    "dry_run and status = 'succeeded' and requests = 2 and "
                    "details -> 'dry_run' ->> 'deactivate' = '3'") == 1);

    const auto real = stack.sync();
    BOOST_TEST_INFO(real.out);
    BOOST_TEST(real.exit_code == 0);
    BOOST_TEST(stack.count("job_id in ('gone-1', 'gone-2', 'legacy-1') and not is_active") == 3);
    BOOST_TEST(stack.count("is_active") == 20);
    BOOST_TEST(stack.count() == 23);
}

BOOST_AUTO_TEST_CASE(dry_run_reads_a_table_larger_than_a_page_and_a_feed_of_many_chunks) {
    CommandStack stack;
    auto& db = stack.db();
    // 450 jobs in the feed (3 chunks of ids), 300 of them in the table (200 active, 100 not),
    // and 1,500 stale rows: more than the gateway's max-rows of 1,000 in one page.
    const auto jobs = generate_jobs(450, "dry-run-scale");
    stack.jsearch().set_jobs("scale", jobs);
    std::string ids;
    for (std::size_t i = 0; i < 300; ++i) {
        rapidjson::Document job;
        job.Parse(jobs[i].c_str());
        ids += std::string(ids.empty() ? "" : ",") + "('" + job["job_id"].GetString() + "', " +
               (i < 200 ? "true" : "false") + ")";
    }
    db.exec("insert into public.jobs (job_id, is_active) values " + ids);
    db.exec(
        "insert into public.jobs (job_id, is_active, last_seen) select 'stale-' || "
        "lpad(n::text, 4, '0'), true, now() - interval '1 day' from generate_series(1, 1500) n");
    const std::string before = jobs_checksum(db);

    const auto dry = stack.sync(
        {"--dry-run", "--query", "scale", "--pages", "45", "--max-deactivate-share", "1"},
        {{"JSEARCH_QUERIES", ""}});
    BOOST_TEST_INFO(dry.out << dry.err << dry.log);
    BOOST_TEST(dry.exit_code == 0);
    BOOST_TEST(contains(dry.out, "jobs fetched      450"));
    BOOST_TEST(contains(dry.out, "would insert      150"));
    BOOST_TEST(contains(dry.out, "would update      200"));
    BOOST_TEST(contains(dry.out, "would reactivate  100"));
    BOOST_TEST(contains(dry.out, "would deactivate  1500\n      stale-0001\n"));
    BOOST_TEST(contains(dry.out, "guard             off (--max-deactivate-share 1)"));
    BOOST_TEST(jobs_checksum(db) == before);
}

BOOST_AUTO_TEST_CASE(dry_run_says_when_the_guard_would_stop_the_run) {
    CommandStack stack;
    BOOST_TEST_REQUIRE(stack.sync().exit_code == 0);
    const std::string before = jobs_checksum(stack.db());
    const std::vector<std::string> narrow{"--query", ServiceStack::kPython,
                                          "--max-deactivate-share", "0.3"};
    auto args = narrow;
    args.push_back("--dry-run");
    const auto dry = stack.sync(args, {{"JSEARCH_QUERIES", ""}});
    BOOST_TEST_INFO(dry.out << dry.err);
    BOOST_TEST(dry.exit_code == 6);
    BOOST_TEST(contains(dry.out, "would deactivate  10"));
    BOOST_TEST(contains(dry.out,
                        "WOULD STOP the sweep: 10 of 20 active jobs (50%), limit 6 "
                        "(--max-deactivate-share 0.3)"));
    BOOST_TEST(jobs_checksum(stack.db()) == before);
    BOOST_TEST(runs(stack.db(), "dry_run and status = 'guarded'") == 1);

    const auto real = stack.sync(narrow, {{"JSEARCH_QUERIES", ""}});
    BOOST_TEST(real.exit_code == 6);
    BOOST_TEST(stack.count("is_active") == 20);
}

BOOST_AUTO_TEST_CASE(status_shows_succeeded_refused_and_guarded_runs_newest_first) {
    CommandStack stack;
    BOOST_TEST_REQUIRE(stack.sync().exit_code == 0);
    hold_lease(stack.db(), "nightly-holder");
    BOOST_TEST_REQUIRE(stack.sync().exit_code == 5);
    release_lease(stack.db());
    BOOST_TEST_REQUIRE(
        stack
            .sync({"--query", ServiceStack::kPython, "--max-deactivate-share", "0.3"},
                  {{"JSEARCH_QUERIES", ""}})
            .exit_code == 6);

    const auto text = stack.run({"status"});
    BOOST_TEST_INFO(text.out << text.err);
    BOOST_TEST(text.exit_code == 0);
    BOOST_TEST(contains(text.out, "lease: free (no run holds it now)"));
    BOOST_TEST(std::regex_search(
        text.out,
        std::regex(
            R"(last good sync: \d{4}-\d\d-\d\d \d\d:\d\d:\d\dZ \(run \S+, 20 upserted, 0 deactivated\))")));
    BOOST_TEST(std::regex_search(
        text.out,
        std::regex(R"(\n  \S+ \S+\s+\S+ s\s+guarded\s+1\s+1\s+1\s+10\s+10\s+0\s+0\s+0\s)")));
    BOOST_TEST(contains(text.out, "another run holds the lease: nightly-holder"));
    BOOST_TEST(std::regex_search(
        text.out,
        std::regex(R"(\n\* \S+ \S+\s+\S+ s\s+succeeded\s+2\s+2\s+2\s+20\s+20\s+0\s+0\s+0)")));
    const std::string rows = squeezed(text.out);  // " s <status>": the took column, then status
    const auto guarded = rows.find(" s guarded");
    const auto refused = rows.find(" s refused");
    const auto succeeded = rows.find(" s succeeded");
    BOOST_TEST((guarded < refused && refused < succeeded));

    const auto json = stack.run({"status", "--format", "json", "--limit", "3"});
    BOOST_TEST(json.exit_code == 0);
    rapidjson::Document document;
    document.Parse(json.out.c_str());
    BOOST_TEST_REQUIRE(document.IsObject());
    BOOST_TEST(document["lease"]["held"].GetBool() == false);
    BOOST_TEST_REQUIRE(document["runs"].Size() == 3u);
    BOOST_TEST(std::string(document["runs"][0]["status"].GetString()) == "guarded");
    BOOST_TEST(std::string(document["runs"][1]["status"].GetString()) == "refused");
    BOOST_TEST(std::string(document["runs"][2]["status"].GetString()) == "failed");
    BOOST_TEST(std::string(document["runs"][2]["run_id"].GetString()) == "nightly-holder");
    BOOST_TEST(document["last_good_sync"]["rows_upserted"].GetInt() == 20);
    BOOST_TEST(document["last_good_sync"]["billed_requests"].GetInt() == 2);
    BOOST_TEST(!contains(json.out, stack.service_role_key()));
}

BOOST_AUTO_TEST_CASE(status_without_the_run_history_names_the_migration) {
    CommandStack stack;
    stack.db().exec("alter table public.job_sync_runs rename to job_sync_runs_hidden");
    const auto result = stack.run({"status"});
    stack.db().exec("alter table public.job_sync_runs_hidden rename to job_sync_runs");
    BOOST_TEST_INFO(result.out << result.err);
    BOOST_TEST(result.exit_code == 1);
    BOOST_TEST(contains(result.err, "cannot read job_sync_runs"));
    BOOST_TEST(contains(result.err, "apply schema/20250104000000_job_sync_runs.sql"));
}

BOOST_AUTO_TEST_SUITE_END()
