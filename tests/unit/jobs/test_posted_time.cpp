#include <boost/test/unit_test.hpp>

#include "jobs/posted_time.hpp"

using jobsync::jobs::format_unix_seconds_utc;
using jobsync::jobs::is_iso8601_utc;

BOOST_AUTO_TEST_SUITE(posted_time)

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

BOOST_AUTO_TEST_SUITE_END()
