// The dry run's feed (sync/dry_run_feed.hpp): pages come in any order, the jobs and titles
// it reports are those a sequential run meets first.
#include <algorithm>
#include <boost/test/unit_test.hpp>
#include <string>
#include <vector>

#include "fakes.hpp"
#include "sync/dry_run_feed.hpp"

using namespace jobsync;
using namespace jobsync::testing;

namespace {

struct Arrival {
    std::size_t query = 0;
    sync::FetchedPage page;
};

// "id:title" for each job, in the feed's order.
std::vector<std::string> listed(std::vector<sync::FeedJob> jobs) {
    std::vector<std::string> out;
    out.reserve(jobs.size());
    for (const auto& job : jobs) out.push_back(job.job_id + ":" + job.title);
    return out;
}

// Two queries of two pages; "a" is in both queries, "b" twice in the second query.
std::vector<Arrival> in_feed_order() {
    return {
        {0, page("first", 1, {job("a", "A in first"), job("c", "C")})},
        {0, page("first", 2, {job("d", "D")})},
        {1, page("second", 1, {job("b", "B on page 1"), job("a", "A in second")})},
        {1, page("second", 2, {job("e", "E"), job("b", "B on page 2")})},
    };
}

const std::vector<std::string> kSequential{"a:A in first", "c:C", "d:D", "b:B on page 1", "e:E"};

}  // namespace

BOOST_AUTO_TEST_SUITE(dry_run_feed)

BOOST_AUTO_TEST_CASE(pages_in_feed_order_keep_the_first_copy_of_each_job) {
    sync::DryRunFeed feed;
    for (const auto& arrival : in_feed_order()) feed.take(arrival.query, arrival.page);
    BOOST_TEST(feed.duplicates() == 2u);
    BOOST_TEST(listed(feed.take_jobs()) == kSequential, boost::test_tools::per_element());
    BOOST_TEST(feed.take_jobs().empty());  // taken
}

BOOST_AUTO_TEST_CASE(a_later_querys_page_arriving_first_does_not_win_a_shared_job) {
    // The second query's first page, which carries a copy of "a", comes before the first
    // query's: the first query's copy is the one reported, and in its place.
    auto arrivals = in_feed_order();
    sync::DryRunFeed feed;
    feed.take(arrivals[2].query, arrivals[2].page);
    feed.take(arrivals[0].query, arrivals[0].page);
    feed.take(arrivals[3].query, arrivals[3].page);
    feed.take(arrivals[1].query, arrivals[1].page);
    BOOST_TEST(feed.duplicates() == 2u);
    BOOST_TEST(listed(feed.take_jobs()) == kSequential, boost::test_tools::per_element());
}

BOOST_AUTO_TEST_CASE(every_arrival_order_reports_what_a_sequential_run_meets) {
    const auto arrivals = in_feed_order();
    std::vector<std::size_t> order(arrivals.size());
    for (std::size_t i = 0; i < order.size(); ++i) order[i] = i;
    do {
        sync::DryRunFeed feed;
        for (std::size_t i : order) feed.take(arrivals[i].query, arrivals[i].page);
        BOOST_TEST(feed.duplicates() == 2u);
        BOOST_TEST(listed(feed.take_jobs()) == kSequential, boost::test_tools::per_element());
    } while (std::next_permutation(order.begin(), order.end()));
}

BOOST_AUTO_TEST_CASE(a_copy_beaten_twice_leaves_only_the_best) {
    // "x" comes from the third query, then the second, then the first: each replaces the last.
    sync::DryRunFeed feed;
    feed.take(2, page("third", 1, {job("x", "X in third")}));
    feed.take(1, page("second", 1, {job("y", "Y"), job("x", "X in second")}));
    feed.take(0, page("first", 3, {job("x", "X in first")}));
    BOOST_TEST(feed.duplicates() == 2u);
    BOOST_TEST(listed(feed.take_jobs()) == (std::vector<std::string>{"x:X in first", "y:Y"}),
               boost::test_tools::per_element());
}

BOOST_AUTO_TEST_SUITE_END()
