// The gateway keeps its database connections between requests, as PostgREST's pool does, and
// still answers right after a request that failed and after the database restarted.
#include <boost/test/unit_test.hpp>

#include "gateway_stack.hpp"

namespace jobsync::testing {
namespace {

constexpr const char* kBackendPidFunction = R"sql(
CREATE OR REPLACE FUNCTION public.test_backend_pid() RETURNS integer
    LANGUAGE sql AS $$ SELECT pg_backend_pid() $$;
)sql";

// The backend that served a call, as the body PostgREST gives a scalar function: "1234".
std::string backend_pid(GatewayStack& stack) {
    const auto response = stack.send_as_service("POST", "/rest/v1/rpc/test_backend_pid", "{}");
    BOOST_TEST_REQUIRE(response.status == 200, response.body);
    return response.body;
}

}  // namespace

BOOST_AUTO_TEST_SUITE(gateway_pool)

BOOST_AUTO_TEST_CASE(one_connection_serves_requests_that_come_one_after_another) {
    GatewayStack stack;
    stack.superuser().exec(kBackendPidFunction);
    const std::string first = backend_pid(stack);
    BOOST_TEST(stack.send_as_service("GET", "/rest/v1/jobs").status == 200);
    BOOST_TEST(backend_pid(stack) == first);
}

BOOST_AUTO_TEST_CASE(a_failed_request_is_rolled_back_and_its_connection_reused) {
    GatewayStack stack;
    stack.superuser().exec(kBackendPidFunction);
    const std::string first = backend_pid(stack);
    // The second row violates the primary key inside the same statement: 409, nothing kept.
    const auto refused =
        stack.send_as_service("POST", "/rest/v1/jobs", R"([{"job_id":"a"},{"job_id":"a"}])");
    BOOST_TEST(refused.status == 409, refused.body);
    BOOST_TEST(backend_pid(stack) == first);
    BOOST_TEST(stack.send_as_service("POST", "/rest/v1/jobs", R"({"job_id":"b"})").status == 201);
    BOOST_TEST(stack.scalar("SELECT string_agg(job_id, ',') FROM jobs") == "b");
}

BOOST_AUTO_TEST_CASE(after_a_database_restart_the_next_request_gets_a_new_connection) {
    GatewayStack stack(/*own_cluster=*/true);
    BOOST_TEST(stack.send_as_service("GET", "/rest/v1/jobs").status == 200);
    stack.cluster().stop();
    stack.cluster().start();
    // The pooled connection died with the old server; the request must not fail with it.
    const auto response = stack.send_as_service("POST", "/rest/v1/jobs", R"({"job_id":"a"})");
    BOOST_TEST(response.status == 201, response.body);
    PgConnection check(stack.cluster().superuser_conninfo());
    BOOST_TEST(
        check.exec("SELECT count(*) FROM jobs WHERE job_id = 'a'").at(0, "count").value_or("") ==
        "1");
}

BOOST_AUTO_TEST_SUITE_END()

}  // namespace jobsync::testing
