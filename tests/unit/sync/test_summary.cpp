#include <rapidjson/document.h>

#include <boost/test/unit_test.hpp>
#include <string>

#include "sync/exit_codes.hpp"
#include "sync/summary.hpp"

using namespace jobsync::sync;

namespace {

RunSummary successful_run() {
    RunSummary s;
    s.queries = 3;
    s.requests = 4;
    s.billed_requests = 7;
    s.pages = 21;
    s.jobs_fetched = 187;
    s.jobs_skipped = 2;
    s.fields_nulled = 5;
    s.duplicates = 11;
    s.rows_upserted = 176;
    s.batches = 1;
    s.sweep_done = true;
    s.deactivated = 9;
    s.retries = 1;
    s.quota_remaining = 412;
    s.duration_ms = 12345;
    return s;
}

RunSummary with_failed_query() {
    RunSummary s = successful_run();
    s.queries_failed = 1;
    s.sweep_done = false;
    s.deactivated = 0;
    s.failures.push_back(
        {RunFailure::Step::query, Failure::transient, "query 'rust \"senior\"' failed: HTTP 503"});
    s.sweep_skipped_reason = s.failures.front().message;
    return s;
}

bool has(const std::string& text, const std::string& part) {
    return text.find(part) != std::string::npos;
}

}  // namespace

BOOST_AUTO_TEST_SUITE(summary)

BOOST_AUTO_TEST_CASE(exit_code_is_0_only_when_everything_including_the_sweep_succeeded) {
    BOOST_TEST(exit_code(successful_run()) == kExitSuccess);
    BOOST_TEST(kExitSuccess == 0);
}

BOOST_AUTO_TEST_CASE(exit_code_is_1_when_a_query_failed) {
    BOOST_TEST(exit_code(with_failed_query()) == kExitIncomplete);
    BOOST_TEST(kExitIncomplete == 1);
}

BOOST_AUTO_TEST_CASE(exit_code_is_1_when_the_sweep_was_skipped_for_lack_of_jobs) {
    RunSummary s;
    s.queries = 1;
    s.sweep_skipped_reason = "no jobs fetched: refusing to deactivate the whole board";
    BOOST_TEST(exit_code(s) == kExitIncomplete);
}

BOOST_AUTO_TEST_CASE(exit_code_is_1_when_a_batch_failed) {
    RunSummary s = successful_run();
    s.batches_failed = 1;
    s.sweep_done = false;
    s.failures.push_back({RunFailure::Step::batch, Failure::bad_response, "batch 1 failed"});
    BOOST_TEST(exit_code(s) == kExitIncomplete);
}

BOOST_AUTO_TEST_CASE(exit_code_is_3_when_any_key_was_rejected) {
    RunSummary s = with_failed_query();
    s.failures.push_back({RunFailure::Step::batch, Failure::auth, "batch 2 (5 rows) failed"});
    BOOST_TEST(exit_code(s) == kExitAuth);
    BOOST_TEST(kExitAuth == 3);
    BOOST_TEST(kExitUsage == 2);
    BOOST_TEST(kExitInternal == 4);
}

BOOST_AUTO_TEST_CASE(text_summary_shows_every_figure) {
    const std::string text = render_text(successful_run());
    BOOST_TEST(has(text, "sync complete (exit 0)"));
    BOOST_TEST(has(text, "queries        3\n"));
    BOOST_TEST(has(text, "requests       4 (billed 7)\n"));
    BOOST_TEST(has(text, "pages          21\n"));
    BOOST_TEST(has(text, "jobs fetched   187\n"));
    BOOST_TEST(has(text, "jobs skipped   2\n"));
    BOOST_TEST(has(text, "fields nulled  5\n"));
    BOOST_TEST(has(text, "duplicates     11\n"));
    BOOST_TEST(has(text, "rows upserted  176 in 1 batches (0 failed)\n"));
    BOOST_TEST(has(text, "deactivated    9\n"));
    BOOST_TEST(has(text, "retries        1\n"));
    BOOST_TEST(has(text, "quota left     412\n"));
    BOOST_TEST(has(text, "duration       12.345 s\n"));
    BOOST_TEST(!has(text, "failures"));
}

BOOST_AUTO_TEST_CASE(text_summary_says_why_the_sweep_was_skipped_and_lists_failures) {
    const std::string text = render_text(with_failed_query());
    BOOST_TEST(has(text, "sync incomplete: nothing was deactivated (exit 1)"));
    BOOST_TEST(has(text, "queries        3 (1 failed)\n"));
    BOOST_TEST(
        has(text, "deactivated    0 (sweep skipped: query 'rust \"senior\"' failed: HTTP 503)"));
    BOOST_TEST(has(text, "failures:\n  - query 'rust \"senior\"' failed: HTTP 503\n"));
}

BOOST_AUTO_TEST_CASE(text_summary_says_unknown_when_no_quota_header_was_seen) {
    RunSummary s = successful_run();
    s.quota_remaining.reset();
    BOOST_TEST(has(render_text(s), "quota left     unknown\n"));
}

BOOST_AUTO_TEST_CASE(json_summary_is_one_object_with_every_figure) {
    const std::string json = render_json(successful_run());
    BOOST_TEST(json.find('\n') == std::string::npos);
    rapidjson::Document doc;
    doc.Parse(json.c_str(), json.size());
    BOOST_REQUIRE(!doc.HasParseError());
    BOOST_REQUIRE(doc.IsObject());
    const auto number = [&doc](const char* key) {
        BOOST_REQUIRE_MESSAGE(doc.HasMember(key) && doc[key].IsInt64(), key);
        return doc[key].GetInt64();
    };
    BOOST_TEST(number("exit_code") == 0);
    BOOST_TEST(number("queries") == 3);
    BOOST_TEST(number("queries_failed") == 0);
    BOOST_TEST(number("requests") == 4);
    BOOST_TEST(number("billed_requests") == 7);
    BOOST_TEST(number("pages") == 21);
    BOOST_TEST(number("jobs_fetched") == 187);
    BOOST_TEST(number("jobs_skipped") == 2);
    BOOST_TEST(number("fields_nulled") == 5);
    BOOST_TEST(number("duplicates") == 11);
    BOOST_TEST(number("rows_upserted") == 176);
    BOOST_TEST(number("batches") == 1);
    BOOST_TEST(number("batches_failed") == 0);
    BOOST_TEST(number("deactivated") == 9);
    BOOST_TEST(number("retries") == 1);
    BOOST_TEST(number("quota_remaining") == 412);
    BOOST_TEST(number("duration_ms") == 12345);
    BOOST_REQUIRE(doc["sweep_done"].IsBool());
    BOOST_TEST(doc["sweep_done"].GetBool());
    BOOST_TEST(doc["sweep_skipped_reason"].IsNull());
    BOOST_REQUIRE(doc["failures"].IsArray());
    BOOST_TEST(doc["failures"].Size() == 0u);
}

BOOST_AUTO_TEST_CASE(json_summary_escapes_failure_messages_and_names_their_kind) {
    const std::string json = render_json(with_failed_query());
    rapidjson::Document doc;
    doc.Parse(json.c_str(), json.size());
    BOOST_REQUIRE(!doc.HasParseError() && doc.IsObject());
    BOOST_REQUIRE(doc["exit_code"].IsInt());
    BOOST_TEST(doc["exit_code"].GetInt() == 1);
    BOOST_REQUIRE(doc["sweep_skipped_reason"].IsString());
    BOOST_TEST(std::string(doc["sweep_skipped_reason"].GetString()) ==
               "query 'rust \"senior\"' failed: HTTP 503");
    BOOST_REQUIRE(doc["failures"].IsArray() && doc["failures"].Size() == 1u);
    const auto& failure = doc["failures"][0];
    BOOST_REQUIRE(failure["step"].IsString() && failure["kind"].IsString());
    BOOST_TEST(std::string(failure["step"].GetString()) == "query");
    BOOST_TEST(std::string(failure["kind"].GetString()) == "transient");
}

BOOST_AUTO_TEST_SUITE_END()
