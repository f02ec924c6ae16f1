#include <boost/test/unit_test.hpp>
#include <chrono>
#include <vector>

#include "http/rate_limited_transport.hpp"
#include "unit/http/fakes.hpp"

using namespace std::chrono_literals;
using jobsync::http::RateLimit;
using jobsync::http::RateLimitedTransport;
using jobsync::http::Request;
using jobsync::http::TransportError;
using jobsync::testing::FakeTransport;
using jobsync::testing::rfc_example_time;

namespace {

// A clock that only moves when the code under test sleeps: waits are exact and instant.
class SleepingClock final : public jobsync::http::Clock, public jobsync::http::Sleeper {
  public:
    std::chrono::system_clock::time_point now() override { return now_; }
    void sleep(std::chrono::milliseconds duration) override {
        sleeps.push_back(duration.count());
        now_ += duration;
    }
    void advance(std::chrono::milliseconds duration) { now_ += duration; }
    std::vector<long long> sleeps;

  private:
    std::chrono::system_clock::time_point now_ = rfc_example_time();
};

Request get() {
    Request request;
    request.method = "GET";
    request.url = "http://127.0.0.1:1/search";
    return request;
}

RateLimit per_second(double rate) {
    RateLimit limit;
    limit.requests_per_second = rate;
    return limit;
}

}  // namespace

BOOST_AUTO_TEST_SUITE(rate_limited_transport)

BOOST_AUTO_TEST_CASE(requests_wait_for_their_token) {
    FakeTransport inner;
    SleepingClock time;
    RateLimitedTransport transport(inner, per_second(5.0), time, time);
    for (int i = 0; i < 3; ++i) BOOST_TEST(transport.send(get()).status == 200);
    BOOST_TEST(inner.requests.size() == 3u);
    BOOST_TEST(time.sleeps == (std::vector<long long>{200, 200}), boost::test_tools::per_element());
    BOOST_TEST(transport.requests() == 3);
}

BOOST_AUTO_TEST_CASE(a_429_with_retry_after_pauses_every_later_request) {
    FakeTransport inner(
        {FakeTransport::reply(429, R"({"message":"Too many requests"})", {{"Retry-After", "3"}}),
         FakeTransport::reply(200)});
    SleepingClock time;
    RateLimitedTransport transport(inner, per_second(100.0), time, time);
    BOOST_TEST(transport.send(get()).status == 429);
    BOOST_TEST(transport.send(get()).status == 200);
    BOOST_TEST(transport.send(get()).status == 200);
    BOOST_TEST(time.sleeps == (std::vector<long long>{3000, 10}), boost::test_tools::per_element());
    BOOST_TEST(transport.pauses() == 1);
}

BOOST_AUTO_TEST_CASE(a_429_without_retry_after_pauses_for_the_default) {
    FakeTransport inner({FakeTransport::reply(429), FakeTransport::reply(200)});
    SleepingClock time;
    RateLimit limit = per_second(100.0);
    limit.pause_after_429 = 1500ms;
    RateLimitedTransport transport(inner, limit, time, time);
    transport.send(get());
    transport.send(get());
    BOOST_TEST(time.sleeps == std::vector<long long>{1500}, boost::test_tools::per_element());
}

BOOST_AUTO_TEST_CASE(a_retry_after_beyond_the_cap_pauses_for_the_cap) {
    FakeTransport inner(
        {FakeTransport::reply(429, "", {{"Retry-After", "86400"}}), FakeTransport::reply(200)});
    SleepingClock time;
    RateLimit limit = per_second(100.0);
    limit.max_pause = 60s;
    RateLimitedTransport transport(inner, limit, time, time);
    transport.send(get());
    transport.send(get());
    BOOST_TEST(time.sleeps == std::vector<long long>{60000}, boost::test_tools::per_element());
}

BOOST_AUTO_TEST_CASE(requests_after_a_halt_are_not_sent) {
    FakeTransport inner;
    SleepingClock time;
    RateLimitedTransport transport(inner, per_second(5.0), time, time);
    transport.send(get());
    transport.halt();
    const auto response = transport.send(get());
    BOOST_TEST(inner.requests.size() == 1u);
    BOOST_TEST((response.error == TransportError::connect_failed));
    BOOST_TEST(response.error_message.find("not sent") != std::string::npos);
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_AUTO_TEST_SUITE(rate_limited_transport_unlimited)

BOOST_AUTO_TEST_CASE(without_a_rate_nothing_waits_but_a_429_still_pauses_everyone) {
    FakeTransport inner({FakeTransport::reply(200), FakeTransport::reply(200),
                         FakeTransport::reply(429, "", {{"Retry-After", "1"}}),
                         FakeTransport::reply(200)});
    SleepingClock time;
    RateLimitedTransport transport(inner, per_second(0.0), time, time);
    for (int i = 0; i < 5; ++i) transport.send(get());
    BOOST_TEST(time.sleeps == std::vector<long long>{1000}, boost::test_tools::per_element());
}

BOOST_AUTO_TEST_SUITE_END()
