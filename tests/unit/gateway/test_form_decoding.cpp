#include <boost/test/unit_test.hpp>

#include "support/form_decoding.hpp"

using namespace jobsync::testing;

// Tested here because the gateway is the stand-in whose behaviour (PostgREST's) depends on it.
BOOST_AUTO_TEST_SUITE(form_decoding)

BOOST_AUTO_TEST_CASE(an_unencoded_plus_decodes_as_a_space_like_postgrest) {
    BOOST_TEST(form_decode("gte.2024-05-01T10:00:00+00:00") == "gte.2024-05-01T10:00:00 00:00");
}

BOOST_AUTO_TEST_CASE(a_percent_encoded_plus_stays_a_plus) {
    BOOST_TEST(form_decode("gte.2024-05-01T10:00:00%2B00:00") == "gte.2024-05-01T10:00:00+00:00");
}

BOOST_AUTO_TEST_CASE(percent_escapes_decode_in_either_case_and_bad_ones_stay_verbatim) {
    BOOST_TEST(form_decode("a%20b%2cc%2Cd") == "a b,c,d");
    BOOST_TEST(form_decode("100%") == "100%");
    BOOST_TEST(form_decode("%zz%4") == "%zz%4");
}

BOOST_AUTO_TEST_CASE(pairs_keep_their_order_and_decode_names_and_values) {
    const FormPairs pairs = parse_form_pairs("select=id%2Cjob_id&job_id=in.(%22a,b%22,c)&&flag");
    BOOST_TEST_REQUIRE(pairs.size() == 3u);
    BOOST_TEST(pairs[0].first == "select");
    BOOST_TEST(pairs[0].second == "id,job_id");
    BOOST_TEST(pairs[1].first == "job_id");
    BOOST_TEST(pairs[1].second == "in.(\"a,b\",c)");
    BOOST_TEST(pairs[2].first == "flag");
    BOOST_TEST(pairs[2].second == "");
}

BOOST_AUTO_TEST_CASE(an_empty_query_has_no_pairs) { BOOST_TEST(parse_form_pairs("").empty()); }

BOOST_AUTO_TEST_SUITE_END()
