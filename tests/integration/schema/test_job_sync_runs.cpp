// The run history and the lease (schema/20250104000000_job_sync_runs.sql) as job-sync uses
// them through PostgREST: the functions called as service_role after `SET LOCAL ROLE`, one
// transaction per call, each on the authenticator connection PostgREST would use.
#include <algorithm>
#include <boost/test/unit_test.hpp>
#include <chrono>
#include <map>
#include <string>
#include <thread>
#include <vector>

#include "rpc_calls.hpp"
#include "schema_database.hpp"

namespace jobsync::testing {
namespace {

// "key=value,..." in key order, for comparisons that print well.
std::string describe(const Fields& fields) {
    std::string out;
    for (const auto& [key, value] : fields) out += (out.empty() ? "" : ",") + key + "=" + value;
    return out;
}

struct MigratedDatabase {
    MigratedDatabase() : api(database.connect_authenticator()) { database.apply_all_migrations(); }
    std::string scalar(const std::string& sql) {
        const PgRows rows = database.superuser().exec(sql);
        BOOST_REQUIRE_EQUAL(rows.rows.size(), 1u);
        return rows.rows[0][0].value_or("<null>");
    }
    // "run_id:status" of every run, oldest first.
    std::string runs() {
        return scalar(
            "SELECT coalesce(string_agg(run_id || ':' || status, ',' ORDER BY id), '') "
            "FROM public.job_sync_runs");
    }
    SchemaDatabase database;
    PgConnection api;
};

BOOST_FIXTURE_TEST_SUITE(job_sync_runs, MigratedDatabase)

BOOST_AUTO_TEST_CASE(begin_heartbeat_and_finish_record_the_run_and_its_shard) {
    const Fields begun = call(api, "public.job_sync_begin('r1', 900, 'host-a:41')");
    BOOST_TEST(begun.at("status") == "running");
    BOOST_TEST(begun.at("run_id") == "r1");
    BOOST_TEST(begun.at("joined") == "false");
    BOOST_TEST(begun.at("dry_run") == "false");
    const std::string started_at = begun.at("started_at");
    BOOST_TEST(scalar("SELECT started_at = '" + started_at +
                      "'::timestamptz AND "
                      "lease_expires_at = started_at + interval '900 seconds' AND "
                      "holder = 'host-a:41' AND finished_at IS NULL "
                      "FROM public.job_sync_runs WHERE run_id = 'r1'") == "t");

    const Fields beat = call(api, "public.job_sync_heartbeat('r1', 60)");
    BOOST_TEST(beat.at("held") == "true");
    BOOST_TEST(scalar("SELECT lease_expires_at = '" + beat.at("lease_expires_at") +
                      "'::timestamptz AND lease_expires_at < started_at + interval '900 seconds' "
                      "FROM public.job_sync_runs WHERE run_id = 'r1'") == "t");

    const Fields finished =
        call(api,
             "public.job_sync_finish('r1', 'succeeded', '{\"queries\":2,\"requests\":3,"
             "\"billed_requests\":4,\"jobs_fetched\":20,\"jobs_skipped\":1,\"jobs_refused\":1,"
             "\"rows_upserted\":18,\"deactivated\":5,\"retries\":2}', NULL, 0, "
             "'{\"refused_jobs\":[{\"job_id\":\"x\",\"code\":\"22P05\"}]}')");
    BOOST_TEST(describe(finished) == "run_id=r1,status=succeeded");
    BOOST_TEST(scalar("SELECT concat_ws('|', status, queries, requests, billed_requests, "
                      "jobs_fetched, jobs_skipped, jobs_refused, rows_upserted, deactivated, "
                      "retries, coalesce(error, '-'), details->'refused_jobs'->0->>'code', "
                      "finished_at IS NOT NULL, lease_expires_at IS NULL) "
                      "FROM public.job_sync_runs WHERE run_id = 'r1'") ==
               "succeeded|2|3|4|20|1|1|18|5|2|-|22P05|t|t");
    BOOST_TEST(scalar("SELECT concat_ws('|', shard, status, queries, requests, billed_requests, "
                      "jobs_fetched, jobs_skipped, jobs_refused, rows_upserted, retries, "
                      "holder, finished_at IS NOT NULL) FROM public.job_sync_run_shards") ==
               "0|succeeded|2|3|4|20|1|1|18|2|host-a:41|t");

    // A finished run id is never run again; its lease is gone.
    BOOST_TEST(describe(call(api, "public.job_sync_begin('r1')")) ==
               "run_id=r1,run_status=succeeded,status=finished");
    BOOST_TEST(describe(call(api, "public.job_sync_heartbeat('r1')")) ==
               "held=false,status=succeeded");
    BOOST_TEST(describe(call(api, "public.job_sync_heartbeat('nope')")) ==
               "held=false,status=<null>");
    BOOST_TEST(runs() == "r1:succeeded");
}

BOOST_AUTO_TEST_CASE(a_second_begin_while_one_runs_is_refused_and_recorded) {
    const Fields holder = call(api, "public.job_sync_begin('nightly', 900, 'cron:7')");
    const Fields refused = call(api, "public.job_sync_begin('by-hand', 900, 'laptop:9')");
    BOOST_TEST(refused.at("status") == "refused");
    BOOST_TEST(refused.at("run_id") == "by-hand");
    BOOST_TEST(refused.at("holder_run_id") == "nightly");
    BOOST_TEST(refused.at("holder") == "cron:7");
    BOOST_TEST(refused.at("holder_started_at") == holder.at("started_at"));
    BOOST_TEST(refused.at("lease_expires_at") == holder.at("lease_expires_at"));
    BOOST_TEST(runs() == "nightly:running,by-hand:refused");
    BOOST_TEST(scalar("SELECT error FROM public.job_sync_runs WHERE run_id = 'by-hand'") ==
               scalar("SELECT 'another run holds the lease: nightly (holder cron:7) since ' || "
                      "to_char(started_at AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"') "
                      "|| ', lease until ' || to_char(lease_expires_at AT TIME ZONE 'UTC', "
                      "'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"') FROM public.job_sync_runs "
                      "WHERE run_id = 'nightly'"));
    BOOST_TEST(scalar("SELECT (finished_at IS NOT NULL AND lease_expires_at IS NULL AND "
                      "holder = 'laptop:9')::text FROM public.job_sync_runs "
                      "WHERE run_id = 'by-hand'") == "true");

    call(api, "public.job_sync_finish('nightly', 'failed', '{}', 'quota exhausted')");
    BOOST_TEST(call(api, "public.job_sync_begin('next')").at("status") == "running");
    BOOST_TEST(runs() == "nightly:failed,by-hand:refused,next:running");
    BOOST_TEST(scalar("SELECT error FROM public.job_sync_runs WHERE run_id = 'nightly'") ==
               "quota exhausted");
}

BOOST_AUTO_TEST_CASE(shards_of_one_run_share_its_lease_and_keep_their_own_results) {
    call(api, "public.job_sync_begin('sharded', 900, 'pod-0', 0, 2)");
    const Fields joined = call(api, "public.job_sync_begin('sharded', 900, 'pod-1', 1, 2)");
    BOOST_TEST(joined.at("status") == "running");
    BOOST_TEST(joined.at("joined") == "true");
    BOOST_TEST(joined.at("shard") == "1");
    BOOST_TEST(joined.at("shard_count") == "2");

    const Fields finished =
        call(api, "public.job_sync_finish('sharded', 'succeeded', '{\"queries\":3}', NULL, 1)");
    BOOST_TEST(finished.at("status") == "running");  // the run waits for every shard
    BOOST_TEST(scalar("SELECT string_agg(shard || ':' || status || ':' || holder || ':' || "
                      "coalesce(queries::text, '-'), ',' ORDER BY shard) "
                      "FROM public.job_sync_run_shards") ==
               "0:running:pod-0:-,1:succeeded:pod-1:3");
    BOOST_TEST(runs() == "sharded:running");
}

BOOST_AUTO_TEST_CASE(a_begin_waiting_on_an_uncommitted_holder_is_refused_once_it_commits) {
    PgConnection first = database.connect_authenticator();
    first.exec("BEGIN");
    first.exec("SET LOCAL ROLE service_role");
    first.exec("SELECT public.job_sync_begin('first')");

    Fields second;
    std::thread contender([&] {
        PgConnection connection = database.connect_authenticator();
        second = call(connection, "public.job_sync_begin('second')");
    });
    // The contender's insert blocks on job_sync_runs_one_running until `first` ends.
    const std::string wait_for_lock =
        "SELECT count(*) FROM pg_stat_activity WHERE wait_event_type = 'Lock' "
        "AND query LIKE '%job_sync_begin(''second'')%'";
    for (int i = 0; i < 500 && scalar(wait_for_lock) == "0"; ++i) {
        std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    BOOST_TEST(scalar(wait_for_lock) == "1");
    first.exec("COMMIT");
    contender.join();

    BOOST_TEST(second.at("status") == "refused");
    BOOST_TEST(second.at("holder_run_id") == "first");
    BOOST_TEST(runs() == "first:running,second:refused");
}

BOOST_AUTO_TEST_CASE(two_begins_racing_from_two_connections_leave_exactly_one_running) {
    constexpr int kRounds = 8;
    for (int round = 0; round < kRounds; ++round) {
        BOOST_TEST_CONTEXT("round " << round) {
            std::vector<std::string> statuses(2);
            std::vector<PgConnection> connections;
            connections.push_back(database.connect_authenticator());
            connections.push_back(database.connect_authenticator());
            std::vector<std::thread> threads;
            for (int i = 0; i < 2; ++i) {
                threads.emplace_back([&, i] {
                    const std::string run =
                        "race-" + std::to_string(round) + "-" + std::to_string(i);
                    statuses[i] =
                        call(connections[i], "public.job_sync_begin('" + run + "')").at("status");
                });
            }
            for (auto& thread : threads) thread.join();
            std::sort(statuses.begin(), statuses.end());
            BOOST_TEST(statuses == (std::vector<std::string>{"refused", "running"}));
            BOOST_TEST(scalar("SELECT count(*) FROM public.job_sync_runs WHERE status = "
                              "'running'") == "1");
            database.superuser().exec(
                "UPDATE public.job_sync_runs SET status = 'succeeded', finished_at = now(), "
                "lease_expires_at = NULL WHERE status = 'running'");
        }
    }
    BOOST_TEST(scalar("SELECT count(*) FROM public.job_sync_runs") == std::to_string(2 * kRounds));
}

BOOST_AUTO_TEST_CASE(an_expired_lease_is_marked_failed_and_the_next_begin_takes_it) {
    call(api, "public.job_sync_begin('killed', 900, 'node-3:1')");
    database.superuser().exec(
        "UPDATE public.job_sync_runs SET lease_expires_at = now() - interval '1 minute'");
    const std::string expired_at = scalar(
        "SELECT to_char(lease_expires_at AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"') "
        "FROM public.job_sync_runs");

    BOOST_TEST(call(api, "public.job_sync_begin('tomorrow')").at("status") == "running");
    BOOST_TEST(runs() == "killed:failed,tomorrow:running");
    const std::string expected_error = "lease expired at " + expired_at +
                                       ": the run stopped without finishing (killed, OOM or "
                                       "node lost)";
    BOOST_TEST(scalar("SELECT error FROM public.job_sync_runs WHERE run_id = 'killed'") ==
               expected_error);
    BOOST_TEST(scalar("SELECT (finished_at IS NOT NULL)::text FROM public.job_sync_runs "
                      "WHERE run_id = 'killed'") == "true");
    BOOST_TEST(scalar("SELECT status || ':' || error FROM public.job_sync_run_shards "
                      "WHERE run_id = 'killed'") == "failed:" + expected_error);

    // The old holder was only stalled: its finish is recorded on its shard, the run stays failed.
    BOOST_TEST(call(api, "public.job_sync_heartbeat('killed')").at("held") == "false");
    BOOST_TEST(describe(call(api,
                             "public.job_sync_finish('killed', 'succeeded', "
                             "'{\"queries\":1}')")) == "late=true,run_id=killed,status=failed");
    BOOST_TEST(scalar("SELECT status || ':' || queries FROM public.job_sync_run_shards "
                      "WHERE run_id = 'killed'") == "succeeded:1");
    BOOST_TEST(runs() == "killed:failed,tomorrow:running");
}

BOOST_AUTO_TEST_CASE(dry_runs_never_contest_the_lease) {
    call(api, "public.job_sync_begin('live')");
    const Fields dry = call(api, "public.job_sync_begin('dry', 900, NULL, 0, 1, true)");
    BOOST_TEST(dry.at("status") == "running");
    BOOST_TEST(dry.at("dry_run") == "true");
    BOOST_TEST(call(api, "public.job_sync_begin('other')").at("status") == "refused");
    BOOST_TEST(call(api, "public.job_sync_finish('dry', 'succeeded')").at("status") == "succeeded");
    BOOST_TEST(runs() == "live:running,dry:succeeded,other:refused");

    // A dry run that died is not left running forever either.
    call(api, "public.job_sync_begin('dry-killed', 900, NULL, 0, 1, true)");
    database.superuser().exec(
        "UPDATE public.job_sync_runs SET lease_expires_at = now() - "
        "interval '1 second' WHERE run_id = 'dry-killed'");
    call(api, "public.job_sync_begin('dry-next', 900, NULL, 0, 1, true)");
    BOOST_TEST(runs() ==
               "live:running,dry:succeeded,other:refused,dry-killed:failed,dry-next:running");
}

BOOST_AUTO_TEST_CASE(bad_arguments_are_refused_with_invalid_parameter_value) {
    BOOST_TEST(outcome_as(api, "service_role", "SELECT public.job_sync_begin('r', 0)") == "22023");
    BOOST_TEST(outcome_as(api, "service_role", "SELECT public.job_sync_begin('')") == "22023");
    BOOST_TEST(outcome_as(api, "service_role",
                          "SELECT public.job_sync_begin('r', 900, NULL, 2, "
                          "2)") == "22023");
    call(api, "public.job_sync_begin('r')");
    BOOST_TEST(outcome_as(api, "service_role", "SELECT public.job_sync_finish('r', 'running')") ==
               "22023");
    BOOST_TEST(outcome_as(api, "service_role", "SELECT public.job_sync_finish('nope', 'failed')") ==
               "22023");
    BOOST_TEST(
        outcome_as(api, "service_role",
                   "SELECT public.job_sync_finish('r', 'failed', '{\"queries\":\"many\"}')") ==
        "22P02");
    BOOST_TEST(runs() == "r:running");
}

BOOST_AUTO_TEST_CASE(anon_and_authenticated_can_neither_read_the_history_nor_call_the_functions) {
    call(api, "public.job_sync_begin('r')");
    const char* statements[] = {
        "SELECT * FROM public.job_sync_runs",
        "SELECT * FROM public.job_sync_run_shards",
        "INSERT INTO public.job_sync_runs (run_id, status) VALUES ('x', 'failed')",
        "UPDATE public.job_sync_runs SET status = 'failed'",
        "DELETE FROM public.job_sync_runs",
        "SELECT public.job_sync_begin('x')",
        "SELECT public.job_sync_heartbeat('r')",
        "SELECT public.job_sync_finish('r', 'failed')",
    };
    for (const char* role : {"anon", "authenticated"}) {
        for (const char* sql : statements) {
            BOOST_TEST_CONTEXT(role << ": " << sql) {
                BOOST_TEST(outcome_as(api, role, sql) == "42501");
            }
        }
    }
    // The service role keeps the history: it reads and writes, never deletes.
    BOOST_TEST(outcome_as(api, "service_role", "SELECT * FROM public.job_sync_runs") == "ok");
    BOOST_TEST(outcome_as(api, "service_role", "DELETE FROM public.job_sync_runs") == "42501");
    BOOST_TEST(scalar("SELECT count(*) FROM pg_policies WHERE tablename LIKE 'job_sync%'") == "0");
    BOOST_TEST(scalar("SELECT string_agg(relname || ':' || relrowsecurity, ',' ORDER BY relname) "
                      "FROM pg_class WHERE relname IN ('job_sync_runs', 'job_sync_run_shards')") ==
               "job_sync_run_shards:true,job_sync_runs:true");
    BOOST_TEST(runs() == "r:running");
}

BOOST_AUTO_TEST_SUITE_END()

}  // namespace
}  // namespace jobsync::testing
