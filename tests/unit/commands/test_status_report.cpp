#include <boost/test/unit_test.hpp>

#include "commands/status_report.hpp"

using namespace jobsync::commands;

BOOST_AUTO_TEST_SUITE(status_report)

BOOST_AUTO_TEST_CASE(times_show_in_utc_and_durations_in_readable_units) {
    BOOST_TEST(format_utc("2025-01-04T05:00:00.9+02:00") == "2025-01-04 03:00:00Z");
    BOOST_TEST(format_utc("1969-12-31T23:59:59Z") == "1969-12-31 23:59:59Z");
    BOOST_TEST(format_utc("not a time") == "not a time");
    BOOST_TEST(format_duration("2025-01-04T03:00:00Z", "2025-01-04T03:00:12.34Z") == "12.3 s");
    BOOST_TEST(format_duration("2025-01-04T03:00:00Z", "2025-01-04T03:04:05Z") == "4 min 05 s");
    BOOST_TEST(format_duration("2025-01-04T03:00:00Z", "2025-01-04T04:02:00Z") == "1 h 02 min");
    BOOST_TEST(format_duration("2025-01-04T03:00:00Z", "").empty());
}

BOOST_AUTO_TEST_CASE(rows_are_read_without_trusting_their_types) {
    rapidjson::Document rows;
    rows.Parse(R"([{"run_id":"r1","status":"succeeded","dry_run":false,"requests":2,)"
               R"("billed_requests":null,"error":null},"junk",{"run_id":"r2","dry_run":true}])");
    const auto runs = parse_runs(rows);
    BOOST_TEST_REQUIRE(runs.size() == 2u);
    BOOST_TEST(runs[0].requests.value_or(-1) == 2);
    BOOST_TEST(!runs[0].billed_requests.has_value());
    BOOST_TEST(runs[0].error.empty());
    BOOST_TEST(runs[1].dry_run);
}

BOOST_AUTO_TEST_CASE(the_text_marks_the_last_good_sync_and_says_who_holds_the_lease) {
    RunRow good;
    good.run_id = "r1";
    good.status = "succeeded";
    good.started_at = "2025-01-04T03:00:00Z";
    good.finished_at = "2025-01-04T03:00:02.5Z";
    good.rows_upserted = 20;
    good.deactivated = 3;
    RunRow running;
    running.run_id = "r2";
    running.status = "running";
    running.holder = "host:7";
    running.started_at = "2025-01-05T03:00:00Z";
    running.lease_expires_at = "2025-01-05T03:15:00Z";
    StatusReport report;
    report.runs = {running, good};
    report.lease_holder = running;
    report.last_good = good;
    const std::string text = render_status_text(report);
    BOOST_TEST(text.find("lease: held by run r2 (holder host:7) since 2025-01-05 03:00:00Z, until "
                         "2025-01-05 03:15:00Z\n") == 0u);
    BOOST_TEST(text.find("last good sync: 2025-01-04 03:00:02Z (run r1, 20 upserted, 3 "
                         "deactivated)\n") != std::string::npos);
    BOOST_TEST(text.find("\n  2025-01-05 03:00:00Z  ...    running") != std::string::npos);
    BOOST_TEST(text.find("\n* 2025-01-04 03:00:00Z  2.5 s  succeeded") != std::string::npos);

    const std::string json = render_status_json(report);
    rapidjson::Document parsed;
    parsed.Parse(json.c_str());
    BOOST_TEST_REQUIRE(parsed.IsObject());
    BOOST_TEST(parsed["lease"]["held"].GetBool());
    BOOST_TEST(std::string(parsed["lease"]["run_id"].GetString()) == "r2");
    BOOST_TEST(parsed["runs"][1]["duration_ms"].GetInt() == 2500);
    BOOST_TEST(parsed["runs"][0]["duration_ms"].IsNull());
    BOOST_TEST(std::string(parsed["last_good_sync"]["run_id"].GetString()) == "r1");
}

BOOST_AUTO_TEST_CASE(an_empty_history_says_so) {
    const std::string text = render_status_text(StatusReport{});
    BOOST_TEST(text ==
               "lease: free (no run holds it now)\nlast good sync: none recorded\n"
               "no runs recorded in job_sync_runs yet\n");
}

BOOST_AUTO_TEST_SUITE_END()
