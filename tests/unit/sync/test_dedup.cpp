#include <boost/test/unit_test.hpp>
#include <string>
#include <string_view>
#include <vector>

#include "sync/dedup.hpp"

using jobsync::sync::Deduplicator;
using jobsync::sync::feed_rank;
using Kind = jobsync::sync::Deduplicator::Kind;

namespace {

// Copies met in feed order, as a sequential run meets them: every later one is a duplicate.
bool first_sighting(Deduplicator& dedup, std::string_view job_id) {
    constexpr jobsync::sync::FeedRank kLast = ~jobsync::sync::FeedRank{0};
    return dedup.sight(job_id, kLast).kind == Kind::first;
}

}  // namespace

BOOST_AUTO_TEST_SUITE(dedup)

BOOST_AUTO_TEST_CASE(ranks_follow_query_then_page_then_place_and_clamp_past_their_range) {
    BOOST_TEST(feed_rank(0, 1, 0) < feed_rank(0, 1, 1));
    BOOST_TEST(feed_rank(0, 1, 499) < feed_rank(0, 2, 0));
    BOOST_TEST(feed_rank(0, 50, 499) < feed_rank(1, 1, 0));
    BOOST_TEST(feed_rank(70000, 1, 0) == feed_rank(65535, 1, 0));  // clamped, not wrapped
    BOOST_TEST(feed_rank(70000, 1, 0) > feed_rank(1000, 50, 499));
    BOOST_TEST(feed_rank(2, 64, 0) == feed_rank(2, 99, 0));
    BOOST_TEST(feed_rank(2, 0, 0) == feed_rank(2, 1, 0));
    BOOST_TEST(feed_rank(2, 3, 5000) < feed_rank(2, 4, 0));
}

BOOST_AUTO_TEST_CASE(the_best_ranked_copy_wins_whatever_order_the_copies_come_in) {
    // Copies of "x" at ranks 30, 10, 20, 10: the second replaces the first, the others lose.
    Deduplicator dedup;
    auto first = dedup.sight("x", 30);
    BOOST_TEST((first.kind == Kind::first));
    dedup.placed(first, 4);
    auto better = dedup.sight("x", 10);
    BOOST_TEST((better.kind == Kind::better));
    BOOST_TEST(better.earlier_batch == 4u);
    dedup.placed(better, 9);
    BOOST_TEST((dedup.sight("x", 20).kind == Kind::worse));
    BOOST_TEST((dedup.sight("x", 10).kind == Kind::worse));  // a tie keeps the copy sent
    auto best = dedup.sight("x", 5);
    BOOST_TEST((best.kind == Kind::better));
    BOOST_TEST(best.earlier_batch == 9u);
    BOOST_TEST(dedup.duplicates() == 4u);
}

BOOST_AUTO_TEST_CASE(kept_ranks_and_batches_survive_the_table_growing) {
    Deduplicator dedup;
    for (int i = 0; i < 5000; ++i) {
        const auto sighting = dedup.sight("job-" + std::to_string(i), 100000 + i);
        BOOST_TEST_REQUIRE((sighting.kind == Kind::first));
        dedup.placed(sighting, static_cast<std::uint32_t>(i + 1));
    }
    for (int i = 0; i < 5000; ++i) {
        const auto sighting = dedup.sight("job-" + std::to_string(i), 1);
        BOOST_TEST_REQUIRE((sighting.kind == Kind::better));
        BOOST_TEST_REQUIRE(sighting.earlier_batch == static_cast<std::uint32_t>(i + 1));
    }
}

BOOST_AUTO_TEST_CASE(first_copy_of_a_job_is_a_first_sighting_and_later_copies_are_duplicates) {
    Deduplicator dedup;
    BOOST_TEST(first_sighting(dedup, "a"));
    BOOST_TEST(first_sighting(dedup, "b"));
    BOOST_TEST(!first_sighting(dedup, "a"));
    BOOST_TEST(!first_sighting(dedup, "a"));
    BOOST_TEST(!first_sighting(dedup, "b"));
    BOOST_TEST(dedup.duplicates() == 3u);
}

BOOST_AUTO_TEST_CASE(ids_are_compared_exactly) {
    Deduplicator dedup;
    BOOST_TEST(first_sighting(dedup, "Job1"));
    BOOST_TEST(first_sighting(dedup, "job1"));
    BOOST_TEST(first_sighting(dedup, "job1 "));
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
    for (const auto& id : ids) BOOST_TEST_REQUIRE(first_sighting(dedup, id));
    for (const auto& id : ids) BOOST_TEST_REQUIRE(!first_sighting(dedup, id));
    BOOST_TEST(dedup.duplicates() == 100000u);
}

BOOST_AUTO_TEST_SUITE_END()
