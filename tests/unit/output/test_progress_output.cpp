#include <rapidjson/document.h>
#include <spdlog/sinks/ostream_sink.h>
#include <spdlog/spdlog.h>

#include <boost/test/unit_test.hpp>
#include <sstream>
#include <string>

#include "logging/logging.hpp"
#include "output/progress.hpp"
#include "unit/sync/capture_sink.hpp"

using namespace jobsync;
using Stage = sync::QueryProgress::Stage;

namespace {

const std::string kErase = "\r\x1b[K";

sync::QueryProgress at(Stage stage, int pages_done, std::size_t jobs, bool failed = false) {
    sync::QueryProgress p;
    p.stage = stage;
    p.query_number = 2;
    p.query_count = 3;
    p.query = "rust in berlin";
    p.pages_done = pages_done;
    p.pages_planned = 5;
    p.jobs_fetched = jobs;
    p.rows_upserted = jobs / 2;
    p.retries = 1;
    p.failed = failed;
    return p;
}

// A steady clock that moves 250 ms each time it is read.
struct SteppingSteady {
    std::chrono::steady_clock::time_point now{};
    std::chrono::steady_clock::time_point operator()() {
        now += std::chrono::milliseconds(250);
        return now;
    }
};

struct ProgressFixture {
    std::shared_ptr<spdlog::logger> previous = spdlog::default_logger();
    std::shared_ptr<testing::CaptureSink> log = std::make_shared<testing::CaptureSink>();
    std::ostringstream terminal;
    ~ProgressFixture() { spdlog::set_default_logger(previous); }
};

}  // namespace

BOOST_FIXTURE_TEST_SUITE(progress_output, ProgressFixture)

BOOST_AUTO_TEST_CASE(without_a_terminal_each_query_is_one_log_line_when_it_ends) {
    logging::configure_logging(spdlog::level::info, logging::LogFormat::text, log);
    output::ProgressReporter reporter(nullptr, SteppingSteady{});
    reporter(at(Stage::started, 0, 100));
    reporter(at(Stage::page, 1, 110));
    reporter(at(Stage::page, 5, 150));
    reporter(at(Stage::finished, 5, 150));

    const auto lines = log->lines();
    BOOST_REQUIRE_EQUAL(lines.size(), 1u);
    BOOST_TEST(lines.front().substr(24) ==
               " [info] query 2/3 · page 5/5 · 150 jobs · 1 retry · 'rust in berlin' done in "
               "250 ms\n");
}

BOOST_AUTO_TEST_CASE(a_failed_query_ends_in_a_warning) {
    logging::configure_logging(spdlog::level::info, logging::LogFormat::text, log);
    output::ProgressReporter reporter(nullptr, SteppingSteady{});
    reporter(at(Stage::started, 0, 0));
    reporter(at(Stage::finished, 0, 0, true));
    const auto lines = log->lines();
    BOOST_REQUIRE_EQUAL(lines.size(), 1u);
    BOOST_TEST(lines.front().find("[warning] query 2/3 · page 0/5 · 0 jobs · 1 retry · 'rust in "
                                  "berlin' failed in 250 ms") != std::string::npos);
}

BOOST_AUTO_TEST_CASE(json_logs_get_the_query_figures_as_fields) {
    logging::configure_logging(spdlog::level::info, logging::LogFormat::json, log);
    output::ProgressReporter reporter(nullptr, SteppingSteady{});
    reporter(at(Stage::started, 0, 100));
    reporter(at(Stage::finished, 4, 140));

    const auto lines = log->lines();
    BOOST_REQUIRE_EQUAL(lines.size(), 1u);
    rapidjson::Document doc;
    doc.Parse(lines.front().c_str());
    BOOST_REQUIRE(!doc.HasParseError());
    BOOST_TEST(std::string(doc["event"].GetString()) == "query_finished");
    BOOST_TEST(std::string(doc["query"].GetString()) == "rust in berlin");
    BOOST_TEST(doc["query_number"].GetInt64() == 2);
    BOOST_TEST(doc["queries"].GetInt64() == 3);
    BOOST_TEST(doc["page"].GetInt64() == 4);
    BOOST_TEST(doc["pages"].GetInt64() == 5);
    BOOST_TEST(doc["jobs_fetched"].GetInt64() == 140);
    BOOST_TEST(doc["rows_upserted"].GetInt64() == 70);
    BOOST_TEST(doc["retries"].GetInt64() == 1);
    BOOST_TEST(!doc["failed"].GetBool());
    BOOST_TEST(doc["duration_ms"].GetInt64() == 250);
}

BOOST_AUTO_TEST_CASE(on_a_terminal_the_line_is_redrawn_in_place_then_replaced_by_the_log_line) {
    auto live = std::make_shared<output::LiveLine>(terminal, 200);
    std::ostringstream err;
    auto sink = std::make_shared<output::LiveLineAwareSink>(
        std::make_shared<spdlog::sinks::ostream_sink_mt>(terminal), live);
    logging::configure_logging(spdlog::level::info, logging::LogFormat::text, sink);
    output::ProgressReporter reporter(live, SteppingSteady{});

    reporter(at(Stage::started, 0, 100));
    reporter(at(Stage::page, 1, 110));
    spdlog::warn("a job field was nulled");  // a log line while the live line shows
    reporter(at(Stage::page, 2, 120));
    reporter(at(Stage::finished, 2, 120));

    const std::string text = terminal.str();
    const std::string line0 = "query 2/3 · page 0/5 · 100 jobs · 1 retry · 'rust in berlin'";
    const std::string line1 = "query 2/3 · page 1/5 · 110 jobs · 1 retry · 'rust in berlin'";
    const std::string line2 = "query 2/3 · page 2/5 · 120 jobs · 1 retry · 'rust in berlin'";
    std::size_t at_ = 0;
    for (const std::string& expected :
         {kErase + line0, kErase + line1, kErase, std::string("[warning] a job field was nulled\n"),
          kErase + line1, kErase + line2, kErase, std::string("[info] query 2/3 · page 2/5")}) {
        const auto found = text.find(expected, at_);
        BOOST_TEST_INFO("expected '" << expected << "' after offset " << at_ << " in: " << text);
        BOOST_REQUIRE(found != std::string::npos);
        at_ = found + expected.size();
    }
    BOOST_TEST(text.back() == '\n');  // the finished query leaves a whole line, nothing live
    BOOST_TEST(text.find(kErase, at_) == std::string::npos);
}

BOOST_AUTO_TEST_CASE(a_live_line_wider_than_the_terminal_is_cut_to_fit) {
    output::LiveLine live(terminal, 20);
    live.show("query 1/1 · page 1/1 · 10 jobs · 0 retries");
    // One column stays free: a line filling the terminal exactly wraps on some terminals.
    BOOST_TEST(terminal.str() == kErase + "query 1/1 · page 1…");
}

BOOST_AUTO_TEST_SUITE_END()
