#include <boost/test/unit_test.hpp>

#include "sync/dedup.hpp"

using jobsync::sync::Deduplicator;

BOOST_AUTO_TEST_SUITE(dedup)

BOOST_AUTO_TEST_CASE(first_copy_of_a_job_is_a_first_sighting_and_later_copies_are_duplicates) {
    Deduplicator dedup;
    BOOST_TEST(dedup.first_sighting("a"));
    BOOST_TEST(dedup.first_sighting("b"));
    BOOST_TEST(!dedup.first_sighting("a"));
    BOOST_TEST(!dedup.first_sighting("a"));
    BOOST_TEST(!dedup.first_sighting("b"));
    BOOST_TEST(dedup.duplicates() == 3u);
}

BOOST_AUTO_TEST_CASE(ids_are_compared_exactly) {
    Deduplicator dedup;
    BOOST_TEST(dedup.first_sighting("Job1"));
    BOOST_TEST(dedup.first_sighting("job1"));
    BOOST_TEST(dedup.first_sighting("job1 "));
    BOOST_TEST(dedup.duplicates() == 0u);
}

BOOST_AUTO_TEST_SUITE_END()
