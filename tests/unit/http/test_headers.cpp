#include <boost/test/unit_test.hpp>

#include "http/transport.hpp"

using jobsync::http::find_header;
using jobsync::http::Headers;
using jobsync::http::Response;

BOOST_AUTO_TEST_SUITE(headers)

BOOST_AUTO_TEST_CASE(lookup_ignores_the_case_of_the_name) {
    const Headers headers = {{"Content-Range", "0-9/10"}, {"retry-after", "5"}};
    BOOST_TEST(find_header(headers, "content-range").value_or("") == "0-9/10");
    BOOST_TEST(find_header(headers, "CONTENT-RANGE").value_or("") == "0-9/10");
    BOOST_TEST(find_header(headers, "Retry-After").value_or("") == "5");
}

BOOST_AUTO_TEST_CASE(a_missing_header_is_nullopt_not_empty) {
    const Headers headers = {{"Content-Range", "*/0"}, {"X-Empty", ""}};
    BOOST_TEST(!find_header(headers, "Retry-After").has_value());
    BOOST_TEST(!find_header(headers, "Content-Rang").has_value());
    BOOST_TEST(!find_header(headers, "").has_value());
    BOOST_TEST(find_header(headers, "x-empty").has_value());
    BOOST_TEST(find_header({}, "Content-Range").has_value() == false);
}

BOOST_AUTO_TEST_CASE(the_first_of_repeated_headers_wins) {
    const Headers headers = {{"Prefer", "return=minimal"}, {"prefer", "return=representation"}};
    BOOST_TEST(find_header(headers, "PREFER").value_or("") == "return=minimal");
}

BOOST_AUTO_TEST_CASE(response_header_uses_the_same_lookup) {
    Response response;
    response.headers = {{"content-type", "text/html"}};
    BOOST_TEST(response.header("Content-Type").value_or("") == "text/html");
    BOOST_TEST(!response.transport_failed());
}

BOOST_AUTO_TEST_SUITE_END()
