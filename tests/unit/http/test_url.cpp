#include <boost/test/unit_test.hpp>

#include "http/url.hpp"

using jobsync::http::build_query;
using jobsync::http::build_url;
using jobsync::http::percent_encode;

BOOST_AUTO_TEST_SUITE(url)

BOOST_AUTO_TEST_CASE(unreserved_characters_pass_through) {
    BOOST_TEST(percent_encode("AZaz09-._~") == "AZaz09-._~");
    BOOST_TEST(percent_encode("eq.true") == "eq.true");
}

BOOST_AUTO_TEST_CASE(plus_is_encoded_so_postgrest_does_not_read_a_space) {
    BOOST_TEST(percent_encode("2024-05-01T10:00:00+00:00") == "2024-05-01T10%3A00%3A00%2B00%3A00");
}

BOOST_AUTO_TEST_CASE(reserved_and_special_characters_are_encoded) {
    BOOST_TEST(percent_encode("a b") == "a%20b");
    BOOST_TEST(percent_encode("/?#&=%,\"") == "%2F%3F%23%26%3D%25%2C%22");
}

BOOST_AUTO_TEST_CASE(utf8_is_encoded_byte_by_byte_in_upper_case_hex) {
    BOOST_TEST(percent_encode("caf\xC3\xA9") == "caf%C3%A9");
    BOOST_TEST(percent_encode(std::string_view("\0\xFF", 2)) == "%00%FF");
}

BOOST_AUTO_TEST_CASE(query_keeps_the_given_order_and_encodes_keys_and_values) {
    BOOST_TEST(
        build_query({{"query", "developer jobs in chicago"}, {"page", "1"}, {"a b", "c&d"}}) ==
        "query=developer%20jobs%20in%20chicago&page=1&a%20b=c%26d");
    BOOST_TEST(build_query({}) == "");
    BOOST_TEST(build_query({{"empty", ""}}) == "empty=");
}

BOOST_AUTO_TEST_CASE(url_joins_base_and_path_with_one_slash) {
    BOOST_TEST(build_url("https://h.example/", "/search") == "https://h.example/search");
    BOOST_TEST(build_url("https://h.example//", "search") == "https://h.example/search");
    BOOST_TEST(build_url("https://h.example/base", "/rest/v1/jobs") ==
               "https://h.example/base/rest/v1/jobs");
}

BOOST_AUTO_TEST_CASE(url_adds_a_query_only_when_there_are_params) {
    BOOST_TEST(build_url("http://127.0.0.1:8080", "/search", {{"query", "c++"}}) ==
               "http://127.0.0.1:8080/search?query=c%2B%2B");
    BOOST_TEST(build_url("http://127.0.0.1:8080", "/search") == "http://127.0.0.1:8080/search");
}

BOOST_AUTO_TEST_SUITE_END()
