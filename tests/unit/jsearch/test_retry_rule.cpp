// JSearch's retry rule as a table, and the failure class agreeing with it.
#include <boost/test/unit_test.hpp>
#include <string>
#include <vector>

#include "jsearch/response.hpp"
#include "jsearch/retry_rule.hpp"
#include "unit/http/fakes.hpp"
#include "unit/http/retry_table.hpp"
#include "unit/jsearch/print_failure.hpp"

using jobsync::http::Response;

using jobsync::jsearch::quota_exhausted;
using jobsync::jsearch::quota_reset;
using jobsync::sync::Failure;
using jobsync::testing::FakeTransport;

namespace {

constexpr const char* kMonthly =
    R"({"message":"You have exceeded the MONTHLY quota for Requests on your current plan, )"
    R"(BASIC. Upgrade your plan at https://rapidapi.com/letscrape-6bRBa3QguO5/api/jsearch"})";

Response json(int status, std::string body, jobsync::http::Headers headers = {}) {
    headers.emplace_back("Content-Type", "application/json");
    return FakeTransport::reply(status, std::move(body), std::move(headers));
}

std::vector<jobsync::testing::RetryRow> table() {
    return jobsync::testing::transport_failures_and({
        {"429 per-second", json(429, R"({"message":"Too many requests"})"), true,
         Failure::transient},
        {"429 monthly quota", json(429, kMonthly), false, Failure::quota},
        {"429 quota by header",
         json(429, R"({"message":"Too many requests"})", {{"x-ratelimit-requests-remaining", "0"}}),
         false, Failure::quota},
        {"503 with the quota spent", json(503, "{}", {{"x-ratelimit-requests-remaining", "0"}}),
         false, Failure::quota},
        {"408", json(408, "{}"), true, Failure::transient},
        {"500", json(500, "{}"), true, Failure::transient},
        {"503", json(503, "{}"), true, Failure::transient},
        {"401", json(401, R"({"message":"Invalid API key."})"), false, Failure::auth},
        {"403", json(403, R"({"message":"You are not subscribed to this API."})"), false,
         Failure::auth},
        {"400", json(400, "{}"), false, Failure::rejected},
    });
}

Failure failure_of(const Response& response) {
    if (response.transport_failed()) {
        return jobsync::jsearch::classify_transport_failure(response, "q").failure;
    }
    // The client's own order: a spent quota first, whatever the status says.
    if (quota_exhausted(response)) return Failure::quota;
    return jobsync::jsearch::classify_http_status(response.status, "application/json",
                                                  response.body, "q")
        .failure;
}

}  // namespace

BOOST_AUTO_TEST_SUITE(jsearch_retry_rule)

BOOST_AUTO_TEST_CASE(each_answer_is_retried_or_not_as_the_table_says) {
    for (const auto& row : table()) {
        BOOST_TEST(jobsync::jsearch::is_retryable(row.response) == row.retried, row.what);
    }
}

BOOST_AUTO_TEST_CASE(the_failure_class_agrees_with_the_rule) {
    for (const auto& row : table()) {
        BOOST_TEST(failure_of(row.response) == row.failure, row.what);
        BOOST_TEST((failure_of(row.response) == Failure::transient) ==
                       jobsync::jsearch::is_retryable(row.response),
                   row.what);
    }
}

BOOST_AUTO_TEST_CASE(a_successful_answer_with_the_quota_at_zero_counts_as_spent) {
    const auto last =
        json(200, R"({"status":"OK","data":[]})", {{"x-ratelimit-requests-remaining", "0"}});
    BOOST_TEST(quota_exhausted(last));
    BOOST_TEST(!quota_exhausted(json(200, "{}", {{"x-ratelimit-requests-remaining", "1"}})));
}

BOOST_AUTO_TEST_CASE(the_reset_is_told_in_days_hours_and_minutes) {
    BOOST_TEST(quota_reset(json(429, kMonthly, {{"x-ratelimit-requests-reset", "2592000"}})) ==
               "resets in 30 days 0 h 0 min (x-ratelimit-requests-reset: 2592000 s)");
    BOOST_TEST(quota_reset(json(429, kMonthly, {{"x-ratelimit-requests-reset", "3720"}})) ==
               "resets in 1 h 2 min (x-ratelimit-requests-reset: 3720 s)");
    BOOST_TEST(quota_reset(json(429, kMonthly)).empty());
    BOOST_TEST(quota_reset(json(429, kMonthly, {{"x-ratelimit-requests-reset", "soon"}})).empty());
}

BOOST_AUTO_TEST_SUITE_END()
