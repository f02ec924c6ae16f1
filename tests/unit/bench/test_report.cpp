// The benchmark's report logic (bench/report.hpp): how repeated runs of a scenario combine, and
// which targets the combined figures meet. No processes run here; `make bench` measures.
#include <boost/test/unit_test.hpp>
#include <stdexcept>
#include <string>
#include <vector>

#include "report.hpp"

using namespace jobsync::bench;

namespace {

ScenarioResult run_of(double cpu, double wall, long rss_kb, int exit_code = 0, long rows = 10000) {
    ScenarioResult run;
    run.scenario = {10000, 0, 1};
    run.requests = 100;
    run.service.exit_code = exit_code;
    run.service.cpu_seconds = cpu;
    run.service.user_seconds = cpu * 0.6;
    run.service.system_seconds = cpu * 0.4;
    run.service.wall_seconds = wall;
    run.service.peak_rss_kb = rss_kb;
    run.postgres_cpu_seconds = 2 * cpu;
    run.standins_cpu_seconds = 3 * cpu;
    run.rows = rows;
    return run;
}

FloorResult floor_of_10k(double client_cpu, double postgres_wall) {
    FloorResult floor{};
    floor.jobs = 10000;
    floor.requests = 100;
    floor.client.cpu_seconds = client_cpu;
    floor.postgres.wall_seconds = postgres_wall;
    return floor;
}

}  // namespace

BOOST_AUTO_TEST_SUITE(bench_report)

BOOST_AUTO_TEST_CASE(repeated_runs_keep_the_least_cpu_the_highest_rss_and_the_median_wall) {
    const ScenarioResult combined = combine_runs(
        {run_of(0.50, 3.0, 20000), run_of(0.40, 5.0, 18000), run_of(0.45, 4.0, 21000)});
    BOOST_TEST(combined.runs == 3);
    BOOST_TEST(combined.service.cpu_seconds == 0.40);
    // User and system time belong to the same run as the CPU total.
    BOOST_TEST(combined.service.user_seconds == 0.40 * 0.6);
    BOOST_TEST(combined.service.system_seconds == 0.40 * 0.4);
    BOOST_TEST(combined.service.peak_rss_kb == 21000);
    BOOST_TEST(combined.service.wall_seconds == 4.0);
    BOOST_TEST(combined.postgres_cpu_seconds == 0.80);
    BOOST_TEST(combined.standins_cpu_seconds == 3 * 0.40);
    BOOST_TEST(combined.service.exit_code == 0);
    BOOST_TEST(combined.rows == 10000);
}

BOOST_AUTO_TEST_CASE(an_even_number_of_runs_takes_the_mean_of_the_middle_walls) {
    const ScenarioResult combined = combine_runs(
        {run_of(0.5, 2.0, 1), run_of(0.5, 9.0, 1), run_of(0.5, 3.0, 1), run_of(0.5, 1.0, 1)});
    BOOST_TEST(combined.service.wall_seconds == 2.5);
}

BOOST_AUTO_TEST_CASE(one_run_is_reported_as_it_was) {
    const ScenarioResult combined = combine_runs({run_of(0.42, 3.3, 17000)});
    BOOST_TEST(combined.runs == 1);
    BOOST_TEST(combined.service.cpu_seconds == 0.42);
    BOOST_TEST(combined.service.wall_seconds == 3.3);
    BOOST_TEST(combined.service.peak_rss_kb == 17000);
}

BOOST_AUTO_TEST_CASE(a_failed_run_among_good_ones_marks_the_scenario_failed) {
    const ScenarioResult combined = combine_runs(
        {run_of(0.5, 3.0, 1), run_of(0.3, 3.0, 1, 1, 9000), run_of(0.4, 3.0, 1, 0, 10000)});
    BOOST_TEST(combined.service.exit_code == 1);
    BOOST_TEST(combined.rows == 9000);

    Report report;
    report.floors.push_back(floor_of_10k(0.2, 1.0));
    report.scenarios.push_back(combined);
    const std::string text = format_report(report);
    BOOST_TEST(text.find("exit 1, 9,000 rows") != std::string::npos, text);
}

BOOST_AUTO_TEST_CASE(no_runs_is_an_error) {
    BOOST_CHECK_THROW(combine_runs({}), std::invalid_argument);
}

BOOST_AUTO_TEST_CASE(the_report_says_how_runs_were_combined_and_judges_the_combined_figures) {
    Report report;
    report.floors.push_back(floor_of_10k(0.20, 1.5));
    // One noisy run at 2.5x floor (a), two at 1.9x and 2.1x: the least, 1.9x, is judged.
    report.scenarios.push_back(combine_runs(
        {run_of(0.50, 3.0, 20000), run_of(0.38, 4.0, 20000), run_of(0.42, 5.0, 20000)}));
    const std::string text = format_report(report);
    BOOST_TEST(text.find("each scenario run 3 times: the least CPU") != std::string::npos, text);
    BOOST_TEST(
        text.find(
            "| CPU \u2264 2\u00d7 floor (a) | 10k-0ms-c1 | 1.90\u00d7 | 2.00\u00d7 | met |") !=
            std::string::npos,
        text);
    // Wall: the median, 4.0 s, against floor (b)'s 1.5 s.
    BOOST_TEST(text.find("| 2.67\u00d7 | 3.00\u00d7 | met |") != std::string::npos, text);

    Report single;
    single.floors = report.floors;
    single.scenarios.push_back(run_of(0.50, 3.0, 20000));
    BOOST_TEST(format_report(single).find("each scenario run") == std::string::npos);
}

BOOST_AUTO_TEST_CASE(whole_body_runs_sit_beside_their_direct_runs_and_are_not_judged) {
    Report report;
    report.floors.push_back(floor_of_10k(0.20, 1.5));
    ScenarioResult direct = run_of(0.44, 31.0, 20000);
    direct.scenario = {10000, 300, 1};
    direct.service.voluntary_switches = 7500;
    ScenarioResult whole = run_of(0.30, 30.5, 20000);
    whole.scenario = direct.scenario;
    whole.service.voluntary_switches = 2100;
    report.scenarios.push_back(direct);

    // Without relayed runs there is no such table.
    BOOST_TEST(format_report(report).find("Receive pattern") == std::string::npos);

    report.whole_body_runs.push_back(whole);
    const std::string text = format_report(report);
    BOOST_TEST(text.find("| 10k-300ms-c1 | 44.0 | 30.0 | 0.68\u00d7 | 2.20\u00d7 / 1.50\u00d7 | "
                         "7,500 / 2,100 | 31.00 / 30.50 | ok |") != std::string::npos,
               text);
    // Only the direct run meets the targets: 2.2x, not met, and no second CPU row.
    const std::size_t targets = text.find("Targets (issue 8)");
    const std::string judged = text.substr(targets, text.find("Receive pattern") - targets);
    BOOST_TEST(
        judged.find("| 10k-300ms-c1 | 2.20\u00d7 | 2.00\u00d7 | not met |") != std::string::npos,
        judged);
    BOOST_TEST(judged.find("1.50\u00d7") == std::string::npos, judged);

    // A failed relayed run says so, and a direct run's failure is pointed to.
    report.whole_body_runs.front().service.exit_code = 2;
    BOOST_TEST(format_report(report).find("| whole bodies: exit 2, 10,000 rows |") !=
               std::string::npos);
    report.whole_body_runs.front().service.exit_code = 0;
    report.scenarios.front().rows = 9000;
    BOOST_TEST(format_report(report).find("| 4 KiB writes failed (above) |") != std::string::npos);
}

BOOST_AUTO_TEST_CASE(repeated_runs_keep_the_switches_of_the_least_cpu_run) {
    ScenarioResult busy = run_of(0.50, 3.0, 20000);
    busy.service.voluntary_switches = 9000;
    busy.service.involuntary_switches = 90;
    ScenarioResult calm = run_of(0.40, 3.0, 20000);
    calm.service.voluntary_switches = 5000;
    calm.service.involuntary_switches = 50;
    const ScenarioResult combined = combine_runs({busy, calm});
    BOOST_TEST(combined.service.voluntary_switches == 5000);
    BOOST_TEST(combined.service.involuntary_switches == 50);
}

BOOST_AUTO_TEST_SUITE_END()
