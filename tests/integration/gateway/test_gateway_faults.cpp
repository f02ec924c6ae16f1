// What tests of the service rely on: the request log, injected faults, the before-request
// hook, and 5xx (never a hang) once the database is gone.
#include <boost/test/unit_test.hpp>
#include <chrono>

#include "gateway_stack.hpp"

namespace jobsync::testing {

BOOST_AUTO_TEST_SUITE(gateway_faults)

BOOST_AUTO_TEST_CASE(every_request_is_recorded_as_sent) {
    GatewayStack stack;
    stack.send_as_service("PATCH", "/rest/v1/jobs?last_seen=lt.2024-05-01T10:00:00%2B00:00",
                          R"({"is_active":false})");
    const auto requests = stack.gateway().requests();
    BOOST_TEST_REQUIRE(requests.size() == 1u);
    BOOST_TEST(requests[0].method == "PATCH");
    BOOST_TEST(requests[0].path == "/rest/v1/jobs");
    BOOST_TEST(requests[0].raw_query == "last_seen=lt.2024-05-01T10:00:00%2B00:00");
    BOOST_TEST(requests[0].body == R"({"is_active":false})");
    stack.gateway().clear_requests();
    BOOST_TEST(stack.gateway().requests().empty());
}

BOOST_AUTO_TEST_CASE(the_log_can_leave_bodies_out_while_requests_still_carry_them) {
    GatewayStack stack(false, [](GatewayOptions& options) { options.record_bodies = false; });
    BOOST_TEST(stack.send_as_service("POST", "/rest/v1/jobs", R"({"job_id":"a"})").status == 201);
    BOOST_TEST(stack.scalar("SELECT job_id FROM jobs") == "a");
    const auto requests = stack.gateway().requests();
    BOOST_TEST_REQUIRE(requests.size() == 1u);
    BOOST_TEST(requests[0].method == "POST");
    BOOST_TEST(requests[0].body.empty());
}

BOOST_AUTO_TEST_CASE(injected_faults_answer_matching_requests_without_touching_the_database) {
    GatewayStack stack;
    stack.gateway().inject_fault("POST", 2, Reply{503, {{"Content-Type", "text/plain"}}, "busy"});
    const auto get = stack.send_as_service("GET", "/rest/v1/jobs");
    BOOST_TEST(get.status == 200);
    BOOST_TEST(stack.send_as_service("POST", "/rest/v1/jobs", R"({"job_id":"a"})").status == 503);
    BOOST_TEST(stack.send_as_service("POST", "/rest/v1/jobs", R"({"job_id":"a"})").status == 503);
    BOOST_TEST(stack.scalar("SELECT count(*) FROM jobs") == "0");
    BOOST_TEST(stack.send_as_service("POST", "/rest/v1/jobs", R"({"job_id":"a"})").status == 201);
}

BOOST_AUTO_TEST_CASE(requests_get_503_quickly_once_the_database_is_gone) {
    GatewayStack stack(/*own_cluster=*/true);
    int seen = 0;
    stack.gateway().set_before_request([&](const RecordedRequest&) {
        if (++seen == 2) stack.cluster().stop();
    });
    BOOST_TEST(stack.send_as_service("POST", "/rest/v1/jobs", R"({"job_id":"a"})").status == 201);
    const auto started = std::chrono::steady_clock::now();
    const auto response =
        stack.send_as_service("PATCH", "/rest/v1/jobs?job_id=eq.a", R"({"is_active":false})");
    BOOST_TEST(response.status == 503);
    BOOST_TEST(response.body.find(R"("code":"PGRST000")") != std::string::npos);
    const auto elapsed = std::chrono::duration_cast<std::chrono::seconds>(
        std::chrono::steady_clock::now() - started);
    BOOST_TEST(elapsed.count() < 10);
}

BOOST_AUTO_TEST_CASE(paths_outside_rest_v1_are_not_routed) {
    GatewayStack stack;
    const auto response = stack.send_as_service("GET", "/auth/v1/user");
    BOOST_TEST(response.status == 404);
    BOOST_TEST(response.body == R"({"message":"no Route matched with those values"})");
}

BOOST_AUTO_TEST_SUITE_END()

}  // namespace jobsync::testing
