#include <rapidjson/document.h>
#include <spdlog/spdlog.h>

#include <boost/test/unit_test.hpp>
#include <memory>
#include <string>

#include "capture_sink.hpp"
#include "logging/event.hpp"
#include "logging/logging.hpp"
#include "logging/redact.hpp"

using namespace jobsync::logging;
using jobsync::testing::CaptureSink;

namespace {

struct EventFixture {
    std::shared_ptr<spdlog::logger> previous = spdlog::default_logger();
    std::shared_ptr<CaptureSink> sink = std::make_shared<CaptureSink>();

    ~EventFixture() {
        spdlog::set_default_logger(previous);
        clear_run_fields();
        clear_secrets();
    }

    rapidjson::Document only_json_line() {
        const auto lines = sink->lines();
        BOOST_REQUIRE_EQUAL(lines.size(), 1u);
        BOOST_REQUIRE(lines.front().back() == '\n');
        rapidjson::Document doc;
        doc.Parse(lines.front().c_str());
        BOOST_REQUIRE(!doc.HasParseError() && doc.IsObject());
        return doc;
    }
};

}  // namespace

BOOST_FIXTURE_TEST_SUITE(log_events, EventFixture)

BOOST_AUTO_TEST_CASE(an_event_writes_its_name_and_typed_fields_as_json_members) {
    configure_logging(spdlog::level::info, LogFormat::json, sink);
    log_event(spdlog::level::info, "query_finished",
              {{"query", std::string("rust in berlin")},
               {"page", std::int64_t{20}},
               {"ratio", 0.5},
               {"failed", false}},
              "query 1/1 done");

    const auto doc = only_json_line();
    BOOST_TEST(std::string(doc["level"].GetString()) == "info");
    BOOST_TEST(std::string(doc["event"].GetString()) == "query_finished");
    BOOST_TEST(std::string(doc["msg"].GetString()) == "query 1/1 done");
    BOOST_TEST(std::string(doc["query"].GetString()) == "rust in berlin");
    BOOST_REQUIRE(doc["page"].IsInt64());
    BOOST_TEST(doc["page"].GetInt64() == 20);
    BOOST_TEST(doc["ratio"].GetDouble() == 0.5);
    BOOST_REQUIRE(doc["failed"].IsBool());
    BOOST_TEST(!doc["failed"].GetBool());
}

BOOST_AUTO_TEST_CASE(a_plain_message_is_the_event_log_and_carries_no_fields_of_an_earlier_event) {
    configure_logging(spdlog::level::info, LogFormat::json, sink);
    log_event(spdlog::level::debug, "dropped", {{"query", std::string("x")}}, "below the level");
    spdlog::info("plain");

    const auto doc = only_json_line();
    BOOST_TEST(std::string(doc["event"].GetString()) == "log");
    BOOST_TEST(!doc.HasMember("query"));
    BOOST_TEST(doc.MemberCount() == 4u);  // ts, level, event, msg
}

BOOST_AUTO_TEST_CASE(run_fields_are_on_every_json_line_and_a_key_set_again_is_replaced) {
    configure_logging(spdlog::level::info, LogFormat::json, sink);
    set_run_field("run_id", std::string("first"));
    set_run_field("run_id", std::string("run-42"));
    spdlog::info("plain");

    const auto doc = only_json_line();
    BOOST_TEST(std::string(doc["run_id"].GetString()) == "run-42");
    BOOST_TEST(run_fields().size() == 1u);
}

BOOST_AUTO_TEST_CASE(text_lines_show_the_message_only) {
    configure_logging(spdlog::level::info, LogFormat::text, sink);
    log_event(spdlog::level::warn, "query_finished", {{"query", std::string("x")}}, "it failed");
    const auto lines = sink->lines();
    BOOST_REQUIRE_EQUAL(lines.size(), 1u);
    BOOST_TEST(lines.front().substr(24) == " [warning] it failed\n");
}

BOOST_AUTO_TEST_CASE(a_secret_inside_a_field_value_is_redacted) {
    const std::string secret = "sb_secret_TESTONLY_field_value";
    register_secret(secret);
    configure_logging(spdlog::level::info, LogFormat::json, sink);
    log_event(spdlog::level::info, "query_finished", {{"query", "echo " + secret}}, "m");
    const auto lines = sink->lines();
    BOOST_REQUIRE_EQUAL(lines.size(), 1u);
    BOOST_TEST(lines.front().find(secret) == std::string::npos);
    BOOST_TEST(lines.front().find("\"query\":\"echo ***\"") != std::string::npos);
}

BOOST_AUTO_TEST_SUITE_END()
