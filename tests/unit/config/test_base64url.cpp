#include <boost/test/unit_test.hpp>

#include "config/base64url.hpp"
#include "jwt_maker.hpp"

using jobsync::config::decode_base64url;

BOOST_AUTO_TEST_SUITE(base64url)

BOOST_AUTO_TEST_CASE(rfc4648_vectors_decode_with_and_without_padding) {
    BOOST_TEST(*decode_base64url("") == "");
    BOOST_TEST(*decode_base64url("Zg") == "f");
    BOOST_TEST(*decode_base64url("Zg==") == "f");
    BOOST_TEST(*decode_base64url("Zm8") == "fo");
    BOOST_TEST(*decode_base64url("Zm8=") == "fo");
    BOOST_TEST(*decode_base64url("Zm9v") == "foo");
    BOOST_TEST(*decode_base64url("Zm9vYg") == "foob");
    BOOST_TEST(*decode_base64url("Zm9vYmE") == "fooba");
    BOOST_TEST(*decode_base64url("Zm9vYmFy") == "foobar");
}

BOOST_AUTO_TEST_CASE(url_and_standard_alphabets_both_decode) {
    BOOST_TEST(*decode_base64url("-_8") == "\xFB\xFF");
    BOOST_TEST(*decode_base64url("+/8") == "\xFB\xFF");
}

BOOST_AUTO_TEST_CASE(binary_bytes_round_trip_through_the_test_encoder) {
    std::string bytes;
    for (int i = 0; i < 256; ++i) bytes += static_cast<char>(i);
    BOOST_TEST(*decode_base64url(jobsync::testing::encode_base64url(bytes)) == bytes);
}

BOOST_AUTO_TEST_CASE(invalid_characters_and_lengths_are_rejected) {
    BOOST_TEST(!decode_base64url("Zm9v!"));
    BOOST_TEST(!decode_base64url("Zm 9v"));
    BOOST_TEST(!decode_base64url("Z"));  // 4n+1 characters
    BOOST_TEST(!decode_base64url("Zm9vY"));
    BOOST_TEST(!decode_base64url("Zg="));  // padding that does not complete a quartet
    BOOST_TEST(!decode_base64url("Zm9v=="));
    BOOST_TEST(!decode_base64url("Zg=a"));
}

BOOST_AUTO_TEST_SUITE_END()
