#include <boost/test/unit_test.hpp>

#include "postgrest/read_request.hpp"

using namespace jobsync;

BOOST_AUTO_TEST_SUITE(read_request)

BOOST_AUTO_TEST_CASE(a_read_is_a_get_with_the_key_headers_and_encoded_params) {
    postgrest::Endpoint endpoint;
    endpoint.base_url = "https://ref.supabase.co/";
    endpoint.key = jobsync::Secret("sb_secret_abc");
    endpoint.kind = jobsync::SupabaseKeyKind::secret_key;
    const http::Request request = postgrest::build_read_request(
        endpoint, "job_sync_runs", {{"select", "run_id,status"}, {"lease_expires_at", "gt.now"}},
        "count=exact");
    BOOST_TEST(request.method == "GET");
    BOOST_TEST(request.url ==
               "https://ref.supabase.co/rest/v1/job_sync_runs?select=run_id%2Cstatus&"
               "lease_expires_at=gt.now");
    BOOST_TEST(http::find_header(request.headers, "apikey").value_or("") == "sb_secret_abc");
    BOOST_TEST(!http::find_header(request.headers, "Authorization").has_value());
    BOOST_TEST(http::find_header(request.headers, "Prefer").value_or("") == "count=exact");
    BOOST_TEST(request.body.empty());
}

BOOST_AUTO_TEST_CASE(in_lists_quote_every_id_and_escape_quotes_and_backslashes) {
    const auto values = postgrest::in_list_values({"a,b", "say \"hi\"", "back\\slash"}, 8000, 100);
    BOOST_TEST_REQUIRE(values.size() == 1u);
    BOOST_TEST(values[0] == R"(in.("a,b","say \"hi\"","back\\slash"))");
}

BOOST_AUTO_TEST_CASE(in_lists_are_cut_by_encoded_length_and_by_count) {
    std::vector<std::string> ids;
    for (int i = 0; i < 10; ++i) ids.push_back("job-" + std::to_string(i));
    const auto by_count = postgrest::in_list_values(ids, 8000, 4);
    BOOST_TEST(by_count.size() == 3u);
    BOOST_TEST(by_count[2] == R"(in.("job-8","job-9"))");

    // Each id encodes to 11 bytes ("%22job-0%22"), each comma to 3, in.( ) to 9.
    const auto by_length = postgrest::in_list_values(ids, 9 + 11 + 3 + 11, 100);
    BOOST_TEST(by_length.size() == 5u);
    for (const auto& value : by_length) {
        BOOST_TEST(http::percent_encode(value).size() <= 34u);
    }
    // An id longer than the budget still goes, alone.
    const auto huge = postgrest::in_list_values({std::string(100, 'x'), "y"}, 50, 100);
    BOOST_TEST(huge.size() == 2u);
}

BOOST_AUTO_TEST_CASE(rows_are_read_only_from_a_successful_json_array) {
    http::Response ok;
    ok.status = 200;
    ok.body = R"([{"job_id":"a","is_active":true,"n":3}])";
    const auto rows = postgrest::parse_rows(ok);
    BOOST_TEST_REQUIRE(rows.has_value());
    BOOST_TEST(postgrest::text_member((*rows)[0], "job_id") == "a");
    BOOST_TEST(postgrest::true_member((*rows)[0], "is_active"));
    BOOST_TEST(postgrest::number_member((*rows)[0], "n").value_or(0) == 3);
    BOOST_TEST(postgrest::text_member((*rows)[0], "n").empty());  // a number is not text
    BOOST_TEST(!postgrest::number_member((*rows)[0], "job_id").has_value());

    http::Response error;
    error.status = 400;
    error.body = "[]";
    BOOST_TEST(!postgrest::parse_rows(error).has_value());
    http::Response object;
    object.status = 200;
    object.body = R"({"a":1})";
    BOOST_TEST(!postgrest::parse_rows(object).has_value());
}

BOOST_AUTO_TEST_SUITE_END()
