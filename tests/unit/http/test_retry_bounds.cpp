// The retry loop under the run's bounds: the deadline (on an injected clock), a stop, a budget.
// Nothing sleeps: the clock moves only when the fake transport or sleeper says so.
#include <boost/test/unit_test.hpp>

#include "http/retry.hpp"
#include "unit/http/fakes.hpp"

using jobsync::http::Halt;
using jobsync::http::Request;
using jobsync::http::Response;
using jobsync::http::RetryPolicy;
using jobsync::http::send_with_retry;
using jobsync::http::TransportError;
using jobsync::testing::FakeTransport;
using namespace std::chrono_literals;

BOOST_TEST_DONT_PRINT_LOG_VALUE(jobsync::http::Halt)
BOOST_TEST_DONT_PRINT_LOG_VALUE(jobsync::http::TransportError)

namespace {

// A clock that the transport and the sleeper move, as real time would.
class MovingClock final : public jobsync::http::Clock {
  public:
    std::chrono::system_clock::time_point now() override { return now_; }
    void advance(std::chrono::milliseconds by) { now_ += by; }

  private:
    std::chrono::system_clock::time_point now_ = jobsync::testing::rfc_example_time();
};

class ClockSleeper final : public jobsync::http::Sleeper {
  public:
    explicit ClockSleeper(MovingClock& clock) : clock_(clock) {}
    void sleep(std::chrono::milliseconds duration) override {
        sleeps.push_back(duration.count());
        clock_.advance(duration);
    }
    std::vector<long long> sleeps;

  private:
    MovingClock& clock_;
};

// Each send takes `cost` of the clock and answers with the script.
class SlowTransport final : public jobsync::http::Transport {
  public:
    SlowTransport(MovingClock& clock, std::chrono::milliseconds cost, std::vector<Response> script)
        : clock_(clock), cost_(cost), script_(std::move(script)) {}
    Response send(const Request& request) override {
        timeouts.push_back(request.timeout.count());
        clock_.advance(std::min(cost_, request.timeout));
        if (cost_ > request.timeout) {
            return FakeTransport::failure(TransportError::timeout, "no complete response");
        }
        const Response next = script_.at(std::min(sent_++, script_.size() - 1));
        return next;
    }
    std::vector<long long> timeouts;

  private:
    MovingClock& clock_;
    std::chrono::milliseconds cost_;
    std::vector<Response> script_;
    std::size_t sent_ = 0;
};

Request some_request() {
    Request request;
    request.method = "GET";
    request.url = "http://127.0.0.1:1/search";
    request.timeout = 30s;
    return request;
}

struct Bounded {
    MovingClock clock;
    ClockSleeper sleeper{clock};
    jobsync::testing::FixedJitter jitter{0.0};
    jobsync::http::RetryEnvironment env(std::chrono::milliseconds deadline_in) {
        return {clock, sleeper, jitter, nullptr, clock.now() + deadline_in};
    }
};

}  // namespace

BOOST_AUTO_TEST_SUITE(retry_bounds)

BOOST_AUTO_TEST_CASE(a_request_timeout_is_cut_to_what_is_left_before_the_deadline) {
    Bounded b;
    SlowTransport transport(b.clock, 1s, {FakeTransport::reply(200)});
    const auto result = send_with_retry(transport, some_request(), RetryPolicy{}, b.env(10s));
    BOOST_TEST(result.halt == Halt::none);
    BOOST_TEST(transport.timeouts == (std::vector<long long>{10000}),
               boost::test_tools::per_element());
}

BOOST_AUTO_TEST_CASE(a_hung_server_ends_at_the_deadline_not_after_three_timeouts) {
    Bounded b;
    SlowTransport transport(b.clock, 1h, {FakeTransport::reply(200)});
    const auto result = send_with_retry(transport, some_request(), RetryPolicy{}, b.env(5s));
    BOOST_TEST(result.attempts == 1);
    BOOST_TEST(result.halt == Halt::deadline);
    BOOST_TEST(result.response.error == TransportError::timeout);
    BOOST_TEST(b.sleeper.sleeps.empty());
}

BOOST_AUTO_TEST_CASE(a_backoff_that_would_pass_the_deadline_is_not_waited) {
    Bounded b;
    SlowTransport transport(b.clock, 0ms, {FakeTransport::reply(503, "", {{"Retry-After", "60"}})});
    const auto result = send_with_retry(transport, some_request(), RetryPolicy{}, b.env(30s));
    BOOST_TEST(result.attempts == 1);
    BOOST_TEST(result.halt == Halt::deadline);
    BOOST_TEST(result.response.status == 503);
    BOOST_TEST(b.sleeper.sleeps.empty());
}

BOOST_AUTO_TEST_CASE(no_attempt_starts_after_the_deadline) {
    Bounded b;
    SlowTransport transport(b.clock, 0ms, {FakeTransport::reply(200)});
    auto env = b.env(1s);
    b.clock.advance(2s);
    const auto result = send_with_retry(transport, some_request(), RetryPolicy{}, env);
    BOOST_TEST(result.attempts == 0);
    BOOST_TEST(result.halt == Halt::deadline);
    BOOST_TEST(transport.timeouts.empty());
}

BOOST_AUTO_TEST_CASE(a_stop_during_the_wait_ends_the_loop_without_another_attempt) {
    Bounded b;
    bool stopped = false;
    SlowTransport transport(b.clock, 0ms, {FakeTransport::reply(503)});
    // The signal arrives while the loop waits: the app's sleeper wakes at once.
    struct StoppingSleeper final : jobsync::http::Sleeper {
        bool& flag;
        explicit StoppingSleeper(bool& f) : flag(f) {}
        void sleep(std::chrono::milliseconds) override { flag = true; }
    } stopping(stopped);
    jobsync::http::RetryEnvironment stop_env{b.clock, stopping, b.jitter, [&] { return stopped; }};
    const auto result = send_with_retry(transport, some_request(), RetryPolicy{}, stop_env);
    BOOST_TEST(result.attempts == 1);
    BOOST_TEST(result.halt == Halt::stopped);
    BOOST_TEST(transport.timeouts.size() == 1u);
}

BOOST_AUTO_TEST_CASE(the_transport_is_handed_the_stop_so_it_can_abandon_a_request) {
    FakeTransport transport({FakeTransport::reply(200)});
    jobsync::testing::FakeRetryEnvironment fake;
    bool stopped = false;
    send_with_retry(transport, some_request(), RetryPolicy{},
                    {fake.clock, fake.sleeper, fake.jitter, [&] { return stopped; }});
    BOOST_TEST_REQUIRE(transport.requests.size() == 1u);
    BOOST_TEST_REQUIRE(static_cast<bool>(transport.requests[0].cancelled));
    BOOST_TEST(!transport.requests[0].cancelled());
    stopped = true;
    BOOST_TEST(transport.requests[0].cancelled());
}

BOOST_AUTO_TEST_CASE(a_budget_refusal_sends_nothing_more) {
    FakeTransport transport({FakeTransport::reply(503)});
    jobsync::testing::FakeRetryEnvironment fake;
    int allowed = 2;
    const auto result = send_with_retry(transport, some_request(), RetryPolicy{}, fake.env(),
                                        nullptr, nullptr, [&] { return allowed-- > 0; });
    BOOST_TEST(result.attempts == 2);
    BOOST_TEST(result.halt == Halt::refused);
    BOOST_TEST(transport.requests.size() == 2u);
}

BOOST_AUTO_TEST_CASE(a_client_rule_replaces_the_generic_one) {
    FakeTransport transport({FakeTransport::reply(503), FakeTransport::reply(200)});
    jobsync::testing::FakeRetryEnvironment fake;
    RetryPolicy policy;
    policy.retryable = [](const Response&) { return false; };
    const auto result = send_with_retry(transport, some_request(), policy, fake.env());
    BOOST_TEST(result.attempts == 1);
    BOOST_TEST(result.response.status == 503);
}

BOOST_AUTO_TEST_SUITE_END()
