// The gateway's knobs for the failures a real deployment shows: a proxy's body limit (nginx's
// 413 page) and the statement timeout (PostgreSQL's own 57014, which PostgREST answers 500).
#include <boost/test/unit_test.hpp>

#include "gateway_stack.hpp"

namespace jobsync::testing {
namespace {

std::string rows_json(int count) {
    std::string json = "[";
    for (int i = 0; i < count; ++i) {
        json += std::string(i ? "," : "") + R"({"job_id":"job-)" + std::to_string(i) +
                R"(","job_title":"A title long enough to matter"})";
    }
    return json + "]";
}

}  // namespace

BOOST_AUTO_TEST_SUITE(gateway_limits)

BOOST_AUTO_TEST_CASE(a_body_over_the_limit_gets_nginxs_413_page_and_never_reaches_the_database) {
    GatewayStack stack(false, [](GatewayOptions& options) { options.max_body_bytes = 1000; });
    const std::string small = rows_json(5);
    const std::string large = rows_json(30);
    BOOST_TEST_REQUIRE(small.size() <= 1000u);
    BOOST_TEST_REQUIRE(large.size() > 1000u);

    const auto refused = stack.send_as_service("POST", "/rest/v1/jobs", large);
    BOOST_TEST(refused.status == 413);
    BOOST_TEST(refused.header("Content-Type").value_or("") == "text/html");
    BOOST_TEST(
        refused.body.rfind("<html>\r\n<head><title>413 Request Entity Too Large</title>", 0) == 0);
    BOOST_TEST(refused.body.find("<center>nginx</center>") != std::string::npos);
    // Decided by the proxy: even without a key, and before any row is written.
    BOOST_TEST(stack.send("POST", "/rest/v1/jobs", large).status == 413);
    BOOST_TEST(stack.scalar("SELECT count(*) FROM jobs") == "0");

    const auto accepted = stack.send_as_service("POST", "/rest/v1/jobs", small);
    BOOST_TEST(accepted.status == 201);
    BOOST_TEST(stack.scalar("SELECT string_agg(job_id, ',' ORDER BY id) FROM jobs") ==
               "job-0,job-1,job-2,job-3,job-4");
}

// A trigger that sleeps per updated row makes PATCH slow inside PostgreSQL.
struct SlowUpdates {
    SlowUpdates()
        : stack(false, [](GatewayOptions& options) {
              options.statement_timeout = std::chrono::milliseconds(300);
          }) {
        stack.superuser().exec(
            "INSERT INTO jobs (job_id, is_active) VALUES ('a', true), ('b', true), ('c', true);"
            "CREATE FUNCTION public.test_slow_row() RETURNS trigger LANGUAGE plpgsql AS "
            "$$ BEGIN PERFORM pg_sleep(0.2); RETURN NEW; END $$;"
            "CREATE TRIGGER test_slow_row BEFORE UPDATE ON public.jobs "
            "FOR EACH ROW EXECUTE FUNCTION public.test_slow_row();");
    }
    ~SlowUpdates() {
        stack.superuser().exec(
            "DROP TRIGGER IF EXISTS test_slow_row ON public.jobs;"
            "DROP FUNCTION IF EXISTS public.test_slow_row();");
    }
    GatewayStack stack;
};

BOOST_FIXTURE_TEST_CASE(a_statement_over_the_timeout_is_postgresqls_57014_as_a_500, SlowUpdates) {
    const auto slow =
        stack.send_as_service("PATCH", "/rest/v1/jobs?is_active=eq.true", R"({"lane":"x"})");
    BOOST_TEST(slow.status == 500);
    BOOST_TEST(slow.body == R"({"code":"57014","details":null,"hint":null,)"
                            R"("message":"canceling statement due to statement timeout"})");
    BOOST_TEST(stack.scalar("SELECT count(*) FROM jobs WHERE lane IS NOT NULL") == "0");

    // One row (0.2 s) fits in the 300 ms.
    const auto quick =
        stack.send_as_service("PATCH", "/rest/v1/jobs?job_id=eq.b", R"({"lane":"x"})");
    BOOST_TEST(quick.status == 204);
    BOOST_TEST(stack.scalar("SELECT string_agg(job_id || ':' || coalesce(lane, '-'), ',' "
                            "ORDER BY id) FROM jobs") == "a:-,b:x,c:-");
}

BOOST_AUTO_TEST_SUITE_END()

}  // namespace jobsync::testing
