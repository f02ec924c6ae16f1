// RapidAPI's side of the stand-in: routing, the key and host headers, the monthly quota.
#include <boost/test/unit_test.hpp>

#include "integration/jsearch/standin_client.hpp"

namespace jobsync::testing {

namespace {
const std::string kInvalidKey =
    "Invalid API key. Go to https://docs.rapidapi.com/docs/keys for more info.";
const std::string kNotSubscribed = "You are not subscribed to this API.";
const std::string kQuotaExceeded =
    "You have exceeded the MONTHLY quota for Requests on your current plan, BASIC. Upgrade your "
    "plan at https://rapidapi.com/letscrape-6bRBa3QguO5/api/jsearch";
}  // namespace

BOOST_AUTO_TEST_SUITE(jsearch_standin_gateway)

BOOST_AUTO_TEST_CASE(a_request_without_a_key_gets_401_invalid_api_key) {
    StandinFixture f;
    auto response = f.get("/search?query=python", {{"X-RapidAPI-Host", "jsearch.p.rapidapi.com"}});
    BOOST_TEST(response.status == 401);
    BOOST_TEST(rapidapi_message_of(response) == kInvalidKey);
    BOOST_TEST(response.header("Content-Type").value_or("") == "application/json");
}

BOOST_AUTO_TEST_CASE(an_empty_key_counts_as_missing) {
    StandinFixture f;
    auto response = f.get("/search?query=python",
                          {{"X-RapidAPI-Key", ""}, {"X-RapidAPI-Host", "jsearch.p.rapidapi.com"}});
    BOOST_TEST(response.status == 401);
}

BOOST_AUTO_TEST_CASE(a_different_key_gets_403_not_subscribed_and_costs_nothing) {
    StandinFixture f;
    auto response = f.get("/search?query=python", {{"X-RapidAPI-Key", "someone-elses-key"},
                                                   {"X-RapidAPI-Host", "jsearch.p.rapidapi.com"}});
    BOOST_TEST(response.status == 403);
    BOOST_TEST(rapidapi_message_of(response) == kNotSubscribed);
    BOOST_TEST(f.standin.quota_remaining() == 1000);
}

BOOST_AUTO_TEST_CASE(header_names_are_matched_without_regard_to_case) {
    StandinFixture f;
    auto response = f.get("/search?query=python", {{"x-rapidapi-key", "local-jsearch-key"},
                                                   {"X-RAPIDAPI-HOST", "jsearch.p.rapidapi.com"}});
    BOOST_TEST(response.status == 200);
}

BOOST_AUTO_TEST_CASE(a_missing_host_header_gets_400_and_a_wrong_one_403) {
    StandinFixture f;
    auto missing = f.get("/search?query=python", {{"X-RapidAPI-Key", "local-jsearch-key"}});
    BOOST_TEST(missing.status == 400);
    BOOST_TEST(rapidapi_message_of(missing).find("X-RapidAPI-Host") != std::string::npos);

    auto wrong = f.get("/search?query=python", {{"X-RapidAPI-Key", "local-jsearch-key"},
                                                {"X-RapidAPI-Host", "other-api.p.rapidapi.com"}});
    BOOST_TEST(wrong.status == 403);
    BOOST_TEST(rapidapi_message_of(wrong) == kNotSubscribed);
}

BOOST_AUTO_TEST_CASE(options_choose_the_accepted_key_and_host) {
    JsearchStandinOptions options;
    options.api_key = "k2";
    options.host = "jsearch.example";
    StandinFixture f(options);
    BOOST_TEST(f.get("/search?query=a").status == 403);
    BOOST_TEST(
        f.get("/search?query=a", {{"X-RapidAPI-Key", "k2"}, {"X-RapidAPI-Host", "jsearch.example"}})
            .status == 200);
}

BOOST_AUTO_TEST_CASE(unknown_paths_get_a_rapidapi_404) {
    StandinFixture f;
    auto response = f.get("/job-search?query=python");
    BOOST_TEST(response.status == 404);
    BOOST_TEST(rapidapi_message_of(response) == "Endpoint '/job-search' does not exist");
}

BOOST_AUTO_TEST_CASE(search_answers_get_only) {
    StandinFixture f;
    auto response = f.send("POST", "/search?query=python");
    BOOST_TEST(response.status == 404);
    BOOST_TEST(rapidapi_message_of(response) == "Endpoint '/search' does not exist");
}

BOOST_AUTO_TEST_CASE(the_quota_header_decrements_by_the_billed_units) {
    StandinFixture f;
    f.standin.set_default_jobs(generate_jobs(5, "quota"));
    auto one_page = f.get("/search?query=a");
    BOOST_TEST(one_page.header("x-ratelimit-requests-limit").value_or("") == "1000");
    BOOST_TEST(one_page.header("x-ratelimit-requests-remaining").value_or("") == "999");
    auto two_pages = f.get("/search?query=a&num_pages=2");
    BOOST_TEST(two_pages.header("x-ratelimit-requests-remaining").value_or("") == "997");
    auto ten_pages = f.get("/search?query=a&num_pages=10");
    BOOST_TEST(ten_pages.header("x-ratelimit-requests-remaining").value_or("") == "995");
    auto eleven_pages = f.get("/search?query=a&num_pages=11");
    BOOST_TEST(eleven_pages.header("x-ratelimit-requests-remaining").value_or("") == "992");
    auto fifty_pages = f.get("/search?query=a&num_pages=50");
    BOOST_TEST(fifty_pages.header("x-ratelimit-requests-remaining").value_or("") == "989");
    BOOST_TEST(f.standin.quota_remaining() == 989);
}

BOOST_AUTO_TEST_CASE(a_bad_request_is_billed_as_one_call) {
    StandinFixture f;
    auto response = f.get("/search?query=a&num_pages=0");
    BOOST_TEST(response.status == 400);
    BOOST_TEST(f.standin.quota_remaining() == 999);
}

BOOST_AUTO_TEST_CASE(an_exhausted_quota_gets_429_with_rapidapis_message) {
    JsearchStandinOptions options;
    options.quota = 3;
    StandinFixture f(options);
    BOOST_TEST(f.get("/search?query=a&num_pages=2").status == 200);  // costs 2, 1 left
    auto refused = f.get("/search?query=a&num_pages=2");             // costs 2: refused
    BOOST_TEST(refused.status == 429);
    BOOST_TEST(rapidapi_message_of(refused) == kQuotaExceeded);
    BOOST_TEST(refused.header("x-ratelimit-requests-remaining").value_or("") == "1");
    BOOST_TEST(f.get("/search?query=a").status == 200);  // the last unit
    auto exhausted = f.get("/search?query=a");
    BOOST_TEST(exhausted.status == 429);
    BOOST_TEST(exhausted.header("x-ratelimit-requests-remaining").value_or("") == "0");
    BOOST_TEST(f.standin.quota_remaining() == 0);
}

BOOST_AUTO_TEST_SUITE_END()

}  // namespace jobsync::testing
