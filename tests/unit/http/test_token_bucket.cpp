#include <boost/test/unit_test.hpp>
#include <chrono>
#include <stdexcept>
#include <vector>

#include "http/token_bucket.hpp"

using namespace std::chrono_literals;
using jobsync::http::TokenBucket;

namespace {

const TokenBucket::TimePoint kStart{std::chrono::seconds(1000)};

// Milliseconds after kStart at which each of `count` tokens taken at `now` may be used.
std::vector<long long> grants(TokenBucket& bucket, int count, TokenBucket::TimePoint now) {
    std::vector<long long> at;
    for (int i = 0; i < count; ++i) {
        at.push_back(
            std::chrono::duration_cast<std::chrono::milliseconds>(bucket.reserve(now) - kStart)
                .count());
    }
    return at;
}

}  // namespace

BOOST_AUTO_TEST_SUITE(token_bucket)

BOOST_AUTO_TEST_CASE(tokens_taken_together_are_spaced_by_the_rate) {
    TokenBucket bucket(5.0, 1);
    const auto at = grants(bucket, 4, kStart);
    BOOST_TEST(at == (std::vector<long long>{0, 200, 400, 600}), boost::test_tools::per_element());
}

BOOST_AUTO_TEST_CASE(a_burst_is_granted_at_once_then_the_steady_rate) {
    TokenBucket bucket(10.0, 3);
    const auto at = grants(bucket, 5, kStart);
    BOOST_TEST(at == (std::vector<long long>{0, 0, 0, 100, 200}), boost::test_tools::per_element());
}

BOOST_AUTO_TEST_CASE(idle_time_refills_no_more_than_the_burst) {
    TokenBucket bucket(10.0, 2);
    grants(bucket, 2, kStart);
    const auto later = kStart + 10s;
    const auto at = grants(bucket, 3, later);
    BOOST_TEST(at == (std::vector<long long>{10000, 10000, 10100}),
               boost::test_tools::per_element());
}

BOOST_AUTO_TEST_CASE(a_caller_that_comes_late_is_not_held_back) {
    TokenBucket bucket(5.0, 1);
    grants(bucket, 1, kStart);
    BOOST_TEST(grants(bucket, 1, kStart + 1s) == std::vector<long long>{1000},
               boost::test_tools::per_element());
}

BOOST_AUTO_TEST_CASE(a_pause_holds_every_later_token_then_resumes_without_a_burst) {
    TokenBucket bucket(10.0, 5);
    grants(bucket, 1, kStart);
    bucket.pause_until(kStart + 2s);
    const auto at = grants(bucket, 3, kStart + 1ms);
    BOOST_TEST(at == (std::vector<long long>{2000, 2100, 2200}), boost::test_tools::per_element());
}

BOOST_AUTO_TEST_CASE(a_shorter_pause_does_not_cut_a_longer_one) {
    TokenBucket bucket(10.0, 1);
    bucket.pause_until(kStart + 3s);
    bucket.pause_until(kStart + 1s);
    BOOST_TEST(grants(bucket, 1, kStart) == std::vector<long long>{3000},
               boost::test_tools::per_element());
}

BOOST_AUTO_TEST_CASE(a_fractional_rate_spaces_tokens_by_seconds) {
    TokenBucket bucket(0.5, 1);
    BOOST_TEST(grants(bucket, 2, kStart) == (std::vector<long long>{0, 2000}),
               boost::test_tools::per_element());
}

BOOST_AUTO_TEST_CASE(a_rate_of_zero_or_a_burst_below_one_is_a_bug) {
    BOOST_CHECK_THROW(TokenBucket(0.0, 1), std::invalid_argument);
    BOOST_CHECK_THROW(TokenBucket(-1.0, 1), std::invalid_argument);
    BOOST_CHECK_THROW(TokenBucket(5.0, 0), std::invalid_argument);
}

BOOST_AUTO_TEST_SUITE_END()
