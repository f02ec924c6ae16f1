#include <rapidjson/document.h>

#include <boost/test/unit_test.hpp>
#include <string>

#include "output/report.hpp"
#include "run_records.hpp"

using namespace jobsync;
using namespace jobsync::testing;

BOOST_AUTO_TEST_SUITE(report)

BOOST_AUTO_TEST_CASE(the_report_is_one_json_line_with_the_run_times_and_every_summary_field) {
    const auto summary = good_summary();
    const std::string text = output::render_report({summary, 0, run_start(), run_end()}, "9.8.7");
    BOOST_REQUIRE(!text.empty() && text.back() == '\n');
    BOOST_TEST(text.find('\n') == text.size() - 1);

    rapidjson::Document doc;
    doc.Parse(text.c_str());
    BOOST_REQUIRE(!doc.HasParseError() && doc.IsObject());
    BOOST_TEST(std::string(doc["job_sync_version"].GetString()) == "9.8.7");
    BOOST_TEST(std::string(doc["started_at"].GetString()) == "2024-05-01T12:00:00.250Z");
    BOOST_TEST(std::string(doc["finished_at"].GetString()) == "2024-05-01T12:00:12.750Z");
    BOOST_TEST(doc["exit_code"].GetInt() == 0);
    BOOST_TEST(doc["rows_upserted"].GetInt64() == 1897);
    BOOST_TEST(doc["deactivated"].GetInt64() == 17);
    BOOST_TEST(doc["quota_remaining"].GetInt64() == 140);
    BOOST_TEST(doc["sweep_done"].GetBool());
    BOOST_TEST(doc["failures"].GetArray().Size() == 0u);

    // Every field of the summary's own JSON is in the report, with the same value.
    rapidjson::Document own;
    own.Parse(sync::render_json(summary).c_str());
    for (const auto& member : own.GetObject()) {
        BOOST_TEST_CONTEXT(member.name.GetString()) {
            BOOST_REQUIRE(doc.HasMember(member.name));
            BOOST_TEST((doc[member.name] == member.value));
        }
    }
    BOOST_TEST(doc.MemberCount() == own.MemberCount() + 3);
}

BOOST_AUTO_TEST_CASE(a_failed_run_reports_its_exit_code_and_each_failure) {
    const auto summary = failed_summary();
    const std::string text = output::render_report({summary, 1, run_start(), run_end()}, "1");
    rapidjson::Document doc;
    doc.Parse(text.c_str());
    BOOST_REQUIRE(!doc.HasParseError());
    BOOST_TEST(doc["exit_code"].GetInt() == 1);
    BOOST_TEST(!doc["sweep_done"].GetBool());
    BOOST_TEST(doc["quota_remaining"].IsNull());
    BOOST_TEST(std::string(doc["sweep_skipped_reason"].GetString()) ==
               "query 'x' failed: HTTP 503");
    BOOST_REQUIRE(doc["failures"].GetArray().Size() == 1u);
    BOOST_TEST(std::string(doc["failures"][0]["step"].GetString()) == "query");
    BOOST_TEST(std::string(doc["failures"][0]["kind"].GetString()) == "transient");
}

BOOST_AUTO_TEST_CASE(the_process_exit_code_wins_over_the_summary_view) {
    const auto summary = good_summary();
    const std::string text = output::render_report({summary, 143, run_start(), run_end()}, "1");
    rapidjson::Document doc;
    doc.Parse(text.c_str());
    BOOST_TEST(doc["exit_code"].GetInt() == 143);
}

BOOST_AUTO_TEST_SUITE_END()
