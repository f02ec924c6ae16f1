// POST /rest/v1/rpc/<function> as PostgREST answers it (functions.rst, RpcSpec.hs), with the
// run-history functions job-sync calls and a few shaped to cover each return kind.
#include <boost/test/unit_test.hpp>

#include "gateway_stack.hpp"

namespace jobsync::testing {
namespace {

std::string header(const http::Response& response, const char* name) {
    return response.header(name).value_or("<none>");
}

// Test functions beside the migrations' (default privileges let every API role execute them).
struct RpcFunctions {
    RpcFunctions() {
        stack.superuser().exec(R"sql(
CREATE OR REPLACE FUNCTION public.test_add(a integer, b integer DEFAULT 10)
    RETURNS integer LANGUAGE sql IMMUTABLE AS $$ SELECT a + b $$;
CREATE OR REPLACE FUNCTION public.test_set_lane(p_job_id text, p_lane text) RETURNS void
    LANGUAGE sql AS $$ UPDATE public.jobs SET lane = p_lane WHERE job_id = p_job_id $$;
CREATE OR REPLACE FUNCTION public.test_insert_jobs(p_ids text[]) RETURNS SETOF text
    LANGUAGE sql AS $$ INSERT INTO public.jobs (job_id) SELECT unnest(p_ids) RETURNING job_id $$;
CREATE OR REPLACE FUNCTION public.test_job(p_job_id text) RETURNS public.jobs
    LANGUAGE sql STABLE AS $$ SELECT * FROM public.jobs WHERE job_id = p_job_id $$;
-- Declared STABLE but calls a writer: PostgREST runs it READ ONLY, so the insert fails.
CREATE OR REPLACE FUNCTION public.test_stable_writer() RETURNS integer
    LANGUAGE sql STABLE AS $$ SELECT count(*)::integer FROM public.test_insert_jobs('{x}') $$;
CREATE OR REPLACE FUNCTION public.test_raise(p_message text) RETURNS jsonb
    LANGUAGE plpgsql AS $$ BEGIN RAISE EXCEPTION '%', p_message USING HINT = 'a hint'; END $$;
CREATE OR REPLACE FUNCTION public.test_echo(p_doc jsonb, p_flag boolean DEFAULT false)
    RETURNS jsonb LANGUAGE sql AS $$ SELECT p_doc || jsonb_build_object('flag', p_flag) $$;
)sql");
        stack.superuser().exec(
            "INSERT INTO jobs (job_id, lane) VALUES ('a', NULL), ('b', 'saved')");
    }
    http::Response call(const std::string& function, const std::string& body,
                        http::Headers headers = {}) {
        return stack.send_as_service("POST", "/rest/v1/rpc/" + function, body, std::move(headers));
    }
    std::string runs() {
        return stack.scalar(
            "SELECT coalesce(string_agg(run_id || ':' || status, ',' ORDER BY id), '') "
            "FROM job_sync_runs");
    }
    GatewayStack stack;
};

}  // namespace

BOOST_FIXTURE_TEST_SUITE(gateway_rpc, RpcFunctions)

BOOST_AUTO_TEST_CASE(the_lease_functions_round_trip_and_write_the_history) {
    const auto begun =
        call("job_sync_begin", R"({"p_run_id":"r1","p_lease_seconds":600,"p_holder":"h:1"})");
    BOOST_TEST(begun.status == 200);
    BOOST_TEST(header(begun, "Content-Type") == "application/json; charset=utf-8");
    BOOST_TEST(header(begun, "Content-Range") == "0-0/*");
    BOOST_TEST(begun.body.rfind(R"({"shard": 0, "joined": false, "run_id": "r1", )"
                                R"("status": "running", "dry_run": false, "started_at": ")",
                                0) == 0);

    const auto refused = call("job_sync_begin", R"({"p_run_id":"r2"})");
    BOOST_TEST(refused.status == 200);
    BOOST_TEST(refused.body.find(R"("status": "refused")") != std::string::npos);
    BOOST_TEST(refused.body.find(R"("holder_run_id": "r1")") != std::string::npos);

    const auto beat = call("job_sync_heartbeat", R"({"p_run_id":"r1"})");
    BOOST_TEST(beat.body.rfind(R"({"held": true, "lease_expires_at": ")", 0) == 0);

    const auto finished =
        call("job_sync_finish",
             R"({"p_run_id":"r1","p_status":"guarded","p_counts":{"queries":2,"deactivated":0},)"
             R"("p_error":"would deactivate 14 of 20","p_details":{"would_deactivate":14}})");
    BOOST_TEST(finished.status == 200);
    BOOST_TEST(finished.body == R"({"run_id": "r1", "status": "guarded"})");
    BOOST_TEST(runs() == "r1:guarded,r2:refused");
    BOOST_TEST(stack.scalar("SELECT concat_ws('|', queries, deactivated, error, "
                            "details->>'would_deactivate') FROM job_sync_runs "
                            "WHERE run_id = 'r1'") == "2|0|would deactivate 14 of 20|14");

    const auto history = stack.send_as_service(
        "GET", "/rest/v1/job_sync_runs?select=run_id,status&order=started_at.desc,id.desc&limit=1");
    BOOST_TEST(history.status == 200);
    BOOST_TEST(history.body == R"([{"run_id":"r2","status":"refused"}])");
}

BOOST_AUTO_TEST_CASE(the_public_key_can_neither_call_the_lease_functions_nor_read_the_history) {
    const http::Headers anon = {{"apikey", stack.publishable_key()}};
    const auto called =
        stack.send("POST", "/rest/v1/rpc/job_sync_begin", R"({"p_run_id":"x"})", anon);
    BOOST_TEST(called.status == 401);
    BOOST_TEST(called.body == R"({"code":"42501","details":null,"hint":null,)"
                              R"("message":"permission denied for function job_sync_begin"})");
    const auto read = stack.send("GET", "/rest/v1/job_sync_runs", "", anon);
    BOOST_TEST(read.status == 401);
    BOOST_TEST(read.body.find("permission denied for table job_sync_runs") != std::string::npos);
    BOOST_TEST(runs() == "");
}

BOOST_AUTO_TEST_CASE(unknown_functions_and_argument_sets_are_404_pgrst202) {
    const auto unknown = call("job_sync_start", R"({"p_run_id":"x"})");
    BOOST_TEST(unknown.status == 404);
    BOOST_TEST(unknown.body ==
               R"({"code":"PGRST202","details":"Searched for the function )"
               R"(public.job_sync_start with parameter p_run_id or with a single unnamed )"
               R"(json/jsonb parameter, but no matches were found in the schema cache.",)"
               R"("hint":null,"message":"Could not find the function )"
               R"(public.job_sync_start(p_run_id) in the schema cache"})");
    const auto extra = call("test_add", R"({"b":1,"a":2,"c":3})");
    BOOST_TEST(extra.status == 404);
    BOOST_TEST(extra.body.find("Could not find the function public.test_add(a, b, c) in the "
                               "schema cache") != std::string::npos);
    const auto missing = call("test_add", R"({"b":1})");
    BOOST_TEST(missing.status == 404);
    const auto none = call("test_add", "");
    BOOST_TEST(none.body.find("public.test_add without parameters") != std::string::npos);
}

BOOST_AUTO_TEST_CASE(scalars_are_the_bare_json_value_and_defaults_fill_missing_arguments) {
    const auto sum = call("test_add", R"({"a":1})");
    BOOST_TEST(sum.status == 200);
    BOOST_TEST(sum.body == "11");
    BOOST_TEST(call("test_add", R"({"a":1,"b":2})").body == "3");
    const auto echoed = call("test_echo", R"({"p_doc":{"k":[1,"two",null]}})");
    BOOST_TEST(echoed.body == R"({"k": [1, "two", null], "flag": false})");
    const auto null_doc = call("test_echo", R"({"p_doc":null})");
    BOOST_TEST(null_doc.body == "null");
}

BOOST_AUTO_TEST_CASE(void_is_204_without_content_type_and_the_change_is_committed) {
    const auto response = call("test_set_lane", R"({"p_job_id":"a","p_lane":"applied"})");
    BOOST_TEST(response.status == 204);
    BOOST_TEST(response.body.empty());
    BOOST_TEST(header(response, "Content-Type") == "<none>");
    BOOST_TEST(stack.scalar("SELECT string_agg(job_id || ':' || coalesce(lane, '-'), ',' "
                            "ORDER BY id) FROM jobs") == "a:applied,b:saved");
}

BOOST_AUTO_TEST_CASE(setof_is_an_array_counted_and_bounded_by_max_affected) {
    const auto two =
        call("test_insert_jobs", R"({"p_ids":["c","d"]})", {{"Prefer", "count=exact"}});
    BOOST_TEST(two.status == 200);
    BOOST_TEST(two.body == R"(["c", "d"])");
    BOOST_TEST(header(two, "Content-Range") == "0-1/2");
    BOOST_TEST(header(two, "Preference-Applied") == "count=exact");

    const auto too_many = call("test_insert_jobs", R"({"p_ids":["e","f","g"]})",
                               {{"Prefer", "handling=strict, max-affected=2"}});
    BOOST_TEST(too_many.status == 400);
    BOOST_TEST(too_many.body.find(R"("code":"PGRST124")") != std::string::npos);
    BOOST_TEST(stack.scalar("SELECT string_agg(job_id, ',' ORDER BY id) FROM jobs") == "a,b,c,d");

    const auto single =
        call("test_add", R"({"a":1})", {{"Prefer", "handling=strict, max-affected=2"}});
    BOOST_TEST(single.status == 400);
    BOOST_TEST(single.body.find(R"("code":"PGRST128")") != std::string::npos);
}

BOOST_AUTO_TEST_CASE(a_composite_is_an_object_and_a_stable_function_runs_read_only) {
    const auto job = call("test_job", R"({"p_job_id":"b"})");
    BOOST_TEST(job.status == 200);
    BOOST_TEST(job.body.rfind(R"({"id":2,"job_id":"b",)", 0) == 0);
    BOOST_TEST(call("test_job", R"({"p_job_id":"zzz"})").body.find(R"("job_id":null)") !=
               std::string::npos);

    const auto writer = call("test_stable_writer", "{}");
    BOOST_TEST(writer.status == 405);  // 25006 read-only transaction
    BOOST_TEST(writer.body.find(R"("code":"25006")") != std::string::npos);
    BOOST_TEST(stack.scalar("SELECT count(*) FROM jobs") == "2");
}

BOOST_AUTO_TEST_CASE(a_raise_is_400_p0001_and_other_methods_are_refused) {
    const auto raised = call("test_raise", R"({"p_message":"boom"})");
    BOOST_TEST(raised.status == 400);
    BOOST_TEST(raised.body ==
               R"({"code":"P0001","details":null,"hint":"a hint","message":"boom"})");
    const auto deleted = stack.send_as_service("DELETE", "/rest/v1/rpc/test_add");
    BOOST_TEST(deleted.status == 405);
    BOOST_TEST(deleted.body == R"({"code":"PGRST101","details":null,"hint":null,)"
                               R"("message":"Cannot use the DELETE method on RPC"})");
}

BOOST_AUTO_TEST_SUITE_END()

}  // namespace jobsync::testing
