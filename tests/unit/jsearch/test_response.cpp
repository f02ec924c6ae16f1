#include <rapidjson/document.h>

#include <boost/test/unit_test.hpp>
#include <memory>

#include "jobs/mapping.hpp"
#include "jsearch/response.hpp"
#include "unit/jobs/fixture_file.hpp"
#include "unit/jsearch/print_failure.hpp"

using jobsync::jsearch::classify_http_status;
using jobsync::jsearch::classify_transport_failure;
using jobsync::jsearch::describe_pages;
using jobsync::jsearch::parse_search_response_in_place;
using jobsync::sync::Failure;
using jobsync::testing::read_fixture;

namespace {

constexpr const char* kJson = "application/json";

// The parse overwrites the body it is given; these tests keep theirs.
jobsync::jsearch::ParsedPage parse_search_response(int status, std::string_view content_type,
                                                   std::string body, std::string_view query,
                                                   int first_page, int page_count) {
    return parse_search_response_in_place(status, content_type,
                                          std::make_shared<std::string>(std::move(body)), query,
                                          first_page, page_count);
}

bool contains(const std::string& text, const std::string& part) {
    if (text.find(part) != std::string::npos) return true;
    BOOST_TEST_MESSAGE("\"" << text << "\" does not contain \"" << part << "\"");
    return false;
}

// An OK envelope holding `count` minimal jobs with ids "job-0", "job-1", ...
std::string envelope_with(int count) {
    std::string data;
    for (int i = 0; i < count; ++i) {
        if (i > 0) data += ",";
        data += R"({"job_id": "job-)" + std::to_string(i) + R"(", "job_title": "Dev"})";
    }
    return R"({"status": "OK", "request_id": "r", "data": [)" + data + "]}";
}

}  // namespace

BOOST_AUTO_TEST_SUITE(response)

BOOST_AUTO_TEST_CASE(the_recorded_2025_response_gives_ten_rows) {
    auto page =
        parse_search_response(200, "application/json; charset=utf-8",
                              read_fixture(jobsync::testing::kFixture2025), "junior python", 1, 1);
    BOOST_TEST_REQUIRE(page.ok(), page.message);
    BOOST_TEST(page.jobs_received == 10);
    BOOST_TEST(page.rows.size() == 10u);
    BOOST_TEST(page.problems.empty());
    BOOST_TEST(page.rows[0].job_id == "FqVc-BG23yDOwET2AAAAAA==");
    BOOST_TEST(page.rows[9].job_id == "6f3m1KCOfIeQ4-_cAAAAAA==");
}

BOOST_AUTO_TEST_CASE(a_body_without_status_is_accepted) {
    auto page = parse_search_response(200, kJson, R"({"data": [{"job_id": "a"}]})", "q", 1, 1);
    BOOST_TEST_REQUIRE(page.ok(), page.message);
    BOOST_TEST(page.rows.size() == 1u);
}

BOOST_AUTO_TEST_CASE(an_empty_result_is_a_page_with_no_rows) {
    auto page = parse_search_response(200, kJson, envelope_with(0), "q", 3, 1);
    BOOST_TEST(page.ok());
    BOOST_TEST(page.jobs_received == 0);
    BOOST_TEST(page.rows.empty());
}

BOOST_AUTO_TEST_CASE(an_html_page_is_refused_by_content_type_or_by_its_first_character) {
    auto by_type =
        parse_search_response(200, "text/html; charset=UTF-8",
                              "<!DOCTYPE html><html><body>Oops</body></html>", "python dev", 1, 1);
    BOOST_TEST(by_type.failure == Failure::bad_response);
    BOOST_TEST(by_type.message ==
               "JSearch query \"python dev\" page 1: got an HTML page, not JSON (HTTP 200)");

    auto by_body = parse_search_response(200, kJson, "\n  <html>maintenance</html>", "q", 11, 10);
    BOOST_TEST(by_body.failure == Failure::bad_response);
    BOOST_TEST(contains(by_body.message, "query \"q\" pages 11-20: got an HTML page, not JSON"));
}

BOOST_AUTO_TEST_CASE(a_truncated_body_fails_with_the_offset) {
    auto body = read_fixture(jobsync::testing::kFixture2025).substr(0, 5000);
    auto page = parse_search_response(200, kJson, body, "junior python", 1, 1);
    BOOST_TEST(page.failure == Failure::bad_response);
    BOOST_TEST(page.rows.empty());
    BOOST_TEST(contains(page.message, "JSearch query \"junior python\" page 1: malformed JSON: "));
    BOOST_TEST(contains(page.message, " at offset 5000 of 5000 bytes"));
}

BOOST_AUTO_TEST_CASE(a_lone_surrogate_escape_costs_one_character_not_the_page) {
    // "\ud83d" cut from its pair, a lone low surrogate, a proper pair and an escaped backslash
    // that only looks like an escape: the page parses and only the lone ones are replaced.
    const std::string body =
        R"({"status": "OK", "data": [{"job_id": "job-0", "job_title": "Dev \ud83d here"},)"
        R"( {"job_id": "job-1", "job_title": "\ude00 x \ud83d\ude00 y \\ud83d"}]})";
    const auto page = parse_search_response(200, kJson, body, "junior python", 1, 1);
    BOOST_TEST_REQUIRE(page.failure == Failure::none, page.message);
    BOOST_TEST_REQUIRE(page.rows.size() == 2u);
    BOOST_TEST(page.rows[0].job_title.value_or("") == "Dev \xEF\xBF\xBD here");
    BOOST_TEST(page.rows[1].job_title.value_or("") == "\xEF\xBF\xBD x \xF0\x9F\x98\x80 y \\ud83d");

    // Repaired as the parser reaches them: a lone low one with no lone high one in the body, a
    // high one followed by another escape, upper-case digits, and one at the end of a word.
    const std::string more =
        R"({"data": [{"job_id": "j", "job_title": "a\uDE00b", "job_city": "\uD83D\u0041",)"
        R"( "job_state": "1234567\ud83d"}]})";
    const auto repaired = parse_search_response(200, kJson, more, "q", 1, 1);
    BOOST_TEST_REQUIRE(repaired.rows.size() == 1u, repaired.message);
    BOOST_TEST(repaired.problems.empty());
    const std::string replacement = "\xEF\xBF\xBD";
    BOOST_TEST(repaired.rows[0].job_title.value_or("") == "a" + replacement + "b");
    BOOST_TEST(repaired.rows[0].job_city.value_or("") == replacement + "A");
    BOOST_TEST(repaired.rows[0].job_state.value_or("") == "1234567\xEF\xBF\xBD");
}

BOOST_AUTO_TEST_CASE(strings_scanned_a_word_at_a_time_stop_at_every_escape_and_control_byte) {
    // Plain runs are scanned 16, then 8 bytes at a time: an escape, a quote or a raw control
    // character (0x1A-0x1F included, which RapidJSON's SSE2 scan lets through) at any offset of
    // a block or word is still seen, and text after an escape is moved to its place.
    const std::string plain(40, 'x');
    for (std::size_t at = 0; at <= plain.size(); ++at) {
        const std::string head = plain.substr(0, at), tail = plain.substr(at);
        const std::string body = R"({"data": [{"job_id": "j", "job_title": ")" + head +
                                 R"(\n\"\u00e9\\)" + tail + "\xE2\x80\xA2" + tail + R"("}]})";
        const auto page = parse_search_response(200, kJson, body, "q", 1, 1);
        BOOST_TEST_REQUIRE(page.rows.size() == 1u, page.message);
        BOOST_TEST(page.rows[0].job_title.value_or("") ==
                   head + "\n\"\xC3\xA9\\" + tail + "\xE2\x80\xA2" + tail);
        for (const char raw : {'\x01', '\x19', '\x1A', '\x1F'}) {
            const std::string bad =
                R"({"data": [{"job_id": "j", "job_title": ")" + head + raw + tail + R"("}]})";
            const auto refused = parse_search_response(200, kJson, bad, "q", 1, 1);
            BOOST_TEST(refused.failure == Failure::bad_response);
            BOOST_TEST(contains(refused.message, "malformed JSON: Invalid escape character"));
        }
    }
}

BOOST_AUTO_TEST_CASE(the_rows_borrow_their_text_from_the_body_their_page_keeps) {
    // The client's way: the body is parsed in place and the rows' clean text is borrowed from
    // it, not copied; it is the text a copying map of the untouched job gives. A copy of a row
    // owns its text and outlives the page and its body.
    const std::string kept = read_fixture(jobsync::testing::kFixture2025);
    rapidjson::Document untouched;
    untouched.Parse(kept.c_str());
    BOOST_TEST_REQUIRE(untouched["data"].IsArray());
    const auto& jobs = untouched["data"].GetArray();

    auto body = std::make_shared<std::string>(kept);
    const std::string* held = body.get();
    auto page = parse_search_response_in_place(200, kJson, std::move(body), "q", 1, 1);
    BOOST_TEST_REQUIRE(page.ok(), page.message);
    BOOST_TEST_REQUIRE(page.body.get() == held);
    BOOST_TEST_REQUIRE(page.rows.size() == jobs.Size());
    const char* const first = held->data();
    const char* const last = held->data() + held->size();
    auto in_body = [&](const jobsync::jobs::Text& text) {
        return text.borrowed() && text.data() >= first && text.data() + text.size() <= last;
    };

    std::vector<jobsync::jobs::JobRow> copies;
    std::vector<jobsync::jobs::JobRow> expected;
    for (std::size_t i = 0; i < page.rows.size(); ++i) {
        auto mapped = jobsync::jobs::map_job(jobs[static_cast<rapidjson::SizeType>(i)]);
        BOOST_TEST_REQUIRE(mapped.row.has_value());
        const auto& row = page.rows[i];
        BOOST_TEST(in_body(row.job_id));
        BOOST_TEST(!mapped.row->job_id.borrowed());  // the default map copies
        BOOST_TEST(row.job_id == mapped.row->job_id);
        BOOST_TEST_REQUIRE(row.job_description.has_value());
        BOOST_TEST(in_body(*row.job_description));
        BOOST_TEST(*row.job_description == *mapped.row->job_description);
        BOOST_TEST((row.job_title == mapped.row->job_title));
        BOOST_TEST((row.employer_name == mapped.row->employer_name));
        BOOST_TEST((row.job_apply_link == mapped.row->job_apply_link));
        BOOST_TEST((row.job_location == mapped.row->job_location));
        BOOST_TEST((row.job_posted_at_datetime_utc == mapped.row->job_posted_at_datetime_utc));
        BOOST_TEST((row.job_highlights == mapped.row->job_highlights));
        copies.push_back(row);
        expected.push_back(std::move(*mapped.row));
    }

    page = {};  // the body goes with its page
    for (std::size_t i = 0; i < copies.size(); ++i) {
        BOOST_TEST(!copies[i].job_id.borrowed());
        BOOST_TEST(!copies[i].job_description->borrowed());
        BOOST_TEST(copies[i].job_id == expected[i].job_id);
        BOOST_TEST((copies[i].job_description == expected[i].job_description));
        BOOST_TEST((copies[i].job_title == expected[i].job_title));
    }
}

BOOST_AUTO_TEST_CASE(a_failed_parse_lets_the_body_go) {
    auto body =
        std::make_shared<std::string>(read_fixture(jobsync::testing::kFixture2025).substr(0, 5000));
    const std::weak_ptr<std::string> watched = body;
    const auto page = parse_search_response_in_place(200, kJson, std::move(body), "q", 1, 1);
    BOOST_TEST(contains(page.message, " at offset 5000 of 5000 bytes"));
    BOOST_TEST(!page.body);
    BOOST_TEST(watched.expired());
}

BOOST_AUTO_TEST_CASE(an_empty_body_fails) {
    auto page = parse_search_response(200, kJson, "", "q", 1, 1);
    BOOST_TEST(page.failure == Failure::bad_response);
    BOOST_TEST(contains(page.message, "empty body"));
}

BOOST_AUTO_TEST_CASE(status_error_fails_with_the_error_message) {
    auto page = parse_search_response(200, kJson,
                                      R"({"status": "ERROR", "request_id": "r", )"
                                      R"("error": {"message": "Invalid page", "code": 400}})",
                                      "q", 2, 1);
    BOOST_TEST(page.failure == Failure::bad_response);
    BOOST_TEST(page.message == "JSearch query \"q\" page 2: status is \"ERROR\": Invalid page");

    auto bare = parse_search_response(200, kJson, R"({"status": "ERROR"})", "q", 1, 1);
    BOOST_TEST(bare.message == "JSearch query \"q\" page 1: status is \"ERROR\"");

    auto odd = parse_search_response(200, kJson, R"({"status": 1, "data": []})", "q", 1, 1);
    BOOST_TEST(odd.failure == Failure::bad_response);
}

BOOST_AUTO_TEST_CASE(an_envelope_that_is_not_an_object_fails) {
    auto page = parse_search_response(200, kJson, R"([{"job_id": "a"}])", "q", 1, 1);
    BOOST_TEST(page.failure == Failure::bad_response);
    BOOST_TEST(contains(page.message, "envelope is an array, expected an object"));
}

BOOST_AUTO_TEST_CASE(data_missing_or_not_an_array_fails) {
    auto missing = parse_search_response(200, kJson, R"({"status": "OK"})", "q", 1, 1);
    BOOST_TEST(missing.failure == Failure::bad_response);
    BOOST_TEST(contains(missing.message, "has no \"data\""));

    auto object = parse_search_response(200, kJson, R"({"status": "OK", "data": {}})", "q", 1, 1);
    BOOST_TEST(object.failure == Failure::bad_response);
    BOOST_TEST(contains(object.message, "data is an object, expected an array"));
}

BOOST_AUTO_TEST_CASE(job_problems_carry_query_page_and_job_id) {
    // 12 jobs in a two-page response: data[0] has a bad latitude, data[11] (page 2) no job_id.
    std::string body = R"({"status": "OK", "data": [)"
                       R"({"job_id": "bad-lat", "job_latitude": "north"},)";
    for (int i = 1; i < 11; ++i) body += R"({"job_id": "ok-)" + std::to_string(i) + R"("},)";
    body += R"({"job_title": "no id"}, 7]})";
    auto page = parse_search_response(200, kJson, body, "rust", 5, 2);
    BOOST_TEST_REQUIRE(page.ok(), page.message);
    BOOST_TEST(page.jobs_received == 13);
    BOOST_TEST(page.rows.size() == 11u);
    BOOST_TEST_REQUIRE(page.problems.size() == 3u);

    BOOST_TEST(page.problems[0].query == "rust");
    BOOST_TEST(page.problems[0].page == 5);
    BOOST_TEST(page.problems[0].job_id == "bad-lat");
    BOOST_TEST(page.problems[0].message == "job_latitude is a string, expected a number; nulled");
    BOOST_TEST(!page.problems[0].skipped);

    BOOST_TEST(page.problems[1].page == 6);
    BOOST_TEST(page.problems[1].job_id.empty());
    BOOST_TEST(page.problems[1].message == "job_id is missing; job skipped (data[11])");
    BOOST_TEST(page.problems[1].skipped);

    BOOST_TEST(page.problems[2].message ==
               "job is a number, expected an object; job skipped (data[12])");
    BOOST_TEST(page.problems[2].skipped);
}

BOOST_AUTO_TEST_CASE(http_401_and_403_name_the_likely_cause) {
    auto invalid = parse_search_response(
        401, kJson,
        R"({"message":"Invalid API key. Go to https://docs.rapidapi.com/docs/keys )"
        R"(for more info."})",
        "python", 1, 1);
    BOOST_TEST(invalid.failure == Failure::auth);
    BOOST_TEST(invalid.message ==
               "JSearch query \"python\" page 1: HTTP 401: invalid JSEARCH_API_KEY, or the key is "
               "not subscribed to JSearch on RapidAPI (server says: \"Invalid API key. Go to "
               "https://docs.rapidapi.com/docs/keys for more info.\")");

    auto unsubscribed = parse_search_response(
        403, kJson, R"({"message":"You are not subscribed to this API."})", "python", 1, 1);
    BOOST_TEST(unsubscribed.failure == Failure::auth);
    BOOST_TEST(contains(unsubscribed.message,
                        "HTTP 403: invalid JSEARCH_API_KEY, or the key is "
                        "not subscribed to JSearch on RapidAPI"));
    BOOST_TEST(contains(unsubscribed.message, "You are not subscribed to this API."));
}

BOOST_AUTO_TEST_CASE(http_429_naming_the_quota_is_a_quota_failure_quoting_the_message) {
    auto page = parse_search_response(
        429, kJson,
        R"({"message":"You have exceeded the MONTHLY quota for Requests on your )"
        R"(current plan, BASIC."})",
        "python", 1, 1);
    BOOST_TEST(page.failure == Failure::quota);
    BOOST_TEST(page.message ==
               "JSearch query \"python\" page 1: HTTP 429: quota exhausted (server "
               "says: \"You have exceeded the MONTHLY quota for Requests on your current plan, "
               "BASIC.\")");
}

BOOST_AUTO_TEST_CASE(a_per_second_429_is_a_transient_rate_limit) {
    auto page =
        parse_search_response(429, kJson, R"({"message":"Too many requests"})", "python", 1, 1);
    BOOST_TEST(page.failure == Failure::transient);
    BOOST_TEST(contains(page.message, "rate limit exceeded"));
}

BOOST_AUTO_TEST_CASE(other_statuses_are_rejected_or_transient) {
    auto bad_request = classify_http_status(
        400, kJson, R"({"status":"ERROR","error":{"message":"Missing query","code":400}})",
        "query \"\" page 1");
    BOOST_TEST(bad_request.failure == Failure::rejected);
    BOOST_TEST(bad_request.message ==
               "JSearch query \"\" page 1: HTTP 400: request rejected (server says: \"Missing "
               "query\")");

    auto server = classify_http_status(503, "text/html", "<html>Service Unavailable</html>", "q");
    BOOST_TEST(server.failure == Failure::transient);
    BOOST_TEST(server.message == "JSearch q: HTTP 503: server error (got an HTML page, not JSON)");

    auto plain = classify_http_status(502, "text/plain", "bad gateway", "q");
    BOOST_TEST(plain.message == "JSearch q: HTTP 502: server error");

    BOOST_TEST(classify_http_status(302, "", "", "q").failure == Failure::bad_response);
}

BOOST_AUTO_TEST_CASE(quoted_messages_are_one_line_and_short) {
    std::string long_message(1000, 'x');
    auto failure = classify_http_status(
        429, kJson, R"({"message":"line one\nline two )" + long_message + R"("})", "q");
    BOOST_TEST(failure.message.find('\n') == std::string::npos);
    BOOST_TEST(failure.message.size() < 450u);
    BOOST_TEST(contains(failure.message, "line one line two xxx"));
}

BOOST_AUTO_TEST_CASE(transport_failures_are_transient) {
    jobsync::http::Response timeout;
    timeout.error = jobsync::http::TransportError::timeout;
    timeout.error_message = "request timed out after 30 s";
    auto failure = classify_transport_failure(timeout, describe_pages("q", 1, 10));
    BOOST_TEST(failure.failure == Failure::transient);
    BOOST_TEST(failure.message ==
               "JSearch query \"q\" pages 1-10: timed out (request timed out after 30 s)");

    jobsync::http::Response refused;
    refused.error = jobsync::http::TransportError::connect_failed;
    BOOST_TEST(classify_transport_failure(refused, "q").message == "JSearch q: could not connect");
}

BOOST_AUTO_TEST_SUITE_END()
