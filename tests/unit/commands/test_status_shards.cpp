// `job-sync status` on a sharded run (issue 11): the shard count beside its status, one line per
// shard under the table, and the shards in the JSON.
#include <rapidjson/document.h>

#include <boost/test/unit_test.hpp>

#include "commands/status_report.hpp"

using namespace jobsync::commands;

BOOST_AUTO_TEST_SUITE(status_shards)

BOOST_AUTO_TEST_CASE(a_sharded_run_lists_its_shards_and_who_failed) {
    rapidjson::Document rows;
    rows.Parse(
        R"([{"run_id":"night","status":"running","shard_count":2,"started_at":"2025-01-04T03:00:00Z"},
                   {"run_id":"solo","status":"succeeded","shard_count":1}])");
    StatusReport report;
    report.runs = parse_runs(rows);
    BOOST_TEST_REQUIRE(report.runs.size() == 2u);
    BOOST_TEST(report.runs[0].shard_count.value_or(0) == 2);
    rapidjson::Document shards;
    shards.Parse(R"([{"run_id":"night","shard":0,"status":"succeeded","attempts":1,"queries":3},
                     {"run_id":"night","shard":1,"status":"failed","attempts":2,"queries":2,
                      "error":"query 'a' failed:\nHTTP 500"}])");
    report.shards = parse_shards(shards);
    BOOST_TEST_REQUIRE(report.shards.size() == 2u);

    const std::string text = render_status_text(report);
    BOOST_TEST(text.find("running (2 shards)") != std::string::npos);
    BOOST_TEST(text.find("succeeded (") == std::string::npos);  // one shard: no count shown
    BOOST_TEST(text.find("\nshards of run night:\n  shard 0  succeeded   queries 3") !=
               std::string::npos);
    BOOST_TEST(text.find("  shard 1  failed      queries 2  billed -  upserted -  attempts 2  "
                         "query 'a' failed: HTTP 500\n") != std::string::npos);

    rapidjson::Document json;
    json.Parse(render_status_json(report).c_str());
    BOOST_TEST_REQUIRE(json.IsObject());
    BOOST_TEST(json["runs"][0]["shard_count"].GetInt() == 2);
    BOOST_TEST(json["run_shards"]["night"].Size() == 2u);
    BOOST_TEST(json["run_shards"]["night"][1]["attempts"].GetInt() == 2);
    BOOST_TEST(!json["run_shards"].HasMember("solo"));
}

BOOST_AUTO_TEST_SUITE_END()
