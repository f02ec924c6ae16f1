#include <boost/test/unit_test.hpp>
#include <string>
#include <vector>

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

BOOST_AUTO_TEST_CASE(a_hundred_thousand_realistic_ids_are_all_first_sightings_then_copies) {
    // Ids shaped like JSearch's (base64 of 16 bytes); a collision of their hashes would show
    // as a duplicate here.
    Deduplicator dedup;
    std::vector<std::string> ids;
    for (int i = 0; i < 100000; ++i) {
        ids.push_back("tDIwOEQqBlk" + std::to_string(i * 7919) + "AAAAHAAAAAA==");
    }
    for (const auto& id : ids) BOOST_TEST_REQUIRE(dedup.first_sighting(id));
    for (const auto& id : ids) BOOST_TEST_REQUIRE(!dedup.first_sighting(id));
    BOOST_TEST(dedup.duplicates() == 100000u);
}

BOOST_AUTO_TEST_SUITE_END()
