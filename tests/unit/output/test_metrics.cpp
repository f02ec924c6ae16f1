#include <boost/test/unit_test.hpp>
#include <map>
#include <regex>
#include <sstream>
#include <string>

#include "output/metrics.hpp"
#include "run_records.hpp"

using namespace jobsync;
using namespace jobsync::testing;

namespace {

struct Exposition {
    std::map<std::string, std::string> values;  // metric name -> value text
    std::map<std::string, std::string> types;
    std::map<std::string, std::string> helps;
};

// Parses the text format strictly enough to catch what a Prometheus parser would refuse.
Exposition parse(const std::string& text) {
    static const std::regex name(R"([a-zA-Z_:][a-zA-Z0-9_:]*)");
    static const std::regex sample(R"(([a-zA-Z_:][a-zA-Z0-9_:]*) (-?[0-9]+(\.[0-9]+)?))");
    BOOST_REQUIRE(!text.empty() && text.back() == '\n');
    Exposition e;
    std::istringstream lines(text);
    std::string line;
    while (std::getline(lines, line)) {
        std::smatch match;
        if (line.rfind("# HELP ", 0) == 0) {
            const auto rest = line.substr(7);
            e.helps[rest.substr(0, rest.find(' '))] = rest.substr(rest.find(' ') + 1);
        } else if (line.rfind("# TYPE ", 0) == 0) {
            const auto rest = line.substr(7);
            e.types[rest.substr(0, rest.find(' '))] = rest.substr(rest.find(' ') + 1);
        } else {
            BOOST_TEST_INFO("line: " << line);
            BOOST_REQUIRE(std::regex_match(line, match, sample));
            BOOST_TEST(e.values.count(match[1]) == 0u);  // no metric twice
            BOOST_TEST(e.types.count(match[1]) == 1u);   // TYPE comes before the sample
            e.values[match[1]] = match[2];
        }
    }
    return e;
}

}  // namespace

BOOST_AUTO_TEST_SUITE(metrics)

BOOST_AUTO_TEST_CASE(a_successful_run_sets_every_figure_and_the_last_success_to_its_end) {
    const auto summary = good_summary();
    const auto e = parse(output::render_metrics({summary, 0, run_start(), run_end()}, 1.0));

    BOOST_TEST(e.values.at("job_sync_last_run_start_timestamp_seconds") == "1714564800.250");
    BOOST_TEST(e.values.at("job_sync_last_run_timestamp_seconds") == "1714564812.750");
    BOOST_TEST(e.values.at("job_sync_last_success_timestamp_seconds") == "1714564812.750");
    BOOST_TEST(e.values.at("job_sync_last_run_success") == "1");
    BOOST_TEST(e.values.at("job_sync_last_run_exit_code") == "0");
    BOOST_TEST(e.values.at("job_sync_last_run_duration_seconds") == "12.500");
    BOOST_TEST(e.values.at("job_sync_last_run_queries") == "12");
    BOOST_TEST(e.values.at("job_sync_last_run_queries_failed") == "0");
    BOOST_TEST(e.values.at("job_sync_last_run_jsearch_requests") == "30");
    BOOST_TEST(e.values.at("job_sync_last_run_jsearch_billed_requests") == "60");
    BOOST_TEST(e.values.at("job_sync_last_run_pages") == "150");
    BOOST_TEST(e.values.at("job_sync_last_run_jobs_fetched") == "1940");
    BOOST_TEST(e.values.at("job_sync_last_run_jobs_skipped") == "3");
    BOOST_TEST(e.values.at("job_sync_last_run_fields_nulled") == "4");
    BOOST_TEST(e.values.at("job_sync_last_run_duplicates") == "40");
    BOOST_TEST(e.values.at("job_sync_last_run_rows_upserted") == "1897");
    BOOST_TEST(e.values.at("job_sync_last_run_batches") == "10");
    BOOST_TEST(e.values.at("job_sync_last_run_batches_failed") == "0");
    BOOST_TEST(e.values.at("job_sync_last_run_sweep_done") == "1");
    BOOST_TEST(e.values.at("job_sync_last_run_rows_deactivated") == "17");
    BOOST_TEST(e.values.at("job_sync_last_run_retries") == "2");
    BOOST_TEST(e.values.at("job_sync_jsearch_quota_remaining_requests") == "140");
    BOOST_TEST(e.values.size() == 22u);
}

BOOST_AUTO_TEST_CASE(every_metric_is_a_documented_gauge_named_by_the_conventions) {
    const auto summary = good_summary();
    const auto e = parse(output::render_metrics({summary, 0, run_start(), run_end()}, {}));
    for (const auto& [name, value] : e.values) {
        BOOST_TEST_CONTEXT(name) {
            BOOST_TEST(name.rfind("job_sync_", 0) == 0u);
            BOOST_TEST(e.types.at(name) == "gauge");
            BOOST_TEST(!e.helps.at(name).empty());
            // A gauge of one run is not a counter: no _total suffix.
            BOOST_TEST(name.find("_total") == std::string::npos);
        }
    }
}

BOOST_AUTO_TEST_CASE(a_failed_run_keeps_the_previous_last_success) {
    const auto summary = failed_summary();
    const auto e =
        parse(output::render_metrics({summary, 1, run_start(), run_end()}, 1714478400.125));
    BOOST_TEST(e.values.at("job_sync_last_success_timestamp_seconds") == "1714478400.125");
    BOOST_TEST(e.values.at("job_sync_last_run_timestamp_seconds") == "1714564812.750");
    BOOST_TEST(e.values.at("job_sync_last_run_success") == "0");
    BOOST_TEST(e.values.at("job_sync_last_run_exit_code") == "1");
    BOOST_TEST(e.values.at("job_sync_last_run_sweep_done") == "0");
    BOOST_TEST(e.values.count("job_sync_jsearch_quota_remaining_requests") == 0u);  // unknown
}

BOOST_AUTO_TEST_CASE(a_failed_run_without_an_earlier_success_has_no_last_success) {
    const auto summary = failed_summary();
    const auto e = parse(output::render_metrics({summary, 3, run_start(), run_end()}, {}));
    BOOST_TEST(e.values.count("job_sync_last_success_timestamp_seconds") == 0u);
    BOOST_TEST(e.values.at("job_sync_last_run_exit_code") == "3");
}

BOOST_AUTO_TEST_CASE(the_last_success_is_read_back_from_a_file_this_code_wrote) {
    const auto summary = good_summary();
    const std::string text = output::render_metrics({summary, 0, run_start(), run_end()}, {});
    BOOST_TEST(output::parse_last_success(text).value_or(0) == 1714564812.75);
}

BOOST_AUTO_TEST_CASE(the_last_success_is_read_from_any_sample_line_and_nothing_else) {
    using output::parse_last_success;
    BOOST_TEST(parse_last_success("job_sync_last_success_timestamp_seconds 12.5\n").value_or(0) ==
               12.5);
    BOOST_TEST(parse_last_success("job_sync_last_success_timestamp_seconds{table=\"jobs\"} 7")
                   .value_or(0) == 7.0);
    BOOST_TEST(!parse_last_success("# HELP job_sync_last_success_timestamp_seconds 12\n"));
    BOOST_TEST(!parse_last_success("job_sync_last_success_timestamp_seconds_x 12\n"));
    BOOST_TEST(!parse_last_success("job_sync_last_success_timestamp_seconds NaN\n"));
    BOOST_TEST(!parse_last_success("job_sync_last_success_timestamp_seconds garbage\n"));
    BOOST_TEST(!parse_last_success(""));
}

BOOST_AUTO_TEST_SUITE_END()
