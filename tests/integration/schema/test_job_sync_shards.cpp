// One run over several shards (schema/20250104000000_job_sync_runs.sql): shard results, the
// one sweep claim, the run closed with counts summed over its shards, a failed shard retried,
// and the claim raced from several connections. Called as service_role, one transaction per
// call, on the authenticator connection PostgREST would use.
#include <algorithm>
#include <boost/test/unit_test.hpp>
#include <map>
#include <string>
#include <thread>
#include <vector>

#include "rpc_calls.hpp"
#include "schema_database.hpp"

namespace jobsync::testing {
namespace {

std::string failure_of(PgConnection& connection, const std::string& sql) {
    return outcome_as(connection, "service_role", sql);
}

std::string counts(long queries, long billed, long fetched, long upserted) {
    return "'{\"queries\":" + std::to_string(queries) + ",\"requests\":" + std::to_string(billed) +
           ",\"billed_requests\":" + std::to_string(billed) +
           ",\"jobs_fetched\":" + std::to_string(fetched) +
           ",\"jobs_skipped\":0,\"jobs_refused\":0,\"rows_upserted\":" + std::to_string(upserted) +
           ",\"retries\":1}'";
}

struct ShardedDatabase {
    ShardedDatabase() : api(database.connect_authenticator()) { database.apply_all_migrations(); }
    std::string scalar(const std::string& sql) {
        const PgRows rows = database.superuser().exec(sql);
        BOOST_REQUIRE_EQUAL(rows.rows.size(), 1u);
        return rows.rows[0][0].value_or("<null>");
    }
    std::string run(const std::string& run_id, const std::string& columns) {
        return scalar("SELECT concat_ws('|', " + columns +
                      ") FROM public.job_sync_runs WHERE run_id = '" + run_id + "'");
    }
    Fields begin(const std::string& run_id, int shard, int shard_count) {
        return call(api, "public.job_sync_begin('" + run_id + "', 900, 'pod-" +
                             std::to_string(shard) + "', " + std::to_string(shard) + ", " +
                             std::to_string(shard_count) + ")");
    }
    Fields finish(const std::string& run_id, int shard, const std::string& status,
                  const std::string& counts_json = "'{}'", const std::string& error = "NULL") {
        return call(api, "public.job_sync_finish('" + run_id + "', '" + status + "', " +
                             counts_json + ", " + error + ", " + std::to_string(shard) + ")");
    }
    Fields claim(const std::string& run_id, int shard) {
        return call(api,
                    "public.job_sync_claim_sweep('" + run_id + "', " + std::to_string(shard) + ")");
    }
    SchemaDatabase database;
    PgConnection api;
};

}  // namespace

BOOST_FIXTURE_TEST_SUITE(job_sync_shards, ShardedDatabase)

BOOST_AUTO_TEST_CASE(the_last_shard_to_succeed_claims_the_one_sweep_and_closes_the_run) {
    const Fields first = begin("night", 0, 3);
    BOOST_TEST(first.at("joined") == "false");
    BOOST_TEST(begin("night", 2, 3).at("started_at") == first.at("started_at"));
    BOOST_TEST(begin("night", 1, 3).at("started_at") == first.at("started_at"));

    BOOST_TEST(finish("night", 2, "succeeded", counts(2, 4, 30, 28)).at("status") == "running");
    const Fields early = claim("night", 2);
    BOOST_TEST(early.at("claimed") == "false");
    BOOST_TEST(early.at("reason") == "shards_pending");
    BOOST_TEST(early.at("running") == "[0, 1]");
    BOOST_TEST(early.at("succeeded") == "1");

    finish("night", 0, "succeeded", counts(1, 2, 10, 10));
    finish("night", 1, "succeeded", counts(3, 6, 0, 0));  // a shard may find nothing
    const Fields won = claim("night", 1);
    BOOST_TEST(won.at("claimed") == "true");
    BOOST_TEST(won.at("started_at") == first.at("started_at"));
    BOOST_TEST(won.at("jobs_fetched") == "40");
    BOOST_TEST(won.at("billed_requests") == "12");
    // Nobody else sweeps, and no shard can join a run whose sweep has begun.
    BOOST_TEST(claim("night", 0).at("reason") == "claimed");
    BOOST_TEST(begin("night", 0, 3).at("status") == "finished");
    BOOST_TEST(run("night", "status, sweep_shard, sweep_claimed_at IS NOT NULL") == "running|1|t");

    BOOST_TEST(call(api,
                    "public.job_sync_finish_run('night', 'succeeded', 7, NULL, "
                    "'{\"guard\":{\"active\":40}}')")
                   .at("status") == "succeeded");
    BOOST_TEST(run("night",
                   "status, queries, requests, billed_requests, jobs_fetched, rows_upserted, "
                   "retries, deactivated, coalesce(error, '-'), lease_expires_at IS NULL, "
                   "finished_at IS NOT NULL, details->'guard'->>'active', "
                   "jsonb_array_length(details->'shards')") ==
               "succeeded|6|12|12|40|38|3|7|-|t|t|40|3");
    BOOST_TEST(claim("night", 0).at("reason") == "not_running");
    BOOST_TEST(call(api, "public.job_sync_begin('tomorrow')").at("status") == "running");
}

BOOST_AUTO_TEST_CASE(a_failed_shard_blocks_the_sweep_names_itself_and_may_be_retried) {
    begin("night", 0, 3);
    begin("night", 1, 3);
    finish("night", 0, "succeeded", counts(1, 2, 10, 10));
    finish("night", 1, "failed", counts(1, 3, 0, 0), "'query ''a'' failed: HTTP 500'");
    BOOST_TEST(run("night", "status, error") ==
               "running|shard 1 of 3 failed: query 'a' failed: HTTP 500");
    const Fields blocked = claim("night", 0);
    BOOST_TEST(blocked.at("claimed") == "false");
    BOOST_TEST(blocked.at("failed") ==
               R"([{"error": "query 'a' failed: HTTP 500", "shard": 1, "status": "failed"}])");
    BOOST_TEST(blocked.at("missing") == "[2]");

    // Kubernetes retries shard 1: it re-joins the open run; shard 2 starts late.
    BOOST_TEST(begin("night", 1, 3).at("joined") == "true");
    BOOST_TEST(run("night", "status, coalesce(error, '-')") == "running|-");
    BOOST_TEST(scalar("SELECT attempts || ':' || status FROM public.job_sync_run_shards "
                      "WHERE run_id = 'night' AND shard = 1") == "2:running");
    begin("night", 2, 3);
    finish("night", 2, "succeeded", counts(1, 2, 5, 5));
    BOOST_TEST(claim("night", 2).at("claimed") == "false");
    finish("night", 1, "succeeded", counts(1, 2, 7, 7));
    BOOST_TEST(claim("night", 1).at("claimed") == "true");
    call(api, "public.job_sync_finish_run('night', 'succeeded', 0)");
    // The failed attempt's billing is replaced by the retry's: the shard row holds its last try.
    BOOST_TEST(run("night", "status, billed_requests, jobs_fetched") == "succeeded|6|22");
}

BOOST_AUTO_TEST_CASE(a_sharded_run_left_unfinished_expires_naming_its_shards) {
    begin("night", 0, 3);
    begin("night", 1, 3);
    finish("night", 0, "cancelled", "'{}'", "'stopped by SIGTERM'");
    database.superuser().exec(
        "UPDATE public.job_sync_runs SET lease_expires_at = now() - interval '1 minute'");
    BOOST_TEST(call(api, "public.job_sync_begin('tomorrow')").at("status") == "running");
    const std::string error = run("night", "status, error");
    BOOST_TEST(error.find("failed|lease expired at ") == 0u);
    BOOST_TEST(error.find(", no sweep: shard 0 of 3 cancelled: stopped by SIGTERM; shard 1 of 3 "
                          "stopped without finishing; shard 2 of 3 never started") !=
               std::string::npos);
    // Too late to join, and the sweep is never claimed.
    BOOST_TEST(begin("night", 2, 3).at("status") == "finished");
    BOOST_TEST(claim("night", 1).at("reason") == "not_running");
}

BOOST_AUTO_TEST_CASE(shards_of_a_refused_run_are_refused_and_shard_counts_must_agree) {
    begin("holder", 0, 2);
    BOOST_TEST(begin("late", 0, 2).at("status") == "refused");
    const Fields sibling = begin("late", 1, 2);
    BOOST_TEST(sibling.at("status") == "refused");
    BOOST_TEST(sibling.at("holder_run_id") == "holder");
    BOOST_TEST(failure_of(api, "SELECT public.job_sync_begin('holder', 900, NULL, 1, 3)") ==
               "22023");
    BOOST_TEST(failure_of(api, "SELECT public.job_sync_finish_run('holder', 'succeeded')") ==
               "22023");  // no sweep claimed
    BOOST_TEST(failure_of(api, "SELECT public.job_sync_claim_sweep('nope')") == "22023");
    for (const char* role : {"anon", "authenticated"}) {
        api.exec("BEGIN");
        api.exec(std::string("SET LOCAL ROLE ") + role);
        std::string state = "ok";
        try {
            api.exec("SELECT public.job_sync_claim_sweep('holder')");
        } catch (const PgError& e) {
            state = e.sqlstate();
        }
        api.exec("ROLLBACK");
        BOOST_TEST(state == "42501");
    }
}

BOOST_AUTO_TEST_CASE(claimers_racing_from_several_connections_leave_exactly_one_winner) {
    constexpr int kRounds = 6;
    constexpr int kShards = 4;
    for (int round = 0; round < kRounds; ++round) {
        BOOST_TEST_CONTEXT("round " << round) {
            const std::string id = "race-" + std::to_string(round);
            for (int shard = 0; shard < kShards; ++shard) begin(id, shard, kShards);
            std::vector<PgConnection> connections;
            for (int i = 0; i < kShards; ++i) {
                connections.push_back(database.connect_authenticator());
            }
            std::vector<std::string> claimed(kShards);
            std::vector<std::thread> threads;
            for (int i = 0; i < kShards; ++i) {
                // Each shard finishes, then claims, at the same time as the others: whatever
                // the interleaving, exactly one sees every shard succeeded and wins.
                threads.emplace_back([&, i] {
                    const std::string shard = std::to_string(i);
                    call(connections[i], "public.job_sync_finish('" + id +
                                             "', 'succeeded', '{}', NULL, " + shard + ")");
                    claimed[i] = call(connections[i],
                                      "public.job_sync_claim_sweep('" + id + "', " + shard + ")")
                                     .at("claimed");
                });
            }
            for (auto& thread : threads) thread.join();
            BOOST_TEST(std::count(claimed.begin(), claimed.end(), "true") == 1);
            call(api, "public.job_sync_finish_run('" + id + "', 'succeeded')");
        }
    }
}

BOOST_AUTO_TEST_SUITE_END()

}  // namespace jobsync::testing
