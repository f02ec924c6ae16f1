// Issue 6 end to end: every row reachable by the sweep, one run at a time, run history, the
// mass-deactivation guard, bad rows isolated, adaptive batches. Real PostgreSQL with schema/,
// the gateway, the JSearch stand-in; two tests run the real binary as child processes.
#include <rapidjson/document.h>
#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include <boost/test/unit_test.hpp>
#include <fstream>
#include <map>
#include <set>
#include <sstream>

#include "integration/service/job_json.hpp"
#include "integration/service/job_sync_process.hpp"
#include "integration/service/service_stack.hpp"

using namespace jobsync::testing;
using std::chrono::seconds;

namespace {

constexpr const char* kSecretKey = "sb_secret_local_stand_in_key";

// The job with member `name` set to the JSON value `value_json` (which may hold \u0000).
std::string with_member(const std::string& job_json, const char* name,
                        const std::string& value_json) {
    rapidjson::Document job;
    job.Parse(job_json.c_str());
    rapidjson::Document value(&job.GetAllocator());
    value.Parse(value_json.c_str(), value_json.size());
    BOOST_REQUIRE(!value.HasParseError());
    job.RemoveMember(name);
    job.AddMember(rapidjson::Value(name, job.GetAllocator()),
                  rapidjson::Value(value, job.GetAllocator()), job.GetAllocator());
    return to_json(job);
}

bool contains(const std::string& text, const std::string& part) {
    return text.find(part) != std::string::npos;
}

std::vector<std::string> ids_of(const std::vector<std::string>& jobs) {
    std::vector<std::string> ids;
    for (const auto& job : jobs) ids.push_back(job_id_of(job));
    return ids;
}

std::vector<std::string> both_feeds() {
    auto jobs = ServiceStack::chicago_jobs();
    auto python = ServiceStack::python_jobs();
    jobs.insert(jobs.end(), python.begin(), python.end());
    return jobs;
}

// Every row of the table: job_id -> "active|click_count|lane".
std::map<std::string, std::string> board(ServiceStack& stack) {
    auto rows = stack.db().exec(
        "select job_id, is_active::text || '|' || click_count || '|' || coalesce(lane, '-') as v "
        "from public.jobs");
    std::map<std::string, std::string> out;
    for (std::size_t i = 0; i < rows.rows.size(); ++i) {
        out[rows.at(i, "job_id").value_or("")] = rows.at(i, "v").value_or("");
    }
    return out;
}

std::vector<std::string> posts_to_jobs(const RestGateway& gateway) {
    std::vector<std::string> bodies;
    for (const auto& request : gateway.requests()) {
        if (request.method == "POST" && request.path == "/rest/v1/jobs") {
            bodies.push_back(request.body);
        }
    }
    return bodies;
}

std::size_t rows_in(const std::string& body) {
    rapidjson::Document batch;
    batch.Parse(body.c_str());
    return batch.IsArray() ? batch.Size() : 0;
}

std::string file_text(const std::string& path) {
    std::ifstream file(path);
    std::ostringstream text;
    text << file.rdbuf();
    return text.str();
}

// The newest run's id.
std::string last_run(ServiceStack& stack) {
    const auto ids = stack.run_ids();
    BOOST_REQUIRE(!ids.empty());
    return ids.back();
}

// True when timestamp `a` is after `b`, compared by PostgreSQL.
bool later(ServiceStack& stack, const std::string& a, const std::string& b) {
    auto rows =
        stack.db().exec_params("select ($1::timestamptz > $2::timestamptz)::text as v", {a, b});
    return rows.at(0, "v") == std::optional<std::string>("true");
}

// Moves every live lease's expiry into the past: what --lease-seconds of waiting would do.
void expire_leases(ServiceStack& stack) {
    stack.db().exec(
        "update public.job_sync_runs set lease_expires_at = now() - interval '1 second' "
        "where status = 'running'");
}

}  // namespace

BOOST_AUTO_TEST_SUITE(board_stays_right)

// Problem 1: rows from before the caching migration have NULL last_seen and used to stay
// active forever once they left the feed.
BOOST_AUTO_TEST_CASE(the_first_sync_sweeps_rows_from_before_the_caching_migration) {
    PgClusterOptions engagement_only;
    engagement_only.apply_schema = false;
    ServiceStack stack(/*own_cluster=*/true, engagement_only);
    const std::string in_feed = job_id_of(ServiceStack::chicago_jobs()[0]);
    stack.db().exec(file_text(JOBSYNC_SOURCE_DIR "/schema/20250101000000_jobs_engagement.sql"));
    stack.db().exec_params(
        "insert into public.jobs (job_id, click_count, lane) values "
        "('engagement-gone-1', 12, 'applied'), ('engagement-gone-2', 3, null), ($1, 7, 'saved')",
        {in_feed});
    stack.cluster().apply_migrations();  // caching, RLS, run history: no backfill
    BOOST_TEST(stack.count("last_seen is null") == 3);

    auto result = stack.sync();
    BOOST_TEST_INFO(result.out << result.err << result.log);
    BOOST_TEST_REQUIRE(result.exit_code == 0);

    BOOST_TEST(stack.value("engagement-gone-1", "is_active") == "false");
    BOOST_TEST(stack.value("engagement-gone-1", "click_count") == "12");
    BOOST_TEST(stack.value("engagement-gone-1", "lane") == "applied");
    BOOST_TEST(stack.value("engagement-gone-2", "is_active") == "false");
    BOOST_TEST(stack.value("engagement-gone-2", "click_count") == "3");
    BOOST_TEST(stack.value("engagement-gone-2", "lane") == "<null>");
    BOOST_TEST(stack.value(in_feed, "is_active") == "true");
    BOOST_TEST(stack.value(in_feed, "click_count") == "7");
    BOOST_TEST(stack.value(in_feed, "lane") == "saved");
    for (const auto& id : ids_of(both_feeds())) {
        BOOST_TEST_INFO(id);
        BOOST_TEST(stack.value(id, "is_active") == "true");
    }
    BOOST_TEST(stack.count() == 22);
    BOOST_TEST(stack.count("is_active") == 20);
    const std::string run = last_run(stack);
    BOOST_TEST(stack.run_value(run, "status") == "succeeded");
    BOOST_TEST(stack.run_value(run, "deactivated") == "2");
}

// Problem 2: a second run started while the first one works (here: while its sweep is slow)
// refuses to start, names the holder and exits 5; the table ends exactly right.
BOOST_AUTO_TEST_CASE(a_second_process_started_during_a_slow_sweep_is_refused_with_exit_5) {
    ServiceStack stack;
    BOOST_TEST_REQUIRE(stack.sync().exit_code == 0);
    auto python = ServiceStack::python_jobs();
    const std::vector<std::string> gone = {job_id_of(python[8]), job_id_of(python[9])};
    python.resize(8);
    stack.jsearch().set_jobs(ServiceStack::kPython, python);

    Flag sweeping, release;
    stack.gateway().set_before_request([&](const RecordedRequest& request) {
        if (request.method == "PATCH" && request.path == "/rest/v1/jobs" && !sweeping.raised()) {
            sweeping.raise();
            release.wait(std::chrono::seconds(30));
        }
    });
    JobSyncProcess first({"--log-level", "warn"}, stack.environment());
    BOOST_TEST_REQUIRE(sweeping.wait());
    JobSyncProcess second({"--log-level", "warn"}, stack.environment());
    const int second_code = second.wait();
    release.raise();
    const int first_code = first.wait();
    stack.gateway().set_before_request(nullptr);

    BOOST_TEST_INFO(first.out() << first.err() << second.out() << second.err());
    BOOST_TEST(second_code == 5);
    BOOST_TEST(first_code == 0);
    const auto runs = stack.run_ids();
    BOOST_TEST_REQUIRE(runs.size() == 3u);  // day 1, the first process, the refused one
    BOOST_TEST(contains(second.out(), "another run holds the lease"));
    BOOST_TEST(contains(second.out(), runs[1]));
    BOOST_TEST(contains(second.out(), "holder"));
    BOOST_TEST(stack.run_value(runs[1], "status") == "succeeded");
    BOOST_TEST(stack.run_value(runs[2], "status") == "refused");
    BOOST_TEST(contains(stack.run_value(runs[2], "error"), runs[1]));

    for (const auto& id : ids_of(both_feeds())) {
        const bool vanished = id == gone[0] || id == gone[1];
        BOOST_TEST_INFO(id);
        BOOST_TEST(stack.value(id, "is_active") == (vanished ? "false" : "true"));
    }
    BOOST_TEST(stack.count() == 20);
}

// Problem 2, defence in depth: run A stalls past its lease, run B takes the lease, and A's
// upsert lands between B's upsert and B's sweep with A's older stamp. The monotonic last_seen
// keeps B's stamp, so B's sweep deactivates no live job (the guard is off to prove it).
BOOST_AUTO_TEST_CASE(two_runs_that_both_hold_the_lease_cannot_deactivate_a_live_job) {
    ServiceStack stack;
    BOOST_TEST_REQUIRE(stack.sync().exit_code == 0);

    Flag a_upserting, release_a, a_upserted;
    stack.gateway().set_before_request([&](const RecordedRequest& request) {
        const bool from_a = !request.header("Authorization").has_value();  // A uses sb_secret_
        const bool jobs = request.path == "/rest/v1/jobs";
        if (from_a && jobs && request.method == "POST" && !a_upserting.raised()) {
            a_upserting.raise();
            release_a.wait(std::chrono::seconds(30));
        } else if (from_a && a_upserting.raised() && !jobs) {
            a_upserted.raise();  // A's next call after its upsert: the upsert is committed
        } else if (!from_a && jobs && request.method == "PATCH") {
            release_a.raise();
            a_upserted.wait(std::chrono::seconds(30));
        }
    });
    JobSyncProcess a({"--log-level", "warn"},
                     stack.environment({{"SUPABASE_SERVICE_ROLE_KEY", kSecretKey}}));
    BOOST_TEST_REQUIRE(a_upserting.wait());
    expire_leases(stack);  // A stalled past its lease
    auto b = stack.sync({"--max-deactivate-share", "1"});
    const int a_code = a.wait();
    stack.gateway().set_before_request(nullptr);

    BOOST_TEST_INFO(b.out << b.log << a.out() << a.err());
    BOOST_TEST(a_upserted.raised());
    BOOST_TEST(b.exit_code == 0);
    BOOST_TEST(a_code == 1);  // A lost its lease: it does not sweep
    const auto runs = stack.run_ids();
    BOOST_TEST_REQUIRE(runs.size() == 3u);
    BOOST_TEST(stack.run_value(runs[1], "status") == "failed");
    BOOST_TEST(contains(stack.run_value(runs[1], "error"), "lease expired"));
    BOOST_TEST(stack.run_value(runs[2], "status") == "succeeded");
    BOOST_TEST(stack.run_value(runs[2], "deactivated") == "0");
    BOOST_TEST(later(stack, stack.run_value(runs[2], "started_at"),
                     stack.run_value(runs[1], "started_at")));
    for (const auto& id : ids_of(both_feeds())) {
        BOOST_TEST_INFO(id);
        BOOST_TEST(stack.value(id, "is_active") == "true");
        // A wrote its older stamp after B; the trigger kept B's.
        BOOST_TEST(stack.value(id, "last_seen") == stack.run_value(runs[2], "started_at"));
    }
}

// A run killed with SIGKILL never finishes: the next run within the lease is refused; once the
// lease has expired (moved into the past here instead of waiting 900 s) the next run proceeds
// and the dead run is recorded as failed.
BOOST_AUTO_TEST_CASE(a_run_killed_mid_run_blocks_the_next_until_its_lease_expires) {
    ServiceStack stack;
    Flag upserting, release;
    stack.gateway().set_before_request([&](const RecordedRequest& request) {
        if (request.method == "POST" && request.path == "/rest/v1/jobs" && !upserting.raised()) {
            upserting.raise();
            release.wait(std::chrono::seconds(10));
        }
    });
    JobSyncProcess killed({"--log-level", "warn"}, stack.environment());
    BOOST_TEST_REQUIRE(upserting.wait());
    killed.kill_now();
    release.raise();
    stack.gateway().set_before_request(nullptr);
    const std::string dead = last_run(stack);

    auto refused = stack.sync();
    BOOST_TEST(refused.exit_code == 5);
    BOOST_TEST(contains(refused.out, dead));

    expire_leases(stack);
    auto next = stack.sync();
    BOOST_TEST_INFO(next.out << next.log);
    BOOST_TEST(next.exit_code == 0);
    BOOST_TEST(stack.run_value(dead, "status") == "failed");
    BOOST_TEST(contains(stack.run_value(dead, "error"), "lease expired"));
    BOOST_TEST(stack.run_value(last_run(stack), "status") == "succeeded");
    for (const auto& id : ids_of(both_feeds())) {
        BOOST_TEST_INFO(id);
        BOOST_TEST(stack.value(id, "is_active") == "true");
    }
}

// Without the run-history migration the run stops before it bills JSearch and names the file.
BOOST_AUTO_TEST_CASE(without_the_run_history_migration_nothing_is_fetched_and_the_file_is_named) {
    ServiceStack stack;
    stack.db().exec(
        "alter function public.job_sync_begin(text, integer, text, integer, integer, boolean) "
        "rename to job_sync_begin_hidden");
    auto result = stack.sync();
    stack.db().exec(
        "alter function public.job_sync_begin_hidden(text, integer, text, integer, integer, "
        "boolean) rename to job_sync_begin");
    BOOST_TEST_INFO(result.out << result.log);
    BOOST_TEST(result.exit_code == 1);
    BOOST_TEST(contains(result.out, "apply schema/20250104000000_job_sync_runs.sql"));
    BOOST_TEST(stack.jsearch().requests().empty());
    BOOST_TEST(stack.count() == 0);
}

// Problem 3: the README's ad-hoc command against a full board. The guard stops the sweep
// (exit 6, record guarded, nothing deactivated); --no-sweep runs it safely.
BOOST_AUTO_TEST_CASE(an_ad_hoc_query_trips_the_guard_and_no_sweep_runs_it_safely) {
    ServiceStack stack;
    BOOST_TEST_REQUIRE(stack.sync().exit_code == 0);
    auto python = ServiceStack::python_jobs();
    python.resize(4);
    stack.jsearch().set_jobs(ServiceStack::kPython, python);

    const std::vector<std::string> ad_hoc = {"--query", ServiceStack::kPython};
    auto guarded = stack.sync(ad_hoc, {{"JSEARCH_QUERIES", ""}});
    BOOST_TEST_INFO(guarded.out << guarded.log);
    BOOST_TEST(guarded.exit_code == 6);
    BOOST_TEST(contains(guarded.out, "16 (80%) of 20 active jobs"));
    BOOST_TEST(contains(guarded.out, "--max-deactivate-share 1"));
    BOOST_TEST(contains(guarded.out, "--no-sweep"));
    BOOST_TEST(stack.count("is_active") == 20);
    std::string run = last_run(stack);
    BOOST_TEST(stack.run_value(run, "status") == "guarded");
    BOOST_TEST(contains(stack.run_value(run, "error"), "mass-deactivation guard"));
    BOOST_TEST(stack.run_value(run, "deactivated") == "0");
    BOOST_TEST(stack.run_value(run, "details->'guard'->>'would_deactivate'") == "16");

    std::vector<std::string> no_sweep = ad_hoc;
    no_sweep.emplace_back("--no-sweep");
    auto adhoc = stack.sync(no_sweep, {{"JSEARCH_QUERIES", ""}});
    BOOST_TEST(adhoc.exit_code == 0);
    BOOST_TEST(contains(adhoc.out, "--no-sweep"));
    run = last_run(stack);
    BOOST_TEST(stack.run_value(run, "status") == "succeeded");
    for (const auto& id : ids_of(both_feeds())) {
        BOOST_TEST_INFO(id);
        BOOST_TEST(stack.value(id, "is_active") == "true");
    }
    for (const auto& id : ids_of(python)) {
        BOOST_TEST(stack.value(id, "last_seen") == stack.run_value(run, "started_at"));
    }
}

// Problem 3, atomically: rows that go stale between the count and the PATCH are caught by
// Prefer: max-affected (PGRST124): PostgREST rolls back, nothing is deactivated.
BOOST_AUTO_TEST_CASE(rows_going_stale_after_the_count_are_caught_by_max_affected) {
    ServiceStack stack;
    BOOST_TEST_REQUIRE(stack.sync().exit_code == 0);
    auto python = ServiceStack::python_jobs();
    python.resize(8);  // 2 vanish: within the guard
    stack.jsearch().set_jobs(ServiceStack::kPython, python);
    stack.gateway().set_before_request([&](const RecordedRequest& request) {
        if (request.method == "PATCH" && request.path == "/rest/v1/jobs") {
            stack.db().exec(
                "insert into public.jobs (job_id, is_active, last_seen) select 'late-' || g, true, "
                "now() - interval '2 days' from generate_series(1, 15) g on conflict do nothing");
        }
    });
    auto result = stack.sync();
    stack.gateway().set_before_request(nullptr);
    BOOST_TEST_INFO(result.out << result.log);
    BOOST_TEST(result.exit_code == 6);
    BOOST_TEST(stack.count("is_active") == 35);  // rolled back: not even the 2 vanished
    BOOST_TEST(stack.run_value(last_run(stack), "status") == "guarded");
}

// Problem 4: a NUL in a JSON field, a year-0000 timestamp, a NUL in job_id, a row an admin's
// CHECK constraint refuses and one a trigger refuses. Everything else is stored, the refused
// jobs are reported, the sweep runs, and the next day's run does not go stale.
BOOST_AUTO_TEST_CASE(bad_rows_are_isolated_reported_and_the_board_does_not_go_stale) {
    ServiceStack stack;
    BOOST_TEST_REQUIRE(stack.sync().exit_code == 0);
    auto chicago = ServiceStack::chicago_jobs();
    auto python = ServiceStack::python_jobs();
    const auto original = board(stack);
    const std::string nul_json = job_id_of(chicago[1]);
    const std::string year_zero = job_id_of(chicago[2]);
    const std::string checked = job_id_of(chicago[3]);
    const std::string triggered = job_id_of(chicago[4]);
    const std::string vanished = job_id_of(python[9]);
    const std::string checked_title = stack.value(checked, "job_title");
    const std::string triggered_employer = stack.value(triggered, "employer_name");

    // The admin's rules, added after day 1 (existing rows pass them).
    stack.db().exec(
        "alter table public.jobs add constraint e2e_title_not_spam "
        "check (job_title not like '%SPAM%') not valid");
    stack.db().exec(R"(
        create or replace function public.e2e_refuse_blocked_employer() returns trigger
        language plpgsql as $$ begin
            if new.employer_name = 'Blocked Corp' then
                raise exception 'employer % is blocked', new.employer_name;
            end if;
            return new;
        end $$;
        create trigger e2e_refuse_blocked_employer before insert or update on public.jobs
            for each row execute function public.e2e_refuse_blocked_employer();)");

    chicago[1] = with_member(chicago[1], "job_highlights",
                             R"({"Qualifications":["Python \u0000 3","SQL"]})");
    chicago[2] =
        with_member(chicago[2], "job_posted_at_datetime_utc", R"("0000-01-01T00:00:00.000Z")");
    chicago[2] = with_member(chicago[2], "job_posted_at_timestamp", "null");
    chicago[3] = with_member(chicago[3], "job_title", R"("Hot SPAM offer")");
    chicago[4] = with_member(chicago[4], "employer_name", R"("Blocked Corp")");
    auto extra = generate_jobs(2, "bad-rows");
    const std::string nul_id = with_member(extra[0], "job_id", R"("bad\u0000id")");
    const std::string spam_new = with_member(extra[1], "job_title", R"("SPAM, new")");
    const std::string spam_new_id = job_id_of(spam_new);
    chicago.push_back(nul_id);
    python.pop_back();  // one job vanished: the sweep must still run
    python.push_back(spam_new);
    stack.jsearch().set_jobs(ServiceStack::kChicago, chicago);
    stack.jsearch().set_jobs(ServiceStack::kPython, python);

    auto day2 = stack.sync({"--pages", "2", "--log-format", "json"});
    BOOST_TEST_INFO(day2.out << day2.log);
    BOOST_TEST_REQUIRE(day2.exit_code == 0);
    rapidjson::Document summary;
    summary.Parse(day2.out.c_str());
    BOOST_TEST_REQUIRE(summary.IsObject());
    BOOST_TEST(summary["jobs_refused"].GetInt() == 3);
    BOOST_TEST(summary["rows_touched"].GetInt() == 2);
    BOOST_TEST(summary["sweep_done"].GetBool());
    BOOST_TEST(summary["deactivated"].GetInt() == 1);
    std::map<std::string, std::string> refused;
    for (const auto& job : summary["refused_jobs"].GetArray()) {
        refused[job["job_id"].GetString()] = job["code"].GetString();
    }
    BOOST_TEST(refused[checked] == "23514");
    BOOST_TEST(refused[triggered] == "P0001");
    BOOST_TEST(refused[spam_new_id] == "23514");
    BOOST_TEST(contains(day2.log, "refused by the database"));
    BOOST_TEST(contains(day2.log, "job_id contains a NUL character"));
    const std::string run = last_run(stack);
    BOOST_TEST(stack.run_value(run, "jobs_refused") == "3");
    BOOST_TEST(stack.run_value(run, "jsonb_array_length(details->'refused_jobs')") == "3");
    const std::string started = stack.run_value(run, "started_at");

    // Row by row.
    BOOST_TEST(stack.value(nul_json, "job_highlights") ==
               R"({"Qualifications": ["Python  3", "SQL"]})");
    BOOST_TEST(stack.value(year_zero, "job_posted_at_datetime_utc") == "<null>");
    BOOST_TEST(stack.count("job_id like 'bad%'") == 0);
    BOOST_TEST(stack.count("job_id = '" + spam_new_id + "'") == 0);
    BOOST_TEST(stack.value(checked, "job_title") == checked_title);  // refused: old data kept
    BOOST_TEST(stack.value(triggered, "employer_name") == triggered_employer);
    BOOST_TEST(stack.value(vanished, "is_active") == "false");
    for (const auto& [id, before] : original) {
        if (id == vanished) continue;
        BOOST_TEST_INFO(id);
        BOOST_TEST(stack.value(id, "is_active") == "true");  // refused ones included
        BOOST_TEST(stack.value(id, "last_seen") == started);
    }
    BOOST_TEST(stack.count() == 20);

    // Day 3, the same feed: the run succeeds again and stamps every live job; nothing stale.
    auto day3 = stack.sync({"--pages", "2"});
    BOOST_TEST_INFO(day3.out << day3.log);
    BOOST_TEST(day3.exit_code == 0);
    const std::string started3 = stack.run_value(last_run(stack), "started_at");
    BOOST_TEST(later(stack, started3, started));
    for (const auto& [id, before] : original) {
        if (id == vanished) continue;
        BOOST_TEST_INFO(id);
        BOOST_TEST(stack.value(id, "is_active") == "true");
        BOOST_TEST(stack.value(id, "last_seen") == started3);
    }
    BOOST_TEST(stack.value(vanished, "is_active") == "false");
}

// Problem 5a: a proxy's body limit (413) halves the batch until it passes; the run succeeds.
BOOST_AUTO_TEST_CASE(a_proxy_body_limit_shrinks_the_batches_and_the_run_succeeds) {
    ServiceStack stack;
    BOOST_TEST_REQUIRE(stack.sync().exit_code == 0);
    const auto day1 = posts_to_jobs(stack.gateway());
    BOOST_TEST_REQUIRE(day1.size() == 1u);
    const std::size_t limit = day1[0].size() / 3;
    stack.restart_gateway([limit](GatewayOptions& options) { options.max_body_bytes = limit; });
    stack.db().exec("update public.jobs set job_title = 'stale'");

    auto result = stack.sync();
    BOOST_TEST_INFO(result.out << result.log);
    BOOST_TEST(result.exit_code == 0);
    BOOST_TEST(contains(result.out, "lowered to"));
    const auto posts = posts_to_jobs(stack.gateway());
    BOOST_TEST_REQUIRE(posts.size() > 2u);
    BOOST_TEST(rows_in(posts[0]) == 20u);
    std::size_t over = 0;
    for (const auto& body : posts) over += body.size() > limit ? 1 : 0;
    BOOST_TEST(over < posts.size());
    BOOST_TEST(stack.count("job_title = 'stale'") == 0);
    BOOST_TEST(stack.count("is_active") == 20);
}

// Problem 5b: a real statement timeout (a trigger makes each row slow; the gateway sets the
// role's statement_timeout): the batch is halved, never resent at the same size.
BOOST_AUTO_TEST_CASE(a_statement_timeout_shrinks_the_batches_and_the_run_succeeds) {
    ServiceStack stack;
    stack.restart_gateway([](GatewayOptions& options) {
        options.statement_timeout = std::chrono::milliseconds(400);
    });
    stack.db().exec(R"(
        create or replace function public.e2e_slow_row() returns trigger language plpgsql as $$
        begin perform pg_sleep(0.025); return new; end $$;
        create trigger e2e_slow_rows before insert on public.jobs
            for each row execute function public.e2e_slow_row();)");

    auto result = stack.sync();
    BOOST_TEST_INFO(result.out << result.log);
    BOOST_TEST(result.exit_code == 0);
    BOOST_TEST(contains(result.log, "statement timeout"));
    BOOST_TEST(contains(result.out, "lowered to"));
    const auto posts = posts_to_jobs(stack.gateway());
    BOOST_TEST_REQUIRE(posts.size() > 1u);
    BOOST_TEST(rows_in(posts[0]) == 20u);
    std::size_t full = 0;
    for (const auto& body : posts) full += rows_in(body) == 20u ? 1 : 0;
    BOOST_TEST(full == 1u);  // 57014 is not resent at the same size
    for (std::size_t i = 1; i < posts.size(); ++i) BOOST_TEST(rows_in(posts[i]) <= 10u);
    BOOST_TEST(stack.count("is_active") == 20);
    stack.db().exec("drop trigger e2e_slow_rows on public.jobs");
}

// After every problem above, one clean run leaves exactly the feed's jobs active, with every
// engagement value intact.
BOOST_AUTO_TEST_CASE(a_clean_run_after_every_problem_leaves_exactly_the_feed_active) {
    ServiceStack stack;
    BOOST_TEST_REQUIRE(stack.sync().exit_code == 0);
    const auto chicago = ServiceStack::chicago_jobs();
    const auto python = ServiceStack::python_jobs();
    std::map<std::string, std::pair<std::string, std::string>> engagement = {
        {job_id_of(chicago[0]), {"41", "applied"}},
        {job_id_of(chicago[3]), {"2", "saved"}},
        {job_id_of(python[0]), {"9", "hidden"}},
        {job_id_of(python[9]), {"5", "saved"}},  // leaves the feed for good
    };
    for (const auto& [id, value] : engagement) {
        stack.db().exec_params(
            "update public.jobs set click_count = $2::int, lane = $3 where job_id = $1",
            {id, value.first, value.second});
    }
    // Ad-hoc run: guarded.
    auto few = python;
    few.resize(3);
    stack.jsearch().set_jobs(ServiceStack::kPython, few);
    BOOST_TEST(
        stack.sync({"--query", ServiceStack::kPython}, {{"JSEARCH_QUERIES", ""}}).exit_code == 6);
    // A refused row.
    stack.db().exec(
        "alter table public.jobs add constraint e2e_title_not_spam "
        "check (job_title not like '%SPAM%') not valid");
    auto spam = chicago;
    spam[3] = with_member(spam[3], "job_title", R"("SPAM")");
    stack.jsearch().set_jobs(ServiceStack::kChicago, spam);
    stack.jsearch().set_jobs(ServiceStack::kPython, python);
    BOOST_TEST(stack.sync().exit_code == 0);
    // A body limit.
    stack.restart_gateway([](GatewayOptions& options) { options.max_body_bytes = 20000; });
    BOOST_TEST(stack.sync().exit_code == 0);

    // The clean run: the admin's rule gone, no proxy limit, python[9] gone from the feed.
    stack.db().exec("alter table public.jobs drop constraint e2e_title_not_spam");
    stack.restart_gateway([](GatewayOptions&) {});
    auto feed_python = python;
    feed_python.pop_back();
    stack.jsearch().set_jobs(ServiceStack::kChicago, chicago);
    stack.jsearch().set_jobs(ServiceStack::kPython, feed_python);
    auto clean = stack.sync();
    BOOST_TEST_INFO(clean.out << clean.log);
    BOOST_TEST_REQUIRE(clean.exit_code == 0);

    std::set<std::string> feed;
    for (const auto& id : ids_of(chicago)) feed.insert(id);
    for (const auto& id : ids_of(feed_python)) feed.insert(id);
    const auto rows = board(stack);
    BOOST_TEST(rows.size() == 20u);
    for (const auto& [id, row] : rows) {
        const auto found = engagement.find(id);
        const std::string clicks = found == engagement.end() ? "0" : found->second.first;
        const std::string lane = found == engagement.end() ? "-" : found->second.second;
        const std::string active = feed.count(id) > 0 ? "true" : "false";
        BOOST_TEST_INFO(id);
        BOOST_TEST(row == active + "|" + clicks + "|" + lane);
    }
    BOOST_TEST(stack.value(job_id_of(chicago[3]), "job_title") != "SPAM");
}

BOOST_AUTO_TEST_SUITE_END()
