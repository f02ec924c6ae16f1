#include <boost/test/unit_test.hpp>
#include <string>

#include "postgrest/response.hpp"
#include "unit/http/fakes.hpp"

using jobsync::http::Response;
using jobsync::http::TransportError;
using jobsync::postgrest::affected_rows;
using jobsync::postgrest::classify_failure;
using jobsync::postgrest::describe_response;
using jobsync::postgrest::parse_content_range;
using jobsync::postgrest::parse_error_body;
using jobsync::sync::Failure;
using jobsync::testing::FakeTransport;

namespace {

Response reply(int status, std::string body) {
    return FakeTransport::reply(status, std::move(body));
}

bool contains(const std::string& text, const std::string& part) {
    return text.find(part) != std::string::npos;
}

// Failure has no operator<<; compare as ints so a failing check still prints.
int kind(const Response& response) {
    return static_cast<int>(classify_failure(response, "jobs").failure);
}

int as_int(Failure failure) { return static_cast<int>(failure); }

// Verbatim bodies from ../shared/postgrest-notes.md.
const std::string kDuplicateKey =
    R"({"code":"23505","details":"Key (k)=(xyyx) already exists.","hint":null,)"
    R"("message":"duplicate key value violates unique constraint \"simple_pk_pkey\""})";
const std::string kKeysMustMatch =
    R"({"code":"PGRST102","message":"All object keys must match","details":null,"hint":null})";
const std::string kUnknownColumn =
    R"({"code":"PGRST204","message":"Could not find the 'helicopter' column of 'articles' in )"
    R"(the schema cache","details":null,"hint":null})";
const std::string kNoApiKey =
    R"({"message":"No API key found in request","hint":"No `apikey` request header or url )"
    R"(param was found."})";
const std::string kInvalidApiKey =
    R"({"message":"Invalid API key","hint":"Double check your Supabase `anon` or )"
    R"(`service_role` API key."})";
const std::string kStatementTimeout =
    R"({"code":"57014","message":"canceling statement due to statement timeout",)"
    R"("details":null,"hint":null})";
const std::string kNoWhereClause =
    R"({"code":"21000","details":null,"hint":null,"message":"UPDATE requires a WHERE clause"})";
const std::string kCannotAffectTwice =
    R"({"code":"21000","details":null,"hint":"Ensure that no rows proposed for insertion )"
    R"(within the same command have duplicate constrained values.","message":"ON CONFLICT DO )"
    R"(UPDATE command cannot affect row a second time"})";
const std::string kBadJwt =
    R"({"code":"PGRST301","details":null,"hint":null,"message":"Expected 3 parts in JWT; got 1"})";
const std::string kRowLevelSecurity =
    R"({"code":"42501","details":null,"hint":null,)"
    R"("message":"new row violates row-level security policy for table \"jobs\""})";
const std::string kTableNotFound =
    R"({"code":"PGRST205","details":null,"hint":"Perhaps you meant the table 'public.job'",)"
    R"("message":"Could not find the table 'public.jobs' in the schema cache"})";
const std::string kNoUniqueConstraint =
    R"({"code":"42P10","details":null,"hint":null,"message":"there is no unique or exclusion )"
    R"(constraint matching the ON CONFLICT specification"})";

}  // namespace

BOOST_AUTO_TEST_SUITE(content_range)

BOOST_AUTO_TEST_CASE(an_exact_count_gives_range_and_total) {
    const auto range = parse_content_range("0-9/10");
    BOOST_TEST_REQUIRE(range.has_value());
    BOOST_TEST(*range->first == 0);
    BOOST_TEST(*range->last == 9);
    BOOST_TEST(*range->total == 10);
    BOOST_TEST(range->length() == 10);
    BOOST_TEST(affected_rows(*range) == 10);
}

BOOST_AUTO_TEST_CASE(nothing_affected_counts_zero) {
    BOOST_TEST(affected_rows(*parse_content_range("*/0")) == 0);
    BOOST_TEST(affected_rows(*parse_content_range("*/*")) == 0);
    BOOST_TEST(!parse_content_range("*/*")->total.has_value());
}

BOOST_AUTO_TEST_CASE(without_a_count_the_range_length_is_used) {
    BOOST_TEST(affected_rows(*parse_content_range("0-0/*")) == 1);
    BOOST_TEST(affected_rows(*parse_content_range("0-4/*")) == 5);
    BOOST_TEST(affected_rows(*parse_content_range(" 0-1/* ")) == 2);
}

BOOST_AUTO_TEST_CASE(the_total_wins_over_the_range_when_both_are_given) {
    BOOST_TEST(affected_rows(*parse_content_range("*/1234567")) == 1234567);
    BOOST_TEST(affected_rows(*parse_content_range("0-99/250")) == 250);
}

BOOST_AUTO_TEST_CASE(malformed_ranges_are_rejected) {
    for (const char* value : {"", "10", "/", "a-b/c", "5-2/*", "0-9/x", "-1-3/4", "0-9/-1", "0-/10",
                              "items 0-9/10", "0-9/10/11"}) {
        BOOST_TEST(!parse_content_range(value).has_value(), "value '" << value << "'");
    }
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_AUTO_TEST_SUITE(error_bodies)

BOOST_AUTO_TEST_CASE(a_postgrest_error_reads_as_one_line_with_details_and_hint) {
    BOOST_TEST(describe_response(reply(409, kDuplicateKey)) ==
               "PostgREST 409 23505: duplicate key value violates unique constraint "
               "\"simple_pk_pkey\" (details: Key (k)=(xyyx) already exists.)");
    BOOST_TEST(describe_response(reply(404, kTableNotFound)) ==
               "PostgREST 404 PGRST205: Could not find the table 'public.jobs' in the schema "
               "cache (hint: Perhaps you meant the table 'public.job')");
    BOOST_TEST(describe_response(reply(400, kKeysMustMatch)) ==
               "PostgREST 400 PGRST102: All object keys must match");
}

BOOST_AUTO_TEST_CASE(the_parsed_fields_are_kept_apart) {
    const auto error = parse_error_body(kCannotAffectTwice);
    BOOST_TEST_REQUIRE(error.has_value());
    BOOST_TEST(error->code == "21000");
    BOOST_TEST(error->message == "ON CONFLICT DO UPDATE command cannot affect row a second time");
    BOOST_TEST(error->details == "");
    BOOST_TEST(contains(error->hint, "duplicate constrained values"));
}

BOOST_AUTO_TEST_CASE(a_gateway_error_has_no_code) {
    BOOST_TEST(describe_response(reply(401, kNoApiKey)) ==
               "HTTP 401: No API key found in request (hint: No `apikey` request header or url "
               "param was found.)");
    BOOST_TEST(describe_response(reply(401, kInvalidApiKey)) ==
               "HTTP 401: Invalid API key (hint: Double check your Supabase `anon` or "
               "`service_role` API key.)");
}

BOOST_AUTO_TEST_CASE(an_html_page_is_named_by_its_title) {
    const std::string page =
        "<!DOCTYPE html>\n<html><head><TITLE>502 Bad\n  Gateway</TITLE></head>"
        "<body><h1>502</h1></body></html>";
    BOOST_TEST(describe_response(reply(502, page)) == "HTTP 502: HTML page \"502 Bad Gateway\"");
    BOOST_TEST(describe_response(reply(520, "<html><body>oops</body></html>")) ==
               "HTTP 520: HTML page");
}

BOOST_AUTO_TEST_CASE(empty_and_plain_text_bodies_are_described) {
    BOOST_TEST(describe_response(reply(503, "")) == "HTTP 503 with an empty body");
    BOOST_TEST(describe_response(reply(503, " \r\n")) == "HTTP 503 with an empty body");
    BOOST_TEST(describe_response(reply(503, "upstream connect error\nor disconnect")) ==
               "HTTP 503: upstream connect error or disconnect");
}

BOOST_AUTO_TEST_CASE(json_of_the_wrong_shape_is_treated_as_text) {
    BOOST_TEST(!parse_error_body(R"({"code":123,"message":["x"]})").has_value());
    BOOST_TEST(!parse_error_body("[1,2]").has_value());
    BOOST_TEST(!parse_error_body(R"({"message":)").has_value());
    BOOST_TEST(describe_response(reply(500, R"({"code":123})")) == R"(HTTP 500: {"code":123})");
}

BOOST_AUTO_TEST_CASE(long_text_is_cut) {
    const std::string body(5000, 'x');
    const std::string line = describe_response(reply(500, body));
    BOOST_TEST(line.size() < 400u);
    BOOST_TEST(line.substr(line.size() - 3) == "...");
}

BOOST_AUTO_TEST_CASE(a_transport_failure_is_described_by_its_message) {
    const auto failure =
        FakeTransport::failure(TransportError::timeout, "POST http://h/rest/v1/jobs: timed out");
    BOOST_TEST(describe_response(failure) == "POST http://h/rest/v1/jobs: timed out");
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_AUTO_TEST_SUITE(classification)

BOOST_AUTO_TEST_CASE(unauthorized_and_forbidden_are_auth_failures) {
    for (const auto& response :
         {reply(401, kNoApiKey), reply(401, kInvalidApiKey), reply(401, kBadJwt),
          reply(403, kRowLevelSecurity), reply(401, kRowLevelSecurity), reply(403, "")}) {
        BOOST_TEST(kind(response) == as_int(Failure::auth), describe_response(response));
    }
}

BOOST_AUTO_TEST_CASE(a_wrong_key_is_named_as_the_likely_cause) {
    const auto failure = classify_failure(reply(401, kInvalidApiKey), "jobs");
    BOOST_TEST(contains(failure.message, "SUPABASE_SERVICE_ROLE_KEY was rejected"));
    BOOST_TEST(contains(failure.message, "Invalid API key"));
}

BOOST_AUTO_TEST_CASE(row_level_security_means_the_key_is_not_service_role) {
    const auto failure = classify_failure(reply(403, kRowLevelSecurity), "jobs");
    BOOST_TEST(failure.message.rfind(
                   "row-level security: the key is not the service_role key [PostgREST 403 42501: "
                   "new row violates row-level security policy for table \"jobs\"]",
                   0) == 0);
}

BOOST_AUTO_TEST_CASE(a_missing_table_points_at_the_migrations) {
    for (const auto& response :
         {reply(404, kTableNotFound),
          reply(404, R"({"code":"42P01","message":"relation \"public.jobs\" does not exist"})"),
          reply(404, "")}) {
        const auto failure = classify_failure(response, "jobs");
        BOOST_TEST(as_int(failure.failure) == as_int(Failure::rejected));
        BOOST_TEST(
            failure.message.rfind("table jobs not found: apply the migrations in schema/", 0) == 0,
            failure.message);
    }
}

BOOST_AUTO_TEST_CASE(a_missing_column_points_at_the_migrations) {
    const auto failure = classify_failure(reply(400, kUnknownColumn), "jobs");
    BOOST_TEST(as_int(failure.failure) == as_int(Failure::rejected));
    BOOST_TEST(failure.message.rfind("column missing: apply the migrations in schema/", 0) == 0);
    BOOST_TEST(contains(failure.message, "helicopter"));
}

BOOST_AUTO_TEST_CASE(a_missing_unique_constraint_points_at_the_migrations) {
    const auto failure = classify_failure(reply(400, kNoUniqueConstraint), "jobs");
    BOOST_TEST(as_int(failure.failure) == as_int(Failure::rejected));
    BOOST_TEST(contains(failure.message, "no unique constraint on job_id"));
}

BOOST_AUTO_TEST_CASE(server_errors_and_transport_failures_are_transient) {
    for (const auto& response :
         {reply(503, ""), reply(504, "<html></html>"), reply(429, ""), reply(408, ""),
          FakeTransport::failure(TransportError::connect_failed, "refused")}) {
        BOOST_TEST(kind(response) == as_int(Failure::transient), describe_response(response));
    }
    // A statement timeout is a class of its own: resending the same batch would time out again.
    const auto timeout = classify_failure(reply(500, kStatementTimeout), "jobs");
    BOOST_TEST(kind(reply(500, kStatementTimeout)) == as_int(Failure::statement_timeout));
    BOOST_TEST(contains(timeout.message, "smaller --batch-size"));
}

BOOST_AUTO_TEST_CASE(a_duplicate_key_within_a_batch_is_rejected_not_transient) {
    const auto failure = classify_failure(reply(500, kCannotAffectTwice), "jobs");
    BOOST_TEST(as_int(failure.failure) == as_int(Failure::rejected));
    BOOST_TEST(contains(failure.message, "appears twice in one batch"));
}

BOOST_AUTO_TEST_CASE(other_client_errors_are_rejected) {
    for (const auto& response : {reply(409, kDuplicateKey), reply(400, kKeysMustMatch),
                                 reply(400, kNoWhereClause), reply(413, "")}) {
        BOOST_TEST(kind(response) == as_int(Failure::rejected), describe_response(response));
    }
    BOOST_TEST(classify_failure(reply(409, kDuplicateKey), "jobs").message ==
               describe_response(reply(409, kDuplicateKey)));
}

BOOST_AUTO_TEST_CASE(a_redirect_is_a_bad_response) {
    const auto failure = classify_failure(reply(302, ""), "jobs");
    BOOST_TEST(as_int(failure.failure) == as_int(Failure::bad_response));
    BOOST_TEST(failure.message == "unexpected HTTP status [HTTP 302 with an empty body]");
}

BOOST_AUTO_TEST_SUITE_END()
