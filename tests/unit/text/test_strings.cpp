#include <boost/test/unit_test.hpp>

#include "text/strings.hpp"

namespace text = jobsync::text;

BOOST_AUTO_TEST_SUITE(strings)

BOOST_AUTO_TEST_CASE(trim_removes_every_ascii_space_at_both_ends_only) {
    BOOST_TEST(text::trim(" \t\r\n\v\fa b\r\n") == "a b");
    BOOST_TEST(text::trim("") == "");
    BOOST_TEST(text::trim(" \t ") == "");
    BOOST_TEST(text::trim_end("  a \r\n") == "  a");
}

BOOST_AUTO_TEST_CASE(case_conversion_touches_ascii_letters_only) {
    BOOST_TEST(text::to_lower("Content-TYPE: 42") == "content-type: 42");
    BOOST_TEST(text::to_upper("fulltime_x1") == "FULLTIME_X1");
    BOOST_TEST(text::to_lower("\xC3\x84") == "\xC3\x84");  // UTF-8 bytes left alone
}

BOOST_AUTO_TEST_CASE(prefix_suffix_and_case_insensitive_matching) {
    BOOST_TEST(text::starts_with("Bearer sb_x", "Bearer "));
    BOOST_TEST(!text::starts_with("Bear", "Bearer"));
    BOOST_TEST(text::ends_with("/rest/v1", "/v1"));
    BOOST_TEST(!text::ends_with("v1", "/rest/v1"));
    BOOST_TEST(text::equals_ignoring_case("X-RapidAPI-Key", "x-rapidapi-key"));
    BOOST_TEST(!text::equals_ignoring_case("apikey", "apikeys"));
    BOOST_TEST(text::starts_with_ignoring_case("BEARER token", "bearer "));
    BOOST_TEST(text::find_ignoring_case("text/HTML; charset=utf-8", "html") == 5u);
    BOOST_TEST(text::find_ignoring_case("json", "html") == std::string_view::npos);
    BOOST_TEST(text::find_ignoring_case("", "") == 0u);
}

BOOST_AUTO_TEST_CASE(whole_numbers_are_digits_and_nothing_else) {
    BOOST_TEST(text::parse_whole_number("0").value_or(-1) == 0);
    BOOST_TEST(text::parse_whole_number("42").value_or(-1) == 42);
    BOOST_TEST(text::parse_whole_number("9223372036854775807").value_or(-1) ==
               9223372036854775807L);
    for (const char* bad :
         {"", " 42", "42 ", "+42", "-4", "-0", "4.2", "0x1", "9223372036854775808"}) {
        BOOST_TEST(!text::parse_whole_number(bad).has_value(), "'" << bad << "'");
    }
}

BOOST_AUTO_TEST_CASE(numbers_are_written_as_people_write_them) {
    BOOST_TEST(text::format_number(5.0) == "5");
    BOOST_TEST(text::format_number(0.5) == "0.5");
    BOOST_TEST(text::format_number(-90.0) == "-90");
    BOOST_TEST(text::format_number(123456.789) == "123456.789");
    BOOST_TEST(text::format_number(1099511627776.0) == "1.099511628e+12");
}

BOOST_AUTO_TEST_SUITE_END()
