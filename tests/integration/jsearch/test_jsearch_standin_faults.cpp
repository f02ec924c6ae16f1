// Scripted faults and latency: how tests make the stand-in misbehave on purpose.
#include <boost/test/unit_test.hpp>
#include <chrono>

#include "integration/jsearch/standin_client.hpp"

namespace jobsync::testing {

BOOST_AUTO_TEST_SUITE(jsearch_standin_faults)

BOOST_AUTO_TEST_CASE(scripted_replies_are_served_in_order_then_normal_handling_resumes) {
    StandinFixture f;
    f.standin.set_default_jobs(generate_jobs(3, "faults"));
    f.standin.script({503, {{"Retry-After", "2"}}, "", ""});
    f.standin.script({429, {}, "{\"message\":\"Too many requests\"}", ""});

    auto first = f.get("/search?query=a");
    BOOST_TEST(first.status == 503);
    BOOST_TEST(first.header("Retry-After").value_or("") == "2");
    auto second = f.get("/search?query=a");
    BOOST_TEST(second.status == 429);
    BOOST_TEST(rapidapi_message_of(second) == "Too many requests");
    BOOST_TEST(second.header("Content-Type").value_or("") == "application/json");
    auto third = f.get("/search?query=a");
    BOOST_TEST(third.status == 200);
    BOOST_TEST(job_ids_of(third).size() == 3u);
    BOOST_TEST(f.standin.requests().size() == 3u);   // scripted ones are recorded too
    BOOST_TEST(f.standin.quota_remaining() == 999);  // and cost nothing
}

BOOST_AUTO_TEST_CASE(a_scripted_reply_for_one_query_waits_for_that_query) {
    StandinFixture f;
    f.standin.script({500, {}, "<html><body>Bad gateway</body></html>", "rust"});
    BOOST_TEST(f.get("/search?query=python").status == 200);
    auto response = f.get("/search?query=rust");
    BOOST_TEST(response.status == 500);
    BOOST_TEST(response.header("Content-Type").value_or("") == "text/html; charset=utf-8");
    BOOST_TEST(response.body == "<html><body>Bad gateway</body></html>");
    BOOST_TEST(f.get("/search?query=rust").status == 200);
}

BOOST_AUTO_TEST_CASE(a_scripted_reply_bypasses_the_gateway_checks) {
    StandinFixture f;
    f.standin.script({200, {}, "{\"status\":\"OK\",\"data\":[{\"job_id\":", ""});
    auto truncated = f.get("/search?query=a", {});  // no key at all
    BOOST_TEST(truncated.status == 200);
    BOOST_TEST(truncated.body == "{\"status\":\"OK\",\"data\":[{\"job_id\":");
}

BOOST_AUTO_TEST_CASE(latency_delays_every_reply) {
    StandinFixture f;
    f.standin.set_latency(std::chrono::milliseconds(150));
    f.standin.script({503, {}, "", ""});
    for (int status : {503, 200}) {
        auto started = std::chrono::steady_clock::now();
        BOOST_TEST(f.get("/search?query=a").status == status);
        auto elapsed = std::chrono::duration_cast<std::chrono::milliseconds>(
            std::chrono::steady_clock::now() - started);
        BOOST_TEST(elapsed.count() >= 150);
    }
}

BOOST_AUTO_TEST_SUITE_END()

}  // namespace jobsync::testing
