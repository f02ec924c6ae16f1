// PATCH, DELETE and GET as PostgREST answers them (postgrest-notes.md sections 2 and 3).
#include <boost/test/unit_test.hpp>

#include "gateway_stack.hpp"

namespace jobsync::testing {
namespace {

std::string header(const http::Response& response, const char* name) {
    return response.header(name).value_or("<none>");
}

// Three jobs: a and b active, c inactive; last_seen one hour apart from 10:00Z.
struct ThreeJobs {
    ThreeJobs() {
        stack.superuser().exec(
            "INSERT INTO jobs (job_id, job_title, is_active, last_seen, click_count, lane) VALUES "
            "('a', 'A', true,  '2024-05-01T10:00:00Z', 3, 'saved'), "
            "('b', 'B', true,  '2024-05-01T11:00:00Z', 0, NULL), "
            "('c', 'C', false, '2024-05-01T12:00:00Z', 9, 'applied')");
    }
    GatewayStack stack;
};

}  // namespace

BOOST_FIXTURE_TEST_SUITE(gateway_patch_and_read, ThreeJobs)

BOOST_AUTO_TEST_CASE(patch_sets_only_the_payload_keys_and_reports_the_affected_range) {
    const auto response = stack.send_as_service(
        "PATCH", "/rest/v1/jobs?is_active=is.true&last_seen=lt.2024-05-01T12:00:00Z",
        R"({"is_active":false})", {{"Prefer", "count=exact"}});
    BOOST_TEST(response.status == 204);
    BOOST_TEST(response.body.empty());
    BOOST_TEST(header(response, "Content-Range") == "0-1/2");
    BOOST_TEST(stack.scalar("SELECT string_agg(job_id || ':' || is_active || ':' || click_count "
                            "|| ':' || coalesce(lane, '-'), ',' ORDER BY job_id) FROM jobs") ==
               "a:false:3:saved,b:false:0:-,c:false:9:applied");
}

BOOST_AUTO_TEST_CASE(patch_content_range_without_count_and_with_no_match) {
    const auto one =
        stack.send_as_service("PATCH", "/rest/v1/jobs?job_id=eq.a", R"({"job_title":"A2"})");
    BOOST_TEST(header(one, "Content-Range") == "0-0/*");
    const auto none =
        stack.send_as_service("PATCH", "/rest/v1/jobs?job_id=eq.zzz", R"({"job_title":"Z"})");
    BOOST_TEST(none.status == 204);
    BOOST_TEST(header(none, "Content-Range") == "*/*");
    const auto none_counted =
        stack.send_as_service("PATCH", "/rest/v1/jobs?job_id=eq.zzz", R"({"job_title":"Z"})",
                              {{"Prefer", "count=exact"}});
    BOOST_TEST(header(none_counted, "Content-Range") == "*/0");
}

BOOST_AUTO_TEST_CASE(patch_with_representation_returns_the_updated_rows) {
    const auto response = stack.send_as_service(
        "PATCH", "/rest/v1/jobs?job_id=in.(a,c)&select=job_id,lane&order=job_id.desc",
        R"({"lane":"archived"})", {{"Prefer", "return=representation"}});
    BOOST_TEST(response.status == 200);
    BOOST_TEST(response.body.find(R"({"job_id":"a","lane":"archived"})") != std::string::npos);
    BOOST_TEST(response.body.find(R"({"job_id":"c","lane":"archived"})") != std::string::npos);
}

BOOST_AUTO_TEST_CASE(an_unfiltered_patch_is_refused_like_supabases_safeupdate) {
    const auto response = stack.send_as_service("PATCH", "/rest/v1/jobs", R"({"is_active":false})");
    BOOST_TEST(response.status == 400);
    BOOST_TEST(response.body == R"({"code":"21000","details":null,"hint":null,)"
                                R"("message":"UPDATE requires a WHERE clause"})");
    BOOST_TEST(stack.scalar("SELECT count(*) FROM jobs WHERE is_active") == "2");
}

BOOST_AUTO_TEST_CASE(an_unfiltered_delete_is_refused_and_a_filtered_one_deletes) {
    const auto refused = stack.send_as_service("DELETE", "/rest/v1/jobs");
    BOOST_TEST(refused.status == 400);
    BOOST_TEST(refused.body.find("DELETE requires a WHERE clause") != std::string::npos);
    const auto deleted = stack.send_as_service("DELETE", "/rest/v1/jobs?job_id=eq.c", "",
                                               {{"Prefer", "count=exact"}});
    BOOST_TEST(deleted.status == 204);
    BOOST_TEST(header(deleted, "Content-Range") == "*/1");
    BOOST_TEST(stack.scalar("SELECT count(*) FROM jobs") == "2");
}

BOOST_AUTO_TEST_CASE(an_unencoded_plus_in_a_timestamp_is_a_400_and_an_encoded_one_works) {
    const auto plus = stack.send_as_service(
        "PATCH", "/rest/v1/jobs?last_seen=lt.2024-05-01T11:30:00+00:00", R"({"lane":"x"})");
    BOOST_TEST(plus.status == 400);
    const bool datetime_error = plus.body.find(R"("code":"22007")") != std::string::npos ||
                                plus.body.find(R"("code":"22008")") != std::string::npos;
    BOOST_TEST(datetime_error, plus.body);
    const auto encoded =
        stack.send_as_service("PATCH", "/rest/v1/jobs?last_seen=lt.2024-05-01T11:30:00%2B00:00",
                              R"({"lane":"x"})", {{"Prefer", "count=exact"}});
    BOOST_TEST(encoded.status == 204);
    BOOST_TEST(header(encoded, "Content-Range") == "0-1/2");  // a (10:00) and b (11:00)
}

BOOST_AUTO_TEST_CASE(get_filters_orders_limits_and_counts_with_partial_content) {
    const auto response =
        stack.send_as_service("GET", "/rest/v1/jobs?select=job_id&order=last_seen.desc&limit=2", "",
                              {{"Prefer", "count=exact"}});
    BOOST_TEST(response.status == 206);
    BOOST_TEST(response.body == R"([{"job_id":"c"}, )"
                                "\n"
                                R"( {"job_id":"b"}])");
    BOOST_TEST(header(response, "Content-Range") == "0-1/3");
    BOOST_TEST(header(response, "Content-Type") == "application/json; charset=utf-8");

    const auto filtered = stack.send_as_service(
        "GET", "/rest/v1/jobs?select=job_id&job_id=not.in.(a,b)&lane=not.is.null");
    BOOST_TEST(filtered.status == 200);
    BOOST_TEST(filtered.body == R"([{"job_id":"c"}])");
    BOOST_TEST(header(filtered, "Content-Range") == "0-0/*");
}

BOOST_AUTO_TEST_CASE(get_with_nothing_matching_is_an_empty_array_with_star_range) {
    const auto response = stack.send_as_service("GET", "/rest/v1/jobs?job_id=eq.none", "",
                                                {{"Prefer", "count=exact"}});
    BOOST_TEST(response.status == 200);
    BOOST_TEST(response.body == "[]");
    BOOST_TEST(header(response, "Content-Range") == "*/0");
}

BOOST_AUTO_TEST_CASE(a_filter_on_a_missing_column_and_a_bad_operator_are_400) {
    const auto column = stack.send_as_service("GET", "/rest/v1/jobs?colour=eq.red");
    BOOST_TEST(column.status == 400);
    BOOST_TEST(column.body.find(R"("code":"42703")") != std::string::npos);
    const auto op = stack.send_as_service("GET", "/rest/v1/jobs?job_id=equals.a");
    BOOST_TEST(op.status == 400);
    BOOST_TEST(op.body.find(R"("code":"PGRST100")") != std::string::npos);
}

BOOST_AUTO_TEST_CASE(filter_values_are_data_never_sql) {
    const auto response =
        stack.send_as_service("GET", "/rest/v1/jobs?select=job_id&job_id=eq.a'%20OR%20'1'='1");
    BOOST_TEST(response.status == 200);
    BOOST_TEST(response.body == "[]");
}

BOOST_AUTO_TEST_SUITE_END()

}  // namespace jobsync::testing
