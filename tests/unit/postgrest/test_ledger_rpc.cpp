#include <rapidjson/document.h>

#include <boost/test/unit_test.hpp>
#include <string>

#include "postgrest/ledger_rpc.hpp"
#include "postgrest/response.hpp"
#include "unit/http/fakes.hpp"

using namespace jobsync;
using jobsync::testing::FakeTransport;
using Lease = sync::Lease;

namespace {

http::Response reply(int status, std::string body) {
    return FakeTransport::reply(status, std::move(body),
                                {{"Content-Type", "application/json; charset=utf-8"}});
}

bool contains(const std::string& text, const std::string& part) {
    return text.find(part) != std::string::npos;
}

}  // namespace

BOOST_AUTO_TEST_SUITE(ledger_rpc)

BOOST_AUTO_TEST_CASE(begin_names_every_argument_of_the_contract) {
    sync::RunStart start;
    start.run_id = "nightly-1";
    start.holder = "host:42";
    start.lease_seconds = 900;
    rapidjson::Document args;
    const std::string text = postgrest::begin_arguments(start);
    args.Parse(text.c_str());
    BOOST_TEST_REQUIRE(args.IsObject());
    BOOST_TEST(std::string(args["p_run_id"].GetString()) == "nightly-1");
    BOOST_TEST(args["p_lease_seconds"].GetInt() == 900);
    BOOST_TEST(std::string(args["p_holder"].GetString()) == "host:42");
    BOOST_TEST(args["p_shard"].GetInt() == 0);
    BOOST_TEST(args["p_shard_count"].GetInt() == 1);
}

BOOST_AUTO_TEST_CASE(a_running_answer_holds_the_lease_with_the_databases_start_time) {
    const Lease lease = postgrest::read_begin_reply(reply(
        200, R"({"status":"running","run_id":"r","started_at":"2025-01-04T03:00:00.123456+00:00",)"
             R"("lease_expires_at":"2025-01-04T03:15:00.123456+00:00","joined":false})"));
    BOOST_TEST(static_cast<int>(lease.state) == static_cast<int>(Lease::State::held));
    BOOST_TEST(lease.started_at == "2025-01-04T03:00:00.123456+00:00");
    BOOST_TEST(!lease.joined);
}

BOOST_AUTO_TEST_CASE(a_refused_answer_names_the_holder) {
    const Lease lease = postgrest::read_begin_reply(reply(
        200,
        R"({"status":"refused","run_id":"b","holder_run_id":"a","holder":"box:7",)"
        R"("holder_started_at":"2025-01-04T03:00:00+00:00","lease_expires_at":"2025-01-04T03:15:00+00:00"})"));
    BOOST_TEST(static_cast<int>(lease.state) == static_cast<int>(Lease::State::refused));
    BOOST_TEST(contains(lease.message, "run a"));
    BOOST_TEST(contains(lease.message, "box:7"));
    BOOST_TEST(contains(lease.message, "2025-01-04T03:15:00"));
}

BOOST_AUTO_TEST_CASE(a_finished_run_id_cannot_run_again) {
    const Lease lease = postgrest::read_begin_reply(
        reply(200, R"({"status":"finished","run_id":"r","run_status":"succeeded"})"));
    BOOST_TEST(static_cast<int>(lease.state) == static_cast<int>(Lease::State::finished));
    BOOST_TEST(contains(lease.message, "--run-id"));
}

BOOST_AUTO_TEST_CASE(a_missing_function_names_the_migration_to_apply) {
    const Lease lease = postgrest::read_begin_reply(
        reply(404, R"({"code":"PGRST202","message":"Could not find the function )"
                   R"(public.job_sync_begin(p_holder, p_lease_seconds, p_run_id, p_shard, )"
                   R"(p_shard_count) in the schema cache","details":null,"hint":null})"));
    BOOST_TEST(static_cast<int>(lease.state) == static_cast<int>(Lease::State::failed));
    BOOST_TEST(lease.ledger_missing);
    BOOST_TEST(contains(lease.message, "schema/20250104000000_job_sync_runs.sql"));
}

BOOST_AUTO_TEST_CASE(a_rejected_key_is_an_auth_failure) {
    const Lease lease =
        postgrest::read_begin_reply(reply(401, R"({"message":"Invalid API key","hint":null})"));
    BOOST_TEST(static_cast<int>(lease.failure) == static_cast<int>(sync::Failure::auth));
    BOOST_TEST(!lease.ledger_missing);
}

BOOST_AUTO_TEST_CASE(finish_sends_status_counts_error_and_details) {
    sync::RunRecord record;
    record.run_id = "r";
    record.status = sync::RunStatus::guarded;
    record.counts.rows_upserted = 20;
    record.counts.jobs_refused = 1;
    record.error = "mass-deactivation guard: ...";
    record.details_json = R"({"refused_jobs":[{"job_id":"x","code":"23514","message":"m"}]})";
    rapidjson::Document args;
    const std::string text = postgrest::finish_arguments(record);
    args.Parse(text.c_str());
    BOOST_TEST_REQUIRE(args.IsObject());
    BOOST_TEST(std::string(args["p_status"].GetString()) == "guarded");
    BOOST_TEST(args["p_counts"]["rows_upserted"].GetInt() == 20);
    BOOST_TEST(args["p_counts"]["jobs_refused"].GetInt() == 1);
    BOOST_TEST(std::string(args["p_error"].GetString()) == "mass-deactivation guard: ...");
    BOOST_TEST(std::string(args["p_details"]["refused_jobs"][0]["code"].GetString()) == "23514");
}

BOOST_AUTO_TEST_CASE(a_heartbeat_for_a_run_no_longer_running_is_not_held) {
    const auto renewal =
        postgrest::read_renew_reply(reply(200, R"({"held":false,"status":"failed"})"));
    BOOST_TEST(static_cast<int>(renewal.failure) == static_cast<int>(sync::Failure::none));
    BOOST_TEST(!renewal.held);
    BOOST_TEST(renewal.status == "failed");
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_AUTO_TEST_SUITE(batch_problem)

using sync::BatchProblem;

int classify(int status, const std::string& body) {
    return static_cast<int>(postgrest::classify_batch_problem(reply(status, body)));
}

std::string error(const std::string& code) {
    return R"({"code":")" + code + R"(","message":"m","details":null,"hint":null})";
}

BOOST_AUTO_TEST_CASE(data_errors_are_bisected) {
    for (const char* code : {"22P05", "22008", "22P02", "22001", "23514", "23502", "P0001"}) {
        BOOST_TEST_INFO(code);
        BOOST_TEST(classify(400, error(code)) == static_cast<int>(BatchProblem::rows_refused));
    }
    BOOST_TEST(classify(409, error("23505")) == static_cast<int>(BatchProblem::rows_refused));
}

BOOST_AUTO_TEST_CASE(errors_no_split_can_fix_are_not) {
    BOOST_TEST(classify(401, error("PGRST301")) == static_cast<int>(BatchProblem::none));
    BOOST_TEST(classify(403, error("42501")) == static_cast<int>(BatchProblem::none));
    BOOST_TEST(classify(404, error("PGRST205")) == static_cast<int>(BatchProblem::none));
    BOOST_TEST(classify(400, error("PGRST204")) == static_cast<int>(BatchProblem::none));
    BOOST_TEST(classify(400, error("PGRST102")) == static_cast<int>(BatchProblem::none));
    BOOST_TEST(classify(400, error("42703")) == static_cast<int>(BatchProblem::none));
    BOOST_TEST(classify(400, error("42P10")) == static_cast<int>(BatchProblem::none));
    BOOST_TEST(classify(500, error("21000")) == static_cast<int>(BatchProblem::none));
    BOOST_TEST(classify(500, error("P0002")) == static_cast<int>(BatchProblem::none));
    BOOST_TEST(classify(503, "") == static_cast<int>(BatchProblem::none));
    BOOST_TEST(classify(400, "not json") == static_cast<int>(BatchProblem::none));
}

BOOST_AUTO_TEST_CASE(size_and_time_problems_ask_for_smaller_batches) {
    BOOST_TEST(classify(413, "<html>413</html>") == static_cast<int>(BatchProblem::body_too_large));
    BOOST_TEST(classify(500, error("57014")) == static_cast<int>(BatchProblem::statement_timeout));
    BOOST_TEST(classify(504, "upstream: canceling statement due to statement timeout") ==
               static_cast<int>(BatchProblem::statement_timeout));
    BOOST_TEST(classify(400, error("57014")) == static_cast<int>(BatchProblem::none));
}

BOOST_AUTO_TEST_SUITE_END()
