#include <rapidjson/document.h>
#include <spdlog/spdlog.h>

#include <boost/test/unit_test.hpp>
#include <memory>
#include <string>

#include "capture_sink.hpp"
#include "logging/logging.hpp"
#include "logging/redact.hpp"

using namespace jobsync::logging;
using jobsync::testing::CaptureSink;

namespace {

// Obviously fake values: no real key ever appears in test code or output.
const std::string kApiKey = "test-jsearch-key-0123456789abcdef";
const std::string kServiceKey = "sb_secret_TESTONLY_not_a_real_key";

// Installs a capturing default logger with secrets registered; restores everything after.
struct LoggingFixture {
    std::shared_ptr<spdlog::logger> previous = spdlog::default_logger();
    std::shared_ptr<CaptureSink> sink = std::make_shared<CaptureSink>();

    LoggingFixture() {
        register_secret(kApiKey);
        register_secret(kServiceKey);
    }
    ~LoggingFixture() {
        spdlog::set_default_logger(previous);
        clear_secrets();
    }

    std::string only_line() {
        const auto lines = sink->lines();
        BOOST_REQUIRE_EQUAL(lines.size(), 1u);
        return lines.front();
    }
};

}  // namespace

BOOST_FIXTURE_TEST_SUITE(logging, LoggingFixture)

BOOST_AUTO_TEST_CASE(a_registered_secret_is_replaced_in_text_log_lines) {
    configure_logging(spdlog::level::info, LogFormat::text, sink);
    spdlog::warn("upstream echoed X-RapidAPI-Key: {} twice: {}", kApiKey, kApiKey);

    const std::string line = only_line();
    BOOST_TEST(line.find(kApiKey) == std::string::npos);
    BOOST_TEST(line.find("[warning] upstream echoed X-RapidAPI-Key: *** twice: ***") !=
               std::string::npos);
}

BOOST_AUTO_TEST_CASE(a_registered_secret_is_replaced_in_json_log_lines) {
    configure_logging(spdlog::level::info, LogFormat::json, sink);
    spdlog::error("apikey=\"{}\"", kServiceKey);

    const std::string line = only_line();
    BOOST_TEST(line.find(kServiceKey) == std::string::npos);
    rapidjson::Document doc;
    doc.Parse(line.c_str(), line.size());
    BOOST_REQUIRE(!doc.HasParseError() && doc.IsObject());
    BOOST_REQUIRE(doc["msg"].IsString());
    BOOST_TEST(std::string(doc["msg"].GetString()) == "apikey=\"***\"");
}

BOOST_AUTO_TEST_CASE(a_secret_that_json_would_escape_is_still_redacted) {
    const std::string awkward = "key\"with\\quote";
    register_secret(awkward);
    configure_logging(spdlog::level::info, LogFormat::json, sink);
    spdlog::info("key is {}", awkward);

    const std::string line = only_line();
    BOOST_TEST(line.find("with") == std::string::npos);
    BOOST_TEST(line.find("\"msg\":\"key is ***\"") != std::string::npos);
}

BOOST_AUTO_TEST_CASE(redact_hides_the_longest_secret_whole) {
    register_secret("abcd");
    register_secret("abcd-efgh-ijkl");
    BOOST_TEST(redact("x abcd-efgh-ijkl y abcd z") == "x *** y *** z");
}

BOOST_AUTO_TEST_CASE(text_without_secrets_is_left_alone) {
    BOOST_TEST(redact("nothing to hide here") == "nothing to hide here");
    register_secret("");  // ignored: would otherwise match everywhere
    BOOST_TEST(redact("still nothing") == "still nothing");
}

BOOST_AUTO_TEST_CASE(json_lines_carry_ts_level_and_an_escaped_message) {
    configure_logging(spdlog::level::info, LogFormat::json, sink);
    spdlog::info("line one\nline \"two\"\ttab");

    const std::string line = only_line();
    BOOST_TEST(line.back() == '\n');
    BOOST_TEST(line.find('\n') == line.size() - 1);  // one object per line
    rapidjson::Document doc;
    doc.Parse(line.c_str(), line.size());
    BOOST_REQUIRE(!doc.HasParseError() && doc.IsObject());
    BOOST_REQUIRE(doc["ts"].IsString() && doc["level"].IsString() && doc["msg"].IsString());
    const std::string ts = doc["ts"].GetString();
    BOOST_TEST(ts.size() == 24u);  // 2024-05-01T12:00:00.123Z
    BOOST_TEST(ts[10] == 'T');
    BOOST_TEST(ts.back() == 'Z');
    BOOST_TEST(std::string(doc["level"].GetString()) == "info");
    BOOST_TEST(std::string(doc["msg"].GetString()) == "line one\nline \"two\"\ttab");
}

BOOST_AUTO_TEST_CASE(text_lines_carry_a_utc_timestamp_level_and_message) {
    configure_logging(spdlog::level::info, LogFormat::text, sink);
    spdlog::info("hello");
    const std::string line = only_line();
    BOOST_TEST(line.size() > 24u);
    BOOST_TEST(line[23] == 'Z');
    BOOST_TEST(line.substr(24) == " [info] hello\n");
}

BOOST_AUTO_TEST_CASE(messages_below_the_configured_level_are_dropped) {
    configure_logging(spdlog::level::warn, LogFormat::text, sink);
    spdlog::info("quiet");
    spdlog::warn("loud");
    BOOST_TEST(only_line().find("loud") != std::string::npos);
}

// --log-format is parsed with the rest of the configuration (unit-config).
BOOST_AUTO_TEST_CASE(log_level_names_are_parsed) {
    BOOST_TEST((parse_log_level("debug") == spdlog::level::debug));
    BOOST_TEST((parse_log_level("warn") == spdlog::level::warn));
    BOOST_TEST((parse_log_level("warning") == spdlog::level::warn));
    BOOST_TEST((parse_log_level("error") == spdlog::level::err));
    BOOST_TEST(!parse_log_level("loud").has_value());
    BOOST_CHECK_THROW(configure_logging("loud", LogFormat::text), std::invalid_argument);
}

BOOST_AUTO_TEST_CASE(redact_value_hides_every_occurrence_of_one_secret) {
    BOOST_TEST(redact_value("key=s3cr3t; again s3cr3t.", "s3cr3t") == "key=***; again ***.");
    BOOST_TEST(redact_value("nothing here", "s3cr3t") == "nothing here");
    BOOST_TEST(redact_value("empty secret", "") == "empty secret");
    BOOST_TEST(redact_value("aaaa", "aa") == "******");
}

BOOST_AUTO_TEST_SUITE_END()
