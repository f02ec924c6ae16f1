// The benchmark relay's reading of HTTP heads (bench/http_head.hpp): how long a body is.
#include <boost/test/unit_test.hpp>
#include <string>

#include "http_head.hpp"

using jobsync::bench::content_length;

BOOST_AUTO_TEST_SUITE(bench_http_head)

BOOST_AUTO_TEST_CASE(the_length_is_read_whatever_the_case_and_spacing) {
    BOOST_TEST(content_length("HTTP/1.1 200 OK\r\nContent-Length: 512345\r\n\r\n") == 512345);
    BOOST_TEST(content_length("HTTP/1.1 200 OK\r\ncontent-length:7\r\nX-A: b\r\n\r\n") == 7);
    BOOST_TEST(content_length("POST / HTTP/1.1\r\nCONTENT-LENGTH: \t 12 \r\n\r\n") == 12);
}

BOOST_AUTO_TEST_CASE(a_head_without_a_length_has_no_body) {
    BOOST_TEST(content_length("GET /search?query=x HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n") == 0);
    // A header that only ends in the name does not count.
    BOOST_TEST(content_length("GET / HTTP/1.1\r\nX-Content-Length: 5\r\n\r\n") == 0);
}

BOOST_AUTO_TEST_CASE(chunked_or_malformed_lengths_are_refused) {
    BOOST_TEST(content_length("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n") == -1);
    BOOST_TEST(content_length("HTTP/1.1 200 OK\r\nContent-Length: 12x\r\n\r\n") == -1);
    BOOST_TEST(content_length("HTTP/1.1 200 OK\r\nContent-Length: -1\r\n\r\n") == -1);
    BOOST_TEST(content_length("HTTP/1.1 200 OK\r\nContent-Length: \r\n\r\n") == -1);
    // Longer than a long.
    BOOST_TEST(content_length("HTTP/1.1 200 OK\r\nContent-Length: 99999999999999999999\r\n\r\n") ==
               -1);
}

BOOST_AUTO_TEST_SUITE_END()
