// or=/and= logic trees over real HTTP (tables_views.rst "Logical operators"), above all the
// sweep job-sync sends: PATCH ?is_active=eq.true&or=(last_seen.is.null,last_seen.lt."<start>")
// with max-affected.
#include <boost/test/unit_test.hpp>

#include "gateway_stack.hpp"

namespace jobsync::testing {
namespace {

std::string header(const http::Response& response, const char* name) {
    return response.header(name).value_or("<none>");
}

// The engagement phase's rows (never stamped) beside synced ones.
struct StampedAndUnstampedJobs {
    StampedAndUnstampedJobs() {
        stack.superuser().exec(
            "INSERT INTO jobs (job_id, is_active, last_seen, click_count, lane) VALUES "
            "('old', true, NULL, 4, 'applied'), "
            "('stale', true, '2024-05-01T10:00:00Z', 0, NULL), "
            "('fresh', true, '2024-05-01T12:00:00Z', 1, 'saved'), "
            "('gone', false, NULL, 2, NULL)");
    }
    std::string table() {
        return stack.scalar(
            "SELECT string_agg(job_id || ':' || is_active || ':' || click_count || ':' || "
            "coalesce(lane, '-'), ',' ORDER BY id) FROM jobs");
    }
    GatewayStack stack;
};

constexpr const char* kSweep =
    "/rest/v1/jobs?is_active=eq.true&or=(last_seen.is.null,"
    "last_seen.lt.%222024-05-01T11:00:00.000Z%22)";

}  // namespace

BOOST_FIXTURE_TEST_SUITE(gateway_logic_trees, StampedAndUnstampedJobs)

BOOST_AUTO_TEST_CASE(the_sweep_patch_reaches_unstamped_and_stale_rows_only) {
    const auto response = stack.send_as_service(
        "PATCH", kSweep, R"({"is_active":false})",
        {{"Prefer", "return=minimal, count=exact, handling=strict, max-affected=2"}});
    BOOST_TEST(response.status == 204);
    BOOST_TEST(response.body.empty());
    BOOST_TEST(header(response, "Content-Range") == "0-1/2");
    BOOST_TEST(header(response, "Preference-Applied") ==
               "return=minimal, count=exact, handling=strict, max-affected=2");
    BOOST_TEST(table() == "old:false:4:applied,stale:false:0:-,fresh:true:1:saved,gone:false:2:-");
}

BOOST_AUTO_TEST_CASE(max_affected_rolls_the_sweep_back_when_more_rows_would_change) {
    const auto response = stack.send_as_service(
        "PATCH", kSweep, R"({"is_active":false})",
        {{"Prefer", "return=minimal, count=exact, handling=strict, max-affected=1"}});
    BOOST_TEST(response.status == 400);
    BOOST_TEST(response.body ==
               R"({"code":"PGRST124","details":"The query affects 2 rows","hint":null,)"
               R"("message":"Query result exceeds max-affected preference constraint"})");
    BOOST_TEST(table() == "old:true:4:applied,stale:true:0:-,fresh:true:1:saved,gone:false:2:-");
}

BOOST_AUTO_TEST_CASE(get_reads_nested_and_negated_trees) {
    const auto nested = stack.send_as_service(
        "GET",
        "/rest/v1/jobs?select=job_id&order=id&or=(lane.eq.saved,and(is_active.is.false,"
        "click_count.gte.2))");
    BOOST_TEST(nested.status == 200);
    BOOST_TEST(nested.body == R"([{"job_id":"fresh"}, )"
                              "\n"
                              R"( {"job_id":"gone"}])");
    const auto negated = stack.send_as_service(
        "GET", "/rest/v1/jobs?select=job_id&order=id&not.or=(last_seen.is.null,lane.is.null)");
    BOOST_TEST(negated.body == R"([{"job_id":"fresh"}])");
    const auto quoted = stack.send_as_service(
        "GET", "/rest/v1/jobs?select=job_id&and=(job_id.in.(%22old%22,%22a,b%22),lane.eq.applied)");
    BOOST_TEST(quoted.body == R"([{"job_id":"old"}])");
}

BOOST_AUTO_TEST_CASE(delete_takes_a_tree_and_a_tree_alone_satisfies_safeupdate) {
    const auto response =
        stack.send_as_service("DELETE", "/rest/v1/jobs?or=(job_id.eq.gone,job_id.eq.old)", "",
                              {{"Prefer", "count=exact"}});
    BOOST_TEST(response.status == 204);
    BOOST_TEST(header(response, "Content-Range") == "*/2");
    BOOST_TEST(table() == "stale:true:0:-,fresh:true:1:saved");
}

BOOST_AUTO_TEST_CASE(a_malformed_tree_is_400_pgrst100_and_changes_nothing) {
    const auto empty = stack.send_as_service("PATCH", "/rest/v1/jobs?or=()", R"({"lane":"x"})");
    BOOST_TEST(empty.status == 400);
    BOOST_TEST(
        empty.body ==
        R"q({"code":"PGRST100","details":"unexpected \")\" expecting field name (* or )q"
        R"q([a..z0..9_$]), negation operator (not) or logic operator (and, or)",)q"
        R"q("hint":null,"message":"\"failed to parse logic tree (())\" (line 1, column 4)"})q");
    const auto unclosed =
        stack.send_as_service("GET", "/rest/v1/jobs?or=(last_seen.is.null,last_seen.lt.2024-05-01");
    BOOST_TEST(unclosed.status == 400);
    BOOST_TEST(unclosed.body.find(R"("code":"PGRST100")") != std::string::npos);
    const auto bad_value =
        stack.send_as_service("GET", "/rest/v1/jobs?or=(last_seen.lt.%22not-a-time%22,lane.eq.x)");
    BOOST_TEST(bad_value.status == 400);  // PostgreSQL's own 22007 for the timestamp
    BOOST_TEST(bad_value.body.find(R"("code":"22007")") != std::string::npos);
    BOOST_TEST(table() == "old:true:4:applied,stale:true:0:-,fresh:true:1:saved,gone:false:2:-");
}

BOOST_AUTO_TEST_SUITE_END()

}  // namespace jobsync::testing
