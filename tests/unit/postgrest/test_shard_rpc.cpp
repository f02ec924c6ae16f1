// The sharded run's RPC calls (issue 11): job_sync_claim_sweep and job_sync_finish_run, their
// arguments and the reading of their answers; a refused sibling shard.
#include <rapidjson/document.h>

#include <boost/test/unit_test.hpp>
#include <string>

#include "postgrest/ledger_rpc.hpp"
#include "unit/http/fakes.hpp"

using namespace jobsync;
using jobsync::testing::FakeTransport;

namespace {

http::Response reply(int status, std::string body) {
    return FakeTransport::reply(status, std::move(body),
                                {{"Content-Type", "application/json; charset=utf-8"}});
}

}  // namespace

BOOST_AUTO_TEST_SUITE(shard_rpc)

BOOST_AUTO_TEST_CASE(claim_and_finish_run_name_the_functions_arguments) {
    rapidjson::Document args;
    args.Parse(postgrest::claim_arguments("night", 3).c_str());
    BOOST_TEST(std::string(args["p_run_id"].GetString()) == "night");
    BOOST_TEST(args["p_shard"].GetInt() == 3);

    sync::RunClose close;
    close.run_id = "night";
    close.status = sync::RunStatus::guarded;
    close.deactivated = 0;
    close.error = "mass-deactivation guard: ...";
    close.details_json = R"({"guard":{"active":10}})";
    args.Parse(postgrest::finish_run_arguments(close).c_str());
    BOOST_TEST(std::string(args["p_status"].GetString()) == "guarded");
    BOOST_TEST(args["p_deactivated"].GetInt() == 0);
    BOOST_TEST(std::string(args["p_error"].GetString()) == "mass-deactivation guard: ...");
    BOOST_TEST(args["p_details"]["guard"]["active"].GetInt() == 10);
    close.error.clear();
    close.details_json.clear();
    args.Parse(postgrest::finish_run_arguments(close).c_str());
    BOOST_TEST(args["p_error"].IsNull());
    BOOST_TEST(args["p_details"].IsNull());
}

BOOST_AUTO_TEST_CASE(a_won_claim_carries_the_runs_totals) {
    const auto claim = postgrest::read_claim_reply(
        reply(200, R"({"claimed":true,"run_id":"night","jobs_fetched":40,"billed_requests":12,)"
                   R"("started_at":"2025-01-04T03:00:00+00:00","shard_count":4})"));
    BOOST_TEST(static_cast<int>(claim.failure) == static_cast<int>(sync::Failure::none));
    BOOST_TEST(claim.claimed);
    BOOST_TEST(claim.jobs_fetched == 40);
    BOOST_TEST(claim.billed_requests == 12);
}

BOOST_AUTO_TEST_CASE(a_pending_claim_lists_running_failed_and_missing_shards) {
    const auto claim = postgrest::read_claim_reply(reply(
        200, R"({"claimed":false,"reason":"shards_pending","running":[0],"missing":[3],)"
             R"("failed":[{"shard":1,"status":"failed","error":"HTTP 500"},)"
             R"({"shard":2,"status":"cancelled","error":null}],"succeeded":0,"shard_count":4})"));
    BOOST_TEST(!claim.claimed);
    BOOST_TEST(claim.reason == "shards_pending");
    BOOST_TEST(claim.running == (std::vector<int>{0}));
    BOOST_TEST(claim.missing == (std::vector<int>{3}));
    BOOST_TEST(claim.failed ==
               (std::vector<std::string>{"shard 1 failed: HTTP 500", "shard 2 cancelled"}));
}

BOOST_AUTO_TEST_CASE(a_missing_claim_function_names_the_run_history_migration) {
    const auto claim = postgrest::read_claim_reply(
        reply(404, R"({"code":"PGRST202","message":"Could not find the function )"
                   R"(public.job_sync_claim_sweep(p_run_id, p_shard) in the schema cache"})"));
    BOOST_TEST(static_cast<int>(claim.failure) == static_cast<int>(sync::Failure::rejected));
    BOOST_TEST(claim.message.find("schema/20250104000000_job_sync_runs.sql") != std::string::npos);
    const auto unknown = postgrest::read_claim_reply(reply(200, R"({"claimed":false})"));
    BOOST_TEST(static_cast<int>(unknown.failure) == static_cast<int>(sync::Failure::bad_response));
}

BOOST_AUTO_TEST_CASE(a_sibling_of_a_refused_shard_is_refused_even_when_the_holder_is_gone) {
    const auto lease = postgrest::read_begin_reply(
        reply(200, R"({"status":"refused","run_id":"late","holder_run_id":null,"holder":null,)"
                   R"("error":"another run holds the lease: early (holder a:1) since ..."})"));
    BOOST_TEST(static_cast<int>(lease.state) == static_cast<int>(sync::Lease::State::refused));
    BOOST_TEST(lease.message ==
               "run late was refused when its first shard started: another run holds the lease: "
               "early (holder a:1) since ...");
}

BOOST_AUTO_TEST_SUITE_END()
