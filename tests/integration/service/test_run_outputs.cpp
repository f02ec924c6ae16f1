// What a run leaves for people and machines besides the table: the progress lines, JSON log
// events, the --report file and the --metrics-file, end to end against the real parts.
#include <rapidjson/document.h>
#include <unistd.h>

#include <boost/test/unit_test.hpp>
#include <filesystem>
#include <fstream>
#include <map>
#include <random>
#include <sstream>

#include "integration/service/service_stack.hpp"

using namespace jobsync::testing;
namespace fs = std::filesystem;

namespace {

struct TempFolder {
    fs::path path = fs::temp_directory_path() / ("job-sync-outputs-" + std::to_string(::getpid()) +
                                                 "-" + std::to_string(std::random_device{}()));
    TempFolder() { fs::create_directories(path); }
    ~TempFolder() { fs::remove_all(path); }
    std::string file(const std::string& name) const { return (path / name).string(); }
    std::vector<std::string> names() const {
        std::vector<std::string> all;
        for (const auto& entry : fs::directory_iterator(path)) {
            all.push_back(entry.path().filename());
        }
        std::sort(all.begin(), all.end());
        return all;
    }
};

std::string read(const std::string& path) {
    std::ifstream file(path);
    std::ostringstream text;
    text << file.rdbuf();
    return text.str();
}

rapidjson::Document parse_json(const std::string& text) {
    rapidjson::Document doc;
    doc.Parse(text.c_str());
    BOOST_TEST_INFO("JSON: " << text);
    BOOST_REQUIRE(!doc.HasParseError() && doc.IsObject());
    return doc;
}

// name -> value of every sample line of a Prometheus text file.
std::map<std::string, std::string> samples(const std::string& text) {
    std::map<std::string, std::string> values;
    std::istringstream lines(text);
    std::string line;
    while (std::getline(lines, line)) {
        if (line.empty() || line[0] == '#') continue;
        values[line.substr(0, line.find(' '))] = line.substr(line.find(' ') + 1);
    }
    return values;
}

std::vector<std::string> lines_of(const std::string& text) {
    std::vector<std::string> lines;
    std::istringstream in(text);
    std::string line;
    while (std::getline(in, line)) lines.push_back(line);
    return lines;
}

}  // namespace

BOOST_AUTO_TEST_SUITE(run_outputs)

BOOST_AUTO_TEST_CASE(the_report_and_metrics_files_hold_the_figures_of_the_run_that_wrote_them) {
    ServiceStack stack;
    TempFolder folder;
    auto result = stack.sync(
        {"--report", folder.file("report.json"), "--metrics-file", folder.file("job-sync.prom")});
    BOOST_TEST_INFO(result.out << result.err << result.log);
    BOOST_TEST_REQUIRE(result.exit_code == 0);
    // Only the two files: no temporary file left behind.
    BOOST_TEST(folder.names() == (std::vector<std::string>{"job-sync.prom", "report.json"}),
               boost::test_tools::per_element());

    const auto report = parse_json(read(folder.file("report.json")));
    BOOST_TEST(report["exit_code"].GetInt() == 0);
    BOOST_TEST(report["queries"].GetInt64() == 2);
    BOOST_TEST(report["jobs_fetched"].GetInt64() == 20);
    BOOST_TEST(report["rows_upserted"].GetInt64() == 20);
    BOOST_TEST(report["sweep_done"].GetBool());
    BOOST_TEST(std::string(report["job_sync_version"].GetString()) == JOBSYNC_VERSION);
    // Row by row: every row carries the run's stamp the report names (the database's clock
    // when the run took its lease), and is active.
    const std::string started_at = report["started_at"].GetString();
    const std::string stamp = report["run_started_at"].GetString();
    BOOST_TEST(stack.count() == 20);
    BOOST_TEST(stack.count("is_active and last_seen = '" + stamp + "'::timestamptz") == 20);
    BOOST_TEST(std::string(report["finished_at"].GetString()) >= started_at);

    auto metrics = samples(read(folder.file("job-sync.prom")));
    BOOST_TEST(metrics["job_sync_last_run_exit_code"] == "0");
    BOOST_TEST(metrics["job_sync_last_run_success"] == "1");
    BOOST_TEST(metrics["job_sync_last_run_rows_upserted"] == "20");
    BOOST_TEST(metrics["job_sync_last_run_jobs_fetched"] == "20");
    BOOST_TEST(metrics["job_sync_last_run_rows_deactivated"] == "0");
    BOOST_TEST(metrics["job_sync_last_success_timestamp_seconds"] ==
               metrics["job_sync_last_run_timestamp_seconds"]);
    BOOST_TEST(metrics["job_sync_jsearch_quota_remaining_requests"] == "998");
}

BOOST_AUTO_TEST_CASE(a_failed_run_rewrites_the_metrics_but_keeps_the_last_success_time) {
    ServiceStack stack;
    TempFolder folder;
    const std::string prom = folder.file("job-sync.prom");
    BOOST_TEST_REQUIRE(stack.sync({"--metrics-file", prom}).exit_code == 0);
    const auto first = samples(read(prom));

    for (int i = 0; i < 3; ++i) stack.jsearch().script({503, {}, "", ServiceStack::kChicago});
    auto result = stack.sync({"--metrics-file", prom, "--report", folder.file("report.json")});
    BOOST_TEST_REQUIRE(result.exit_code == 1);
    const auto second = samples(read(prom));
    BOOST_TEST(second.at("job_sync_last_run_exit_code") == "1");
    BOOST_TEST(second.at("job_sync_last_run_success") == "0");
    BOOST_TEST(second.at("job_sync_last_run_queries_failed") == "1");
    BOOST_TEST(second.at("job_sync_last_run_sweep_done") == "0");
    BOOST_TEST(second.at("job_sync_last_run_timestamp_seconds") !=
               first.at("job_sync_last_run_timestamp_seconds"));  // the clock moved an hour
    BOOST_TEST(second.at("job_sync_last_success_timestamp_seconds") ==
               first.at("job_sync_last_success_timestamp_seconds"));
    BOOST_TEST(stack.count("is_active") == 20);  // a bad day deactivates nothing

    const auto report = parse_json(read(folder.file("report.json")));
    BOOST_TEST(report["exit_code"].GetInt() == 1);
    BOOST_REQUIRE(report["failures"].Size() == 1u);
    BOOST_TEST(std::string(report["failures"][0]["kind"].GetString()) == "transient");
}

BOOST_AUTO_TEST_CASE(an_unwritable_output_path_is_refused_before_any_request) {
    ServiceStack stack;
    TempFolder folder;
    auto result = stack.sync({"--metrics-file", folder.file("absent/job-sync.prom")});
    BOOST_TEST(result.exit_code == 2);
    BOOST_TEST(result.err.find("--metrics-file " + folder.file("absent/job-sync.prom") +
                               " cannot be written: folder " + folder.file("absent") +
                               " does not exist") != std::string::npos);
    BOOST_TEST(stack.jsearch().requests().empty());
    BOOST_TEST(stack.gateway().requests().empty());
    BOOST_TEST(stack.count() == 0);
}

BOOST_AUTO_TEST_CASE(json_logs_are_one_object_a_line_with_query_and_run_events) {
    ServiceStack stack;
    auto result = stack.sync({"--log-level", "info", "--log-format", "json"});
    BOOST_TEST_REQUIRE(result.exit_code == 0);

    std::vector<std::string> queries_finished;
    int runs_finished = 0;
    for (const auto& line : lines_of(result.log)) {
        const auto doc = parse_json(line);
        for (const char* key : {"ts", "level", "event", "msg"}) {
            BOOST_TEST_CONTEXT(key << " in " << line) { BOOST_TEST(doc[key].IsString()); }
        }
        const std::string event = doc["event"].GetString();
        if (event == "query_finished") {
            queries_finished.push_back(doc["query"].GetString());
            BOOST_TEST(doc["queries"].GetInt64() == 2);
            BOOST_TEST(doc["page"].GetInt64() == 1);
            BOOST_TEST(doc["duration_ms"].IsInt64());
        } else if (event == "run_finished") {
            ++runs_finished;
            BOOST_TEST(doc["exit_code"].GetInt64() == 0);
            BOOST_TEST(doc["rows_upserted"].GetInt64() == 20);
            BOOST_TEST(doc["jobs_fetched"].GetInt64() == 20);
            BOOST_TEST(doc["duration_ms"].IsInt64());
        }
    }
    BOOST_TEST(queries_finished ==
                   (std::vector<std::string>{ServiceStack::kChicago, ServiceStack::kPython}),
               boost::test_tools::per_element());
    BOOST_TEST(runs_finished == 1);
    // stdout holds the summary alone: one JSON object.
    BOOST_TEST(lines_of(result.out).size() == 1u);
    BOOST_TEST(parse_json(result.out)["rows_upserted"].GetInt64() == 20);
    BOOST_TEST(stack.count("is_active") == 20);
}

BOOST_AUTO_TEST_CASE(on_a_terminal_progress_is_drawn_in_place_on_stderr_never_on_stdout) {
    ServiceStack stack;
    stack.err_is_terminal = true;
    auto result = stack.sync({"--log-level", "info"});
    BOOST_TEST_REQUIRE(result.exit_code == 0);
    const std::string erase = "\r\x1b[K";
    BOOST_TEST(result.err.find(erase + "query 1/2 · page 0/1 · 0 jobs · 0 retries · '" +
                               ServiceStack::kChicago + "'") != std::string::npos);
    BOOST_TEST(result.err.find(erase + "query 2/2 · page 1/1 · 20 jobs · 0 retries · '" +
                               ServiceStack::kPython + "'") != std::string::npos);
    // Each query's line ends as a log line.
    BOOST_TEST(result.log.find("[info] query 1/2 · page 1/1 · 10 jobs · 0 retries · '" +
                               std::string(ServiceStack::kChicago) + "' done in") !=
               std::string::npos);
    BOOST_TEST(result.out.find("query 1/2") == std::string::npos);
    BOOST_TEST(result.out.find(erase) == std::string::npos);
    BOOST_TEST(result.out.rfind("job-sync: sync complete (exit 0)", 0) == 0u);
    BOOST_TEST(stack.count("is_active") == 20);
}

BOOST_AUTO_TEST_CASE(without_a_terminal_progress_is_one_log_line_per_query) {
    ServiceStack stack;
    auto result = stack.sync({"--log-level", "info"});
    BOOST_TEST_REQUIRE(result.exit_code == 0);
    BOOST_TEST(result.err.empty());
    int query_lines = 0;
    for (const auto& line : lines_of(result.log)) {
        if (line.find("] query ") != std::string::npos) ++query_lines;
    }
    BOOST_TEST(query_lines == 2);
    BOOST_TEST(stack.count("is_active") == 20);
}

BOOST_AUTO_TEST_SUITE_END()
