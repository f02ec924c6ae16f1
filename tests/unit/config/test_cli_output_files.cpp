// The output-file options of `job-sync sync` and the command table.
#include <boost/test/unit_test.hpp>
#include <string>
#include <vector>

#include "config/cli.hpp"
#include "config/errors.hpp"

using jobsync::config::CommandLine;

namespace {

CommandLine parse_words(std::vector<const char*> args) {
    args.insert(args.begin(), "job-sync");
    return jobsync::config::parse_command_line(static_cast<int>(args.size()), args.data());
}

}  // namespace

BOOST_AUTO_TEST_SUITE(cli_output_files)

BOOST_AUTO_TEST_CASE(report_and_metrics_file_are_taken_as_paths) {
    const auto line = parse_words(
        {"sync", "--report", "/tmp/r.json", "--metrics-file=/var/lib/node/job-sync.prom"});
    BOOST_TEST(line.report_file == "/tmp/r.json");
    BOOST_TEST(line.metrics_file == "/var/lib/node/job-sync.prom");
}

BOOST_AUTO_TEST_CASE(without_the_options_no_file_is_written) {
    const auto line = parse_words({"sync"});
    BOOST_TEST(line.report_file.empty());
    BOOST_TEST(line.metrics_file.empty());
}

BOOST_AUTO_TEST_CASE(a_path_that_looks_like_a_secret_flag_is_a_value_not_a_flag) {
    // reject_secret_flags must skip the value of --report, or "--token-report.json" would be
    // taken for a secret passed as a flag.
    const auto line = parse_words({"sync", "--report", "--token-report.json"});
    BOOST_TEST(line.report_file == "--token-report.json");
}

BOOST_AUTO_TEST_SUITE_END()
