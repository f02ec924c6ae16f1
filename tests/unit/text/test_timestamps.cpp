#include <boost/test/unit_test.hpp>
#include <chrono>

#include "text/timestamps.hpp"

using jobsync::text::format_iso8601_millis;
using jobsync::text::format_unix_seconds_utc;
using jobsync::text::is_iso8601_utc;
using jobsync::text::parse_iso8601;

BOOST_AUTO_TEST_SUITE(timestamps)

BOOST_AUTO_TEST_CASE(utc_timestamps_in_the_feed_format_are_accepted) {
    BOOST_TEST(is_iso8601_utc("2025-06-24T00:00:00.000Z"));
    BOOST_TEST(is_iso8601_utc("2024-07-05T12:36:32Z"));
    BOOST_TEST(is_iso8601_utc("2024-02-29T23:59:59.123456Z"));
}

BOOST_AUTO_TEST_CASE(other_shapes_and_impossible_dates_are_refused) {
    BOOST_TEST(!is_iso8601_utc(""));
    BOOST_TEST(!is_iso8601_utc("2025-06-24"));
    BOOST_TEST(!is_iso8601_utc("2025-06-24T00:00:00.000"));        // no zone
    BOOST_TEST(!is_iso8601_utc("2025-06-24T00:00:00.000+02:00"));  // not UTC
    BOOST_TEST(!is_iso8601_utc("2025-06-24 00:00:00Z"));
    BOOST_TEST(!is_iso8601_utc("2025-13-01T00:00:00Z"));
    BOOST_TEST(!is_iso8601_utc("2023-02-29T00:00:00Z"));
    BOOST_TEST(!is_iso8601_utc("2025-06-24T24:00:00Z"));
    BOOST_TEST(!is_iso8601_utc("2025-06-24T00:00:00.Z"));
    BOOST_TEST(!is_iso8601_utc("2025-06-24T00:00:00ZZ"));
    BOOST_TEST(!is_iso8601_utc("1 day ago"));
}

BOOST_AUTO_TEST_CASE(unix_seconds_format_as_utc_with_milliseconds) {
    BOOST_TEST(*format_unix_seconds_utc(0) == "1970-01-01T00:00:00.000Z");
    BOOST_TEST(*format_unix_seconds_utc(1720182992) == "2024-07-05T12:36:32.000Z");
    BOOST_TEST(*format_unix_seconds_utc(1759968000) == "2025-10-09T00:00:00.000Z");
    BOOST_TEST(*format_unix_seconds_utc(951782400) == "2000-02-29T00:00:00.000Z");
    BOOST_TEST(*format_unix_seconds_utc(253402300799LL) == "9999-12-31T23:59:59.000Z");
}

BOOST_AUTO_TEST_CASE(unix_seconds_outside_1970_to_9999_give_nothing) {
    BOOST_TEST(!format_unix_seconds_utc(-1));
    BOOST_TEST(!format_unix_seconds_utc(253402300800LL));
}

BOOST_AUTO_TEST_CASE(timestamps_parse_with_any_offset_and_fraction) {
    const auto utc = parse_iso8601("2025-01-04T03:00:00Z");
    BOOST_TEST_REQUIRE(utc.has_value());
    BOOST_TEST(*utc == 1735959600LL * 1000000);
    BOOST_TEST(parse_iso8601("2025-01-04T03:00:00+00:00").value_or(0) == *utc);
    BOOST_TEST(parse_iso8601("2025-01-04 05:00:00+02").value_or(0) == *utc);
    BOOST_TEST(parse_iso8601("2025-01-04T03:00:00.123456+00:00").value_or(0) == *utc + 123456);
    BOOST_TEST(parse_iso8601("2025-01-04T03:00:00.5Z").value_or(0) == *utc + 500000);
    BOOST_TEST(!parse_iso8601("2025-01-04T03:00:00").has_value());  // no zone
    BOOST_TEST(!parse_iso8601("yesterday").has_value());
    BOOST_TEST(!parse_iso8601("2025-13-04T03:00:00Z").has_value());
}

BOOST_AUTO_TEST_CASE(timestamps_out_of_any_field_range_give_nothing) {
    for (const char* text :
         {"2025-00-04T03:00:00Z", "2025-01-00T03:00:00Z", "2025-01-32T03:00:00Z",
          "2025-02-29T03:00:00Z", "2024-04-31T03:00:00Z", "2025-01-04T24:00:00Z",
          "2025-01-04T03:60:00Z", "2025-01-04T03:00:61Z", "2016-12-31T23:59:60Z",
          "0000-01-04T03:00:00Z", "2025-1-04T03:00:00Z", "2025-01-04T3:00:00Z"}) {
        BOOST_TEST(!parse_iso8601(text).has_value(), text);
    }
    // The edges that are real times.
    BOOST_TEST(parse_iso8601("2024-02-29T23:59:59Z").has_value());
    BOOST_TEST(parse_iso8601("1999-12-31T00:00:00Z").value_or(0) == 946598400LL * 1000000);
    BOOST_TEST(parse_iso8601("9999-12-31T23:59:59Z").has_value());
}

BOOST_AUTO_TEST_CASE(run_timestamp_is_iso_8601_utc_with_milliseconds) {
    using namespace std::chrono;
    const system_clock::time_point t{milliseconds(1714564800123)};  // 2024-05-01T12:00:00.123Z
    BOOST_TEST(format_iso8601_millis(t) == "2024-05-01T12:00:00.123Z");
    BOOST_TEST(format_iso8601_millis(t + microseconds(999)) == "2024-05-01T12:00:00.123Z");
    BOOST_TEST(format_iso8601_millis(system_clock::time_point{}) == "1970-01-01T00:00:00.000Z");
    BOOST_TEST(format_iso8601_millis(system_clock::time_point{milliseconds(-1)}) ==
               "1969-12-31T23:59:59.999Z");
}

BOOST_AUTO_TEST_SUITE_END()
