// PostgREST's retry rule as a table, and the failure class agreeing with it: an answer is
// retried exactly when classify_failure calls it transient.
#include <boost/test/unit_test.hpp>
#include <string>
#include <vector>

#include "postgrest/response.hpp"
#include "postgrest/retry_rule.hpp"
#include "unit/http/fakes.hpp"
#include "unit/http/retry_table.hpp"

using jobsync::http::Response;
using jobsync::postgrest::classify_failure;

using jobsync::sync::Failure;
using jobsync::testing::FakeTransport;

namespace {

Response pg(int status, const std::string& code) {
    return FakeTransport::reply(
        status, R"({"code":")" + code + R"(","message":"m","details":null,"hint":null})");
}

std::vector<jobsync::testing::RetryRow> table() {
    return jobsync::testing::transport_failures_and({
        {"401", FakeTransport::reply(401, R"({"message":"Invalid API key"})"), false,
         Failure::auth},
        {"403 42501", pg(403, "42501"), false, Failure::auth},
        {"408", FakeTransport::reply(408), true, Failure::transient},
        {"429", FakeTransport::reply(429), true, Failure::transient},
        {"502 proxy", FakeTransport::reply(502, "<html><title>Bad Gateway</title></html>"), true,
         Failure::transient},
        {"503 08006", pg(503, "08006"), true, Failure::transient},
        {"503 53300", pg(503, "53300"), true, Failure::transient},
        {"500 53400", pg(500, "53400"), true, Failure::transient},
        {"503 57P01", pg(503, "57P01"), true, Failure::transient},
        {"503 PGRST001", pg(503, "PGRST001"), true, Failure::transient},
        {"503 PGRST002", pg(503, "PGRST002"), true, Failure::transient},
        {"504 PGRST003", pg(504, "PGRST003"), true, Failure::transient},
        {"500 40001", pg(500, "40001"), true, Failure::transient},
        {"500 40P01", pg(500, "40P01"), true, Failure::transient},
        {"500 without a body", FakeTransport::reply(500), true, Failure::transient},
        {"500 57014", pg(500, "57014"), false, Failure::statement_timeout},
        {"500 21000", pg(500, "21000"), false, Failure::rejected},
        {"500 XX000", pg(500, "XX000"), false, Failure::rejected},
        {"400 PGRST204", pg(400, "PGRST204"), false, Failure::rejected},
        {"409 23505", pg(409, "23505"), false, Failure::rejected},
        {"404 PGRST205", pg(404, "PGRST205"), false, Failure::rejected},
    });
}

}  // namespace

BOOST_AUTO_TEST_SUITE(postgrest_retry_rule)

BOOST_AUTO_TEST_CASE(each_answer_is_retried_or_not_as_the_table_says) {
    for (const auto& row : table()) {
        BOOST_TEST(jobsync::postgrest::is_retryable(row.response) == row.retried, row.what);
    }
}

BOOST_AUTO_TEST_CASE(the_failure_class_agrees_with_the_rule) {
    for (const auto& row : table()) {
        const auto failure = classify_failure(row.response, "jobs").failure;
        BOOST_TEST(static_cast<int>(failure) == static_cast<int>(row.failure), row.what);
        BOOST_TEST(
            (failure == Failure::transient) == jobsync::postgrest::is_retryable(row.response),
            row.what);
    }
}

BOOST_AUTO_TEST_SUITE_END()
