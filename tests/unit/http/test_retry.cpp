#include <algorithm>
#include <boost/test/unit_test.hpp>
#include <chrono>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "http/clock.hpp"
#include "http/retry.hpp"
#include "unit/http/fakes.hpp"

using namespace std::chrono_literals;
using jobsync::http::backoff_delay;
using jobsync::http::is_retryable;
using jobsync::http::parse_retry_after;
using jobsync::http::Request;
using jobsync::http::Response;
using jobsync::http::RetryPolicy;
using jobsync::http::send_with_retry;
using jobsync::http::TransportError;
using jobsync::testing::FakeRetryEnvironment;
using jobsync::testing::FakeTransport;
using jobsync::testing::rfc_example_time;

namespace {

std::vector<long long> schedule(double jitter, int retries = 3) {
    std::vector<long long> delays;
    for (int retry = 0; retry < retries; ++retry) {
        delays.push_back(backoff_delay(RetryPolicy{}, retry, jitter).count());
    }
    return delays;
}

// Milliseconds to wait, or -1 when the value is rejected.
long long retry_after_ms(std::string_view value) {
    const auto parsed = parse_retry_after(value, rfc_example_time());
    return parsed ? parsed->count() : -1;
}

Request some_request() {
    Request request;
    request.method = "POST";
    request.url = "http://127.0.0.1:1/rest/v1/jobs";
    request.body = "[]";
    return request;
}

Response with_retry_after(int status, std::string value) {
    return FakeTransport::reply(status, "", {{"Retry-After", std::move(value)}});
}

}  // namespace

BOOST_AUTO_TEST_SUITE(backoff)

BOOST_AUTO_TEST_CASE(without_jitter_the_delays_double_from_100_ms) {
    BOOST_TEST(schedule(0.0) == (std::vector<long long>{100, 200, 400}),
               boost::test_tools::per_element());
}

BOOST_AUTO_TEST_CASE(lowest_jitter_takes_30_percent_off) {
    BOOST_TEST(schedule(-1.0) == (std::vector<long long>{70, 140, 280}),
               boost::test_tools::per_element());
}

BOOST_AUTO_TEST_CASE(highest_jitter_adds_30_percent) {
    BOOST_TEST(schedule(1.0) == (std::vector<long long>{130, 260, 520}),
               boost::test_tools::per_element());
}

BOOST_AUTO_TEST_CASE(jitter_outside_the_unit_range_is_clamped) {
    BOOST_TEST(schedule(7.0) == schedule(1.0), boost::test_tools::per_element());
    BOOST_TEST(schedule(-7.0) == schedule(-1.0), boost::test_tools::per_element());
}

BOOST_AUTO_TEST_CASE(the_policy_sets_base_and_jitter_fraction) {
    RetryPolicy policy;
    policy.base_delay = 1000ms;
    policy.jitter_fraction = 0.5;
    BOOST_TEST(backoff_delay(policy, 1, 1.0).count() == 3000);
    BOOST_TEST(backoff_delay(policy, 2, -1.0).count() == 2000);
}

BOOST_AUTO_TEST_CASE(the_real_jitter_spreads_over_minus_one_to_one_and_differs_per_process) {
    // What every run's backoff uses (app.cpp): uniform on [-1, 1], so two clients that failed
    // together do not retry together. 10,000 draws: about half negative (the standard
    // deviation is 50, the bounds 20 of them away) and both ends nearly reached.
    // Seeded from std::random_device, not a constant: two sources start with other values.
    const auto jitter = jobsync::http::make_random_jitter();
    const auto other = jobsync::http::make_random_jitter();
    std::vector<double> first;
    std::vector<double> second;
    for (int i = 0; i < 4; ++i) {
        first.push_back(jitter->next());
        second.push_back(other->next());
    }
    BOOST_TEST((first != second));

    double lowest = 1.0;
    double highest = -1.0;
    int negative = 0;
    for (int i = 0; i < 10000; ++i) {
        const double value = jitter->next();
        BOOST_TEST_REQUIRE((value >= -1.0 && value <= 1.0), "draw " << i << " is " << value);
        lowest = std::min(lowest, value);
        highest = std::max(highest, value);
        if (value < 0) ++negative;
    }
    BOOST_TEST(lowest < -0.99);
    BOOST_TEST(highest > 0.99);
    BOOST_TEST(negative > 4000);
    BOOST_TEST(negative < 6000);
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_AUTO_TEST_SUITE(retryable)

BOOST_AUTO_TEST_CASE(too_many_requests_and_server_errors_are_retried) {
    for (int status : {408, 429, 500, 502, 503, 504, 599}) {
        BOOST_TEST(is_retryable(FakeTransport::reply(status)), "status " << status);
    }
}

BOOST_AUTO_TEST_CASE(success_and_client_errors_are_not_retried) {
    for (int status : {200, 201, 204, 301, 400, 401, 403, 404, 409, 422}) {
        BOOST_TEST(!is_retryable(FakeTransport::reply(status)), "status " << status);
    }
}

BOOST_AUTO_TEST_CASE(connection_failures_and_timeouts_are_retried) {
    for (auto error :
         {TransportError::connect_failed, TransportError::timeout, TransportError::other}) {
        BOOST_TEST(is_retryable(FakeTransport::failure(error, "boom")));
    }
}

BOOST_AUTO_TEST_CASE(tls_failures_oversized_bodies_and_cancellations_are_never_retried) {
    for (auto error :
         {TransportError::tls, TransportError::body_too_large, TransportError::cancelled}) {
        BOOST_TEST(!is_retryable(FakeTransport::failure(error, "boom")));
    }
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_AUTO_TEST_SUITE(retry_after)

BOOST_AUTO_TEST_CASE(delta_seconds_become_milliseconds) {
    BOOST_TEST(retry_after_ms("120") == 120000);
    BOOST_TEST(retry_after_ms("0") == 0);
    BOOST_TEST(retry_after_ms("  2 ") == 2000);
}

BOOST_AUTO_TEST_CASE(an_absurd_delta_is_bounded_instead_of_overflowing) {
    BOOST_TEST(retry_after_ms("99999999999999999999999") == 365LL * 24 * 3600 * 1000);
}

BOOST_AUTO_TEST_CASE(an_imf_fixdate_gives_the_time_until_it) {
    BOOST_TEST(retry_after_ms("Sun, 06 Nov 1994 08:50:37 GMT") == 60000);
    BOOST_TEST(retry_after_ms("Mon, 07 Nov 1994 08:49:37 GMT") == 86400000);
}

BOOST_AUTO_TEST_CASE(the_obsolete_rfc850_and_asctime_dates_are_understood) {
    BOOST_TEST(retry_after_ms("Sunday, 06-Nov-94 08:49:47 GMT") == 10000);
    BOOST_TEST(retry_after_ms("Sun Nov  6 08:49:57 1994") == 20000);
}

BOOST_AUTO_TEST_CASE(a_date_in_the_past_means_retry_now) {
    BOOST_TEST(retry_after_ms("Sun, 06 Nov 1994 08:49:36 GMT") == 0);
    BOOST_TEST(retry_after_ms("Sun, 06 Nov 1994 08:49:37 GMT") == 0);
    BOOST_TEST(parse_retry_after("Thu, 01 Jan 1970 00:00:00 GMT", std::chrono::system_clock::now())
                   ->count() == 0);
}

BOOST_AUTO_TEST_CASE(a_date_across_a_leap_day_is_exact) {
    const auto now = std::chrono::system_clock::time_point(std::chrono::seconds(951696000));
    // 2000-02-28T00:00:00Z + 2 days = 2000-03-01 (2000 was a leap year)
    BOOST_TEST(parse_retry_after("Wed, 01 Mar 2000 00:00:00 GMT", now)->count() == 2 * 86400000LL);
}

BOOST_AUTO_TEST_CASE(garbage_is_ignored) {
    for (const char* value : {"", "   ", "soon", "-5", "1.5", "2s", "Sun, 06 Nov 1994 25:00:00 GMT",
                              "Sun, 06 Nov 1994 08:49:37 UTC", "Sun, 32 Nov 1994 08:49:37 GMT",
                              "Sun, 06 Foo 1994 08:49:37 GMT",
                              "Sun, 06 Nov 1994 08:49:37 GMT trailing", "Sun Nov  6 08:49:37"}) {
        BOOST_TEST(retry_after_ms(value) == -1, "value '" << value << "'");
    }
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_AUTO_TEST_SUITE(send_with_retry_loop)

BOOST_AUTO_TEST_CASE(two_server_errors_then_success_takes_three_attempts) {
    FakeTransport transport(
        {FakeTransport::reply(503), FakeTransport::reply(503), FakeTransport::reply(200, "ok")});
    FakeRetryEnvironment fake;
    const auto result = send_with_retry(transport, some_request(), RetryPolicy{}, fake.env());
    BOOST_TEST(result.attempts == 3);
    BOOST_TEST(result.retries() == 2);
    BOOST_TEST(result.response.status == 200);
    BOOST_TEST(result.response.body == "ok");
    BOOST_TEST(fake.sleeper.sleeps == (std::vector<long long>{100, 200}),
               boost::test_tools::per_element());
    BOOST_TEST_REQUIRE(transport.requests.size() == 3u);
    for (const auto& sent : transport.requests) {
        BOOST_TEST(sent.method == "POST");
        BOOST_TEST(sent.body.view() == "[]");
    }
}

BOOST_AUTO_TEST_CASE(a_retried_request_resends_the_same_body_text_not_a_copy) {
    FakeTransport transport({FakeTransport::reply(503), FakeTransport::reply(201)});
    FakeRetryEnvironment fake;
    Request request = some_request();
    request.body = std::string(100000, 'b');
    const void* text = request.body.data();
    const auto result = send_with_retry(transport, std::move(request), RetryPolicy{}, fake.env());
    BOOST_TEST(result.attempts == 2);
    BOOST_TEST_REQUIRE(transport.requests.size() == 2u);
    for (const auto& sent : transport.requests) {
        BOOST_TEST(sent.body.size() == 100000u);
        BOOST_TEST(sent.body.view().find_first_not_of('b') == std::string_view::npos);
        BOOST_TEST(static_cast<const void*>(sent.body.data()) == text);
    }
}

BOOST_AUTO_TEST_CASE(jitter_is_applied_to_every_wait) {
    FakeTransport transport(
        {FakeTransport::reply(500), FakeTransport::reply(500), FakeTransport::reply(201)});
    FakeRetryEnvironment fake;
    jobsync::testing::FixedJitter high(1.0);
    send_with_retry(transport, some_request(), RetryPolicy{}, {fake.clock, fake.sleeper, high});
    BOOST_TEST(fake.sleeper.sleeps == (std::vector<long long>{130, 260}),
               boost::test_tools::per_element());
}

BOOST_AUTO_TEST_CASE(retry_after_seconds_replaces_the_backoff) {
    FakeTransport transport({with_retry_after(429, "2"), FakeTransport::reply(200)});
    FakeRetryEnvironment fake;
    const auto result = send_with_retry(transport, some_request(), RetryPolicy{}, fake.env());
    BOOST_TEST(result.attempts == 2);
    BOOST_TEST(fake.sleeper.sleeps == (std::vector<long long>{2000}),
               boost::test_tools::per_element());
}

BOOST_AUTO_TEST_CASE(retry_after_date_is_measured_from_the_injected_clock) {
    FakeTransport transport(
        {with_retry_after(503, "Sun, 06 Nov 1994 08:49:42 GMT"), FakeTransport::reply(200)});
    FakeRetryEnvironment fake;
    send_with_retry(transport, some_request(), RetryPolicy{}, fake.env());
    BOOST_TEST(fake.sleeper.sleeps == (std::vector<long long>{5000}),
               boost::test_tools::per_element());
}

BOOST_AUTO_TEST_CASE(a_long_retry_after_is_capped_by_the_policy) {
    FakeTransport transport({with_retry_after(429, "3600"), FakeTransport::reply(200)});
    FakeRetryEnvironment fake;
    RetryPolicy policy;
    policy.max_retry_after = 5s;
    send_with_retry(transport, some_request(), policy, fake.env());
    BOOST_TEST(fake.sleeper.sleeps == (std::vector<long long>{5000}),
               boost::test_tools::per_element());
}

BOOST_AUTO_TEST_CASE(an_unparsable_retry_after_falls_back_to_the_backoff) {
    FakeTransport transport({with_retry_after(429, "later"), FakeTransport::reply(200)});
    FakeRetryEnvironment fake;
    send_with_retry(transport, some_request(), RetryPolicy{}, fake.env());
    BOOST_TEST(fake.sleeper.sleeps == (std::vector<long long>{100}),
               boost::test_tools::per_element());
}

BOOST_AUTO_TEST_CASE(unauthorized_is_returned_at_once) {
    FakeTransport transport({FakeTransport::reply(401), FakeTransport::reply(200)});
    FakeRetryEnvironment fake;
    const auto result = send_with_retry(transport, some_request(), RetryPolicy{}, fake.env());
    BOOST_TEST(result.attempts == 1);
    BOOST_TEST(result.response.status == 401);
    BOOST_TEST(fake.sleeper.sleeps.empty());
    BOOST_TEST(transport.requests.size() == 1u);
}

BOOST_AUTO_TEST_CASE(transport_failures_are_retried_until_success) {
    FakeTransport transport({FakeTransport::failure(TransportError::connect_failed, "refused"),
                             FakeTransport::failure(TransportError::timeout, "timed out"),
                             FakeTransport::reply(201)});
    FakeRetryEnvironment fake;
    const auto result = send_with_retry(transport, some_request(), RetryPolicy{}, fake.env());
    BOOST_TEST(result.attempts == 3);
    BOOST_TEST(result.response.status == 201);
    BOOST_TEST(!result.response.transport_failed());
}

BOOST_AUTO_TEST_CASE(gives_up_after_three_attempts_without_a_final_sleep) {
    FakeTransport transport({FakeTransport::reply(503)});
    FakeRetryEnvironment fake;
    std::vector<int> told;
    const auto result =
        send_with_retry(transport, some_request(), RetryPolicy{}, fake.env(),
                        [&told](int attempt, const Response& response, std::chrono::milliseconds) {
                            BOOST_TEST(response.status == 503);
                            told.push_back(attempt);
                        });
    BOOST_TEST(result.attempts == 3);
    BOOST_TEST(result.response.status == 503);
    BOOST_TEST(transport.requests.size() == 3u);
    BOOST_TEST(fake.sleeper.sleeps == (std::vector<long long>{100, 200}),
               boost::test_tools::per_element());
    BOOST_TEST(told == (std::vector<int>{1, 2}), boost::test_tools::per_element());
}

BOOST_AUTO_TEST_CASE(a_single_attempt_policy_never_retries) {
    FakeTransport transport({FakeTransport::reply(503), FakeTransport::reply(200)});
    FakeRetryEnvironment fake;
    RetryPolicy policy;
    policy.max_attempts = 1;
    const auto result = send_with_retry(transport, some_request(), policy, fake.env());
    BOOST_TEST(result.attempts == 1);
    BOOST_TEST(result.response.status == 503);
    BOOST_TEST(fake.sleeper.sleeps.empty());
}

BOOST_AUTO_TEST_SUITE_END()
