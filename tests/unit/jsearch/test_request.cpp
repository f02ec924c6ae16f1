#include <boost/test/unit_test.hpp>

#include "jsearch/request.hpp"

using jobsync::http::Headers;
using jobsync::jsearch::billed_units;
using jobsync::jsearch::build_search_request;
using jobsync::jsearch::Connection;
using jobsync::jsearch::PageRange;
using jobsync::jsearch::plan_requests;
using jobsync::sync::SearchQuery;
using Ranges = std::vector<PageRange>;

namespace {

SearchQuery query_of(std::string text, int pages = 1, int per_request = 10) {
    SearchQuery query;
    query.text = std::move(text);
    query.pages = pages;
    query.pages_per_request = per_request;
    return query;
}

Connection connection() {
    Connection c;
    c.base_url = "https://jsearch.p.rapidapi.com";
    c.host = "jsearch.p.rapidapi.com";
    c.api_key = jobsync::Secret("test-key-123");
    return c;
}

std::string url_for(const SearchQuery& query, PageRange range = {1, 1}) {
    return build_search_request(connection(), query, range).url;
}

}  // namespace

namespace jobsync::jsearch {
std::ostream& operator<<(std::ostream& out, const PageRange& range) {
    return out << "(" << range.page << "," << range.num_pages << ")";
}
}  // namespace jobsync::jsearch

BOOST_AUTO_TEST_SUITE(request)

BOOST_AUTO_TEST_CASE(pages_are_asked_for_in_chunks_of_pages_per_request) {
    BOOST_TEST(plan_requests(query_of("x", 25, 10)) == (Ranges{{1, 10}, {11, 10}, {21, 5}}),
               boost::test_tools::per_element());
    BOOST_TEST(plan_requests(query_of("x", 10, 10)) == (Ranges{{1, 10}}),
               boost::test_tools::per_element());
    BOOST_TEST(plan_requests(query_of("x", 1, 10)) == (Ranges{{1, 1}}),
               boost::test_tools::per_element());
    BOOST_TEST(plan_requests(query_of("x", 3, 1)) == (Ranges{{1, 1}, {2, 1}, {3, 1}}),
               boost::test_tools::per_element());
}

BOOST_AUTO_TEST_CASE(a_query_starting_past_page_one_asks_from_there_to_its_last_page) {
    auto query = query_of("x", 25, 10);
    query.first_page = 11;
    BOOST_TEST(plan_requests(query) == (Ranges{{11, 10}, {21, 5}}),
               boost::test_tools::per_element());
    query.first_page = 21;
    query.pages = 30;
    BOOST_TEST(plan_requests(query) == (Ranges{{21, 10}}), boost::test_tools::per_element());
    query.first_page = 26;
    query.pages = 25;
    BOOST_TEST(plan_requests(query).empty());
}

BOOST_AUTO_TEST_CASE(pages_per_request_is_clamped_to_what_jsearch_accepts) {
    BOOST_TEST(plan_requests(query_of("x", 120, 100)) == (Ranges{{1, 50}, {51, 50}, {101, 20}}),
               boost::test_tools::per_element());
    BOOST_TEST(plan_requests(query_of("x", 2, 0)) == (Ranges{{1, 1}, {2, 1}}),
               boost::test_tools::per_element());
}

BOOST_AUTO_TEST_CASE(no_pages_means_no_requests) {
    BOOST_TEST(plan_requests(query_of("x", 0, 10)).empty());
    BOOST_TEST(plan_requests(query_of("x", -3, 10)).empty());
}

BOOST_AUTO_TEST_CASE(billing_follows_the_num_pages_multiplier) {
    BOOST_TEST(billed_units(1) == 1);
    BOOST_TEST(billed_units(2) == 2);
    BOOST_TEST(billed_units(10) == 2);
    BOOST_TEST(billed_units(11) == 3);
    BOOST_TEST(billed_units(50) == 3);
}

BOOST_AUTO_TEST_CASE(a_runs_planned_cost_sums_every_request_of_every_query) {
    using jobsync::jsearch::planned_billed_requests;
    // 25 pages by 10: (1,10) (11,10) (21,5) = 2+2+2; 1 page by 1: 1; 12 pages by 12: 3.
    BOOST_TEST(planned_billed_requests(
                   {query_of("a", 25, 10), query_of("b", 1, 1), query_of("c", 12, 12)}) == 10);
    // 3 pages one at a time bill 3, the same pages in one request bill 2.
    BOOST_TEST(planned_billed_requests({query_of("a", 3, 1)}) == 3);
    BOOST_TEST(planned_billed_requests({query_of("a", 3, 10)}) == 2);
    BOOST_TEST(planned_billed_requests({}) == 0);
}

BOOST_AUTO_TEST_CASE(a_plain_query_sends_only_query_page_and_num_pages) {
    BOOST_TEST(url_for(query_of("python"), {1, 1}) ==
               "https://jsearch.p.rapidapi.com/search?query=python&page=1&num_pages=1");
}

BOOST_AUTO_TEST_CASE(every_option_is_sent_in_a_fixed_order) {
    auto query = query_of("developer jobs in chicago", 25, 10);
    query.country = "us";
    query.date_posted = "week";
    query.employment_types = "FULLTIME,CONTRACTOR";
    query.remote_only = true;
    BOOST_TEST(url_for(query, {11, 10}) ==
               "https://jsearch.p.rapidapi.com/search?query=developer%20jobs%20in%20chicago"
               "&page=11&num_pages=10&country=us&date_posted=week"
               "&employment_types=FULLTIME%2CCONTRACTOR&work_from_home=true");
}

BOOST_AUTO_TEST_CASE(spaces_ampersands_pluses_and_unicode_in_the_query_are_encoded) {
    BOOST_TEST(url_for(query_of("C++ & Go dev")) ==
               "https://jsearch.p.rapidapi.com/search?query=C%2B%2B%20%26%20Go%20dev"
               "&page=1&num_pages=1");
    BOOST_TEST(url_for(query_of("Entwickler M\xC3\xBCnchen")) ==
               "https://jsearch.p.rapidapi.com/search?query=Entwickler%20M%C3%BCnchen"
               "&page=1&num_pages=1");
    BOOST_TEST(url_for(query_of("a=b#c?d/e")) ==
               "https://jsearch.p.rapidapi.com/search?query=a%3Db%23c%3Fd%2Fe&page=1&num_pages=1");
}

BOOST_AUTO_TEST_CASE(a_base_url_with_a_trailing_slash_is_joined_cleanly) {
    auto c = connection();
    c.base_url = "http://127.0.0.1:5123/";
    BOOST_TEST(build_search_request(c, query_of("x"), {1, 1}).url ==
               "http://127.0.0.1:5123/search?query=x&page=1&num_pages=1");
}

BOOST_AUTO_TEST_CASE(the_request_is_a_get_with_the_rapidapi_headers) {
    auto c = connection();
    c.timeout = std::chrono::seconds(7);
    auto request = build_search_request(c, query_of("x"), {1, 1});
    BOOST_TEST(request.method == "GET");
    BOOST_TEST(request.body.empty());
    BOOST_TEST(request.timeout.count() == 7000);
    const Headers expected = {
        {"X-RapidAPI-Key", "test-key-123"},
        {"X-RapidAPI-Host", "jsearch.p.rapidapi.com"},
        {"Accept", "application/json"},
    };
    BOOST_TEST_REQUIRE(request.headers.size() == expected.size());
    for (std::size_t i = 0; i < expected.size(); ++i) {
        BOOST_TEST(request.headers[i].first == expected[i].first);
        BOOST_TEST(request.headers[i].second == expected[i].second);
    }
}

BOOST_AUTO_TEST_CASE(the_key_never_appears_in_the_url) {
    auto request = build_search_request(connection(), query_of("x", 25, 10), {21, 5});
    BOOST_TEST(request.url.find("test-key-123") == std::string::npos);
}

BOOST_AUTO_TEST_SUITE_END()
