#include <boost/test/unit_test.hpp>

#include "standins/gateway/api_error.hpp"
#include "standins/gateway/payload.hpp"

using namespace jobsync::testing::gateway;

namespace {

bool keys_must_match(const ApiError& e) {
    return e.status == 400 && e.code == "PGRST102" && e.message == "All object keys must match";
}

bool invalid_json(const ApiError& e) {
    return e.status == 400 && e.code == "PGRST102" && e.message == "Empty or invalid json";
}

}  // namespace

BOOST_AUTO_TEST_SUITE(gateway_payload)

BOOST_AUTO_TEST_CASE(an_array_of_objects_with_the_same_keys_in_any_order_is_accepted) {
    const Payload p = parse_payload(R"([{"a":1,"b":2},{"b":3,"a":4}])", std::nullopt);
    BOOST_TEST_REQUIRE(p.columns.size() == 2u);
    BOOST_TEST(p.columns[0] == "a");
    BOOST_TEST(p.columns[1] == "b");
    BOOST_TEST(p.has_rows);
}

BOOST_AUTO_TEST_CASE(objects_with_different_keys_are_pgrst102) {
    BOOST_CHECK_EXCEPTION(parse_payload(R"([{"a":1},{"a":1,"b":2}])", std::nullopt), ApiError,
                          keys_must_match);
    BOOST_CHECK_EXCEPTION(parse_payload(R"([{"a":1},123])", std::nullopt), ApiError,
                          keys_must_match);
}

BOOST_AUTO_TEST_CASE(empty_or_malformed_bodies_are_empty_or_invalid_json) {
    BOOST_CHECK_EXCEPTION(parse_payload("", std::nullopt), ApiError, invalid_json);
    BOOST_CHECK_EXCEPTION(parse_payload("[{\"a\":", std::nullopt), ApiError, invalid_json);
}

BOOST_AUTO_TEST_CASE(a_single_object_is_one_row_and_a_scalar_is_no_rows) {
    const Payload object = parse_payload(R"({"job_id":"x"})", std::nullopt);
    BOOST_TEST(object.columns.size() == 1u);
    BOOST_TEST(object.has_rows);
    BOOST_TEST(!parse_payload("123", std::nullopt).has_rows);
    BOOST_TEST(!parse_payload("[]", std::nullopt).has_rows);
}

BOOST_AUTO_TEST_CASE(with_columns_the_body_is_passed_through_unchecked) {
    const Payload p =
        parse_payload(R"([{"a":1},{"b":2,"extra":true}])", std::vector<std::string>{"a", "b"});
    BOOST_TEST(p.columns == (std::vector<std::string>{"a", "b"}));
    BOOST_TEST(p.json == R"([{"a":1},{"b":2,"extra":true}])");
}

BOOST_AUTO_TEST_SUITE_END()
