#include <boost/test/unit_test.hpp>
#include <initializer_list>
#include <string>
#include <vector>

#include "config/cli.hpp"
#include "config/errors.hpp"

using jobsync::config::Command;
using jobsync::config::CommandLine;
using jobsync::config::UsageError;

namespace {

CommandLine parse(std::initializer_list<const char*> args) {
    std::vector<const char*> argv{"job-sync"};
    argv.insert(argv.end(), args.begin(), args.end());
    return jobsync::config::parse_command_line(static_cast<int>(argv.size()), argv.data());
}

// The UsageError message of parsing `args`; fails the test when none is thrown.
std::string usage_error(std::initializer_list<const char*> args) {
    try {
        parse(args);
    } catch (const UsageError& e) {
        return e.what();
    }
    BOOST_FAIL("expected a UsageError");
    return {};
}

bool contains(const std::string& text, const std::string& part) {
    return text.find(part) != std::string::npos;
}

}  // namespace

BOOST_AUTO_TEST_SUITE(cli)

BOOST_AUTO_TEST_CASE(no_arguments_means_no_command_and_the_overview_help) {
    const auto line = parse({});
    BOOST_TEST((line.command == Command::none));
    BOOST_TEST(!line.show_help);
    BOOST_TEST(!line.show_version);
    BOOST_TEST(contains(line.help_text, "Commands:"));
}

BOOST_AUTO_TEST_CASE(version_is_a_request_not_an_exit) {
    BOOST_TEST(parse({"--version"}).show_version);
    BOOST_TEST(parse({"sync", "--version"}).show_version);
}

BOOST_AUTO_TEST_CASE(sync_with_no_options_takes_the_defaults) {
    const auto line = parse({"sync"});
    BOOST_TEST((line.command == Command::sync));
    BOOST_TEST(!line.show_help);
    BOOST_TEST(line.env_file.empty());
    BOOST_TEST(line.queries.empty());
    BOOST_TEST(line.queries_file.empty());
    BOOST_TEST(line.pages == 1);
    BOOST_TEST(line.pages_per_request == 10);
    BOOST_TEST(line.country.empty());
    BOOST_TEST(line.date_posted.empty());
    BOOST_TEST(line.employment_types.empty());
    BOOST_TEST(!line.remote_only);
    BOOST_TEST(line.batch_size == 200);
    BOOST_TEST(line.log_level == "info");
    BOOST_TEST(line.log_format == "text");
}

// The one place that proves `job-sync sync --help` names every flag, variable and exit code
// that README documents.
BOOST_AUTO_TEST_CASE(sync_help_documents_every_option_variable_and_exit_code) {
    const auto line = parse({"sync", "--help"});
    BOOST_TEST((line.command == Command::sync));
    BOOST_TEST(line.show_help);
    for (const char* text : {"--env-file PATH",
                             "--query TEXT",
                             "--queries-file PATH",
                             "--pages N",
                             "--pages-per-request N",
                             "--country CODE",
                             "--date-posted WHEN",
                             "--employment-types LIST",
                             "--remote-only",
                             "--concurrency N",
                             "--max-rps R",
                             "--batch-size N",
                             "--upsert-concurrency N",
                             "--dry-run",
                             "--no-sweep",
                             "--max-deactivate-share SHARE",
                             "--lease-seconds N",
                             "--run-id ID",
                             "--shard I/N",
                             "--shards N",
                             "--deadline DURATION",
                             "--max-requests N",
                             "--max-response-bytes BYTES",
                             "--ca-file PATH",
                             "--log-level LEVEL",
                             "--log-format FORMAT",
                             "--report FILE",
                             "--metrics-file FILE",
                             "--version"}) {
        BOOST_TEST(contains(line.help_text, text), text);
    }
    for (const char* variable :
         {"SUPABASE_URL", "SUPABASE_SERVICE_ROLE_KEY", "JSEARCH_API_KEY", "JSEARCH_BASE_URL",
          "JSEARCH_HOST", "JOBS_TABLE", "JSEARCH_QUERIES", "JOBSYNC_HTTP_TIMEOUT_SECONDS",
          "JOBSYNC_DEADLINE", "JOBSYNC_MAX_REQUESTS", "JOBSYNC_MAX_RESPONSE_BYTES",
          "JOBSYNC_CONCURRENCY", "JOBSYNC_MAX_RPS", "JOBSYNC_UPSERT_CONCURRENCY", "SSL_CERT_FILE",
          "JOBSYNC_RUN_ID", "JOB_COMPLETION_INDEX", "JSEARCH_API_KEY_<I>"}) {
        BOOST_TEST(contains(line.help_text, std::string("\n  ") + variable + " "), variable);
    }
    for (const char* code : {"  0  everything succeeded", "  1  incomplete", "  2  usage",
                             "  3  a key was rejected", "  4  internal error", "  5  refused",
                             "  6  guarded", "  7  quota", "  8  deadline", "  130, 143"}) {
        BOOST_TEST(contains(line.help_text, code), code);
    }
}

BOOST_AUTO_TEST_CASE(help_before_the_command_shows_the_command_help) {
    const auto line = parse({"--help", "sync"});
    BOOST_TEST(line.show_help);
    BOOST_TEST((line.command == Command::sync));
    BOOST_TEST(contains(line.help_text, "--batch-size"));
}

BOOST_AUTO_TEST_CASE(every_sync_option_is_read) {
    const auto line = parse({"sync",
                             "--env-file",
                             "/etc/js.env",
                             "--query",
                             "rust developer",
                             "--queries-file=q.txt",
                             "--pages",
                             "3",
                             "--pages-per-request=5",
                             "--country",
                             "de",
                             "--date-posted",
                             "week",
                             "--employment-types",
                             "FULLTIME,INTERN",
                             "--remote-only",
                             "--batch-size",
                             "500",
                             "--log-level",
                             "debug",
                             "--log-format",
                             "json"});
    BOOST_TEST(line.env_file == "/etc/js.env");
    BOOST_TEST(line.queries == std::vector<std::string>{"rust developer"});
    BOOST_TEST(line.queries_file == "q.txt");
    BOOST_TEST(line.pages == 3);
    BOOST_TEST(line.pages_per_request == 5);
    BOOST_TEST(line.country == "de");
    BOOST_TEST(line.date_posted == "week");
    BOOST_TEST(line.employment_types == "FULLTIME,INTERN");
    BOOST_TEST(line.remote_only);
    BOOST_TEST(line.batch_size == 500);
    BOOST_TEST(line.log_level == "debug");
    BOOST_TEST(line.log_format == "json");
}

BOOST_AUTO_TEST_CASE(query_repeats_in_order_and_commas_stay_inside_a_query) {
    const auto line = parse({"sync", "--query", "nurse, night shift", "--query=c# developer",
                             "--query", "nurse, night shift"});
    BOOST_TEST(line.queries == (std::vector<std::string>{"nurse, night shift", "c# developer",
                                                         "nurse, night shift"}));
}

BOOST_AUTO_TEST_CASE(a_repeated_single_option_keeps_the_last_value) {
    BOOST_TEST(parse({"sync", "--pages", "2", "--pages", "4"}).pages == 4);
}

BOOST_AUTO_TEST_CASE(remote_only_can_be_switched_off_explicitly) {
    BOOST_TEST(!parse({"sync", "--remote-only=false"}).remote_only);
}

BOOST_AUTO_TEST_CASE(an_unknown_option_is_a_usage_error) {
    const auto message = usage_error({"sync", "--bogus"});
    BOOST_TEST(message ==
               "Option 'bogus' does not exist; run `job-sync sync --help` for the "
               "options");
}

BOOST_AUTO_TEST_CASE(a_missing_value_is_a_usage_error) {
    const auto message = usage_error({"sync", "--pages"});
    BOOST_TEST(message ==
               "Option 'pages' is missing an argument; run `job-sync sync --help` "
               "for the options");
}

BOOST_AUTO_TEST_CASE(a_non_numeric_count_is_a_usage_error_naming_the_option) {
    BOOST_TEST(usage_error({"sync", "--pages", "two"}) ==
               "--pages expects a whole number, got 'two'; run `job-sync sync --help` for the "
               "options");
    BOOST_TEST(contains(usage_error({"sync", "--batch-size=-5"}), "--batch-size expects a whole"));
    BOOST_TEST(contains(usage_error({"sync", "--pages-per-request", "1.5"}),
                        "--pages-per-request expects a whole number"));
    BOOST_TEST(contains(usage_error({"sync", "--pages", ""}), "--pages expects a whole number"));
}

BOOST_AUTO_TEST_CASE(a_huge_count_is_a_usage_error) {
    BOOST_TEST(contains(usage_error({"sync", "--batch-size", "99999999999999999999999"}),
                        "--batch-size is too large"));
}

BOOST_AUTO_TEST_CASE(an_unknown_command_is_a_usage_error) {
    BOOST_TEST(usage_error({"fetch"}) ==
               "unknown command 'fetch'; the commands are `sync`, `check`, `status`; run "
               "`job-sync --help`");
}

BOOST_AUTO_TEST_CASE(options_before_the_command_are_a_usage_error) {
    BOOST_TEST(contains(usage_error({"--pages", "2", "sync"}),
                        "--pages: unknown option before the command"));
}

BOOST_AUTO_TEST_CASE(a_stray_argument_after_sync_is_a_usage_error) {
    BOOST_TEST(contains(usage_error({"sync", "rust", "developer"}),
                        "unexpected argument 'rust' (a query goes in --query \"TEXT\")"));
}

BOOST_AUTO_TEST_CASE(secrets_passed_as_flags_are_refused_without_echoing_them) {
    for (const char* flag :
         {"--jsearch-api-key=abc123SECRET", "--supabase-key=abc123SECRET",
          "--SUPABASE_SERVICE_ROLE_KEY=abc123SECRET", "--api-key", "--secret", "--token"}) {
        const auto message = usage_error({"sync", flag, "abc123SECRET"});
        BOOST_TEST(contains(message, "secrets cannot be passed as flags"), message);
        BOOST_TEST(contains(message, "environment or in the .env file"), message);
        BOOST_TEST(!contains(message, "abc123SECRET"), message);
    }
    BOOST_TEST(contains(usage_error({"--supabase-key", "x", "sync"}), "--supabase-key: secrets"));
}

BOOST_AUTO_TEST_CASE(a_query_about_keys_is_not_mistaken_for_a_secret_flag) {
    const auto line = parse({"sync", "--query", "--key-account-manager"});
    BOOST_TEST(line.queries == std::vector<std::string>{"--key-account-manager"});
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_AUTO_TEST_SUITE(cli_run_options)

BOOST_AUTO_TEST_CASE(lease_guard_and_sweep_flags_are_parsed) {
    const auto line = parse({"sync", "--run-id", "r-1", "--lease-seconds", "60",
                             "--max-deactivate-share", "0.2", "--no-sweep"});
    BOOST_TEST(line.run_id == "r-1");
    BOOST_TEST(line.lease_seconds == 60);
    BOOST_TEST(line.max_deactivate_share == "0.2");
    BOOST_TEST(line.no_sweep);
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_AUTO_TEST_SUITE(cli_operator_commands)

BOOST_AUTO_TEST_CASE(check_takes_the_env_file_queries_and_jsearch) {
    const auto line = parse({"check", "--env-file", "prod.env", "--jsearch", "--query", "q1"});
    BOOST_TEST((line.command == jobsync::config::Command::check));
    BOOST_TEST(line.env_file == "prod.env");
    BOOST_TEST(line.check_jsearch);
    BOOST_TEST(line.queries == std::vector<std::string>{"q1"});
    BOOST_TEST(!parse({"check"}).check_jsearch);
}

BOOST_AUTO_TEST_CASE(status_takes_a_limit_and_a_format) {
    const auto line = parse({"status", "--limit", "3", "--format", "JSON"});
    BOOST_TEST((line.command == jobsync::config::Command::status));
    BOOST_TEST(line.status_limit == 3);
    BOOST_TEST(line.status_format == "json");
    BOOST_TEST(parse({"status"}).status_limit == 10);
    BOOST_TEST(usage_error({"status", "--limit", "0"}).find("--limit must be from 1 to 1000") ==
               0u);
    BOOST_TEST(usage_error({"status", "--format", "xml"}).find("--format must be text or json") ==
               0u);
    BOOST_TEST(usage_error({"status", "--jsearch"}).find("job-sync status --help") !=
               std::string::npos);
}

BOOST_AUTO_TEST_CASE(dry_run_is_a_sync_flag_without_run_files) {
    BOOST_TEST(parse({"sync", "--dry-run"}).dry_run);
    BOOST_TEST(!parse({"sync"}).dry_run);
    BOOST_TEST(usage_error({"sync", "--dry-run", "--metrics-file", "m.prom"})
                   .find("--dry-run writes no --report or --metrics-file") == 0u);
}

BOOST_AUTO_TEST_CASE(each_command_has_its_help_and_the_overview_lists_them) {
    BOOST_TEST(contains(parse({"check", "--help"}).help_text, "--jsearch"));
    BOOST_TEST(contains(parse({"check", "--help"}).help_text, "  1  at least one FAIL"));
    BOOST_TEST(contains(parse({"status", "--help"}).help_text, "--format FORMAT"));
    BOOST_TEST(contains(parse({"status", "--help"}).help_text, "  3  Supabase refused the key"));
    for (const auto& line : {parse({"--help"}), parse({"-h"})}) {
        BOOST_TEST(line.show_help);
        BOOST_TEST((line.command == Command::none));
        for (const char* command :
             {"  sync    Fetch every query's pages", "  check   Check that a sync would work",
              "  status  The last runs", "job-sync sync --help"}) {
            BOOST_TEST(contains(line.help_text, command), command);
        }
    }
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_AUTO_TEST_SUITE(cli_fetch_options)

BOOST_AUTO_TEST_CASE(concurrency_and_max_rps_are_parsed_as_text_for_config_to_check) {
    const auto line = parse({"sync", "--concurrency", "8", "--max-rps", "2.5"});
    BOOST_TEST(line.concurrency == "8");
    BOOST_TEST(line.max_rps == "2.5");
    const auto plain = parse({"sync"});
    BOOST_TEST(plain.concurrency.empty());
    BOOST_TEST(plain.max_rps.empty());
}

BOOST_AUTO_TEST_SUITE_END()

// The output-file options of `job-sync sync`.
BOOST_AUTO_TEST_SUITE(cli_output_files)

BOOST_AUTO_TEST_CASE(report_and_metrics_file_are_taken_as_paths) {
    const auto line =
        parse({"sync", "--report", "/tmp/r.json", "--metrics-file=/var/lib/node/job-sync.prom"});
    BOOST_TEST(line.report_file == "/tmp/r.json");
    BOOST_TEST(line.metrics_file == "/var/lib/node/job-sync.prom");
}

BOOST_AUTO_TEST_CASE(without_the_options_no_file_is_written) {
    const auto line = parse({"sync"});
    BOOST_TEST(line.report_file.empty());
    BOOST_TEST(line.metrics_file.empty());
}

BOOST_AUTO_TEST_CASE(a_path_that_looks_like_a_secret_flag_is_a_value_not_a_flag) {
    // reject_secret_flags must skip the value of --report, or "--token-report.json" would be
    // taken for a secret passed as a flag.
    const auto line = parse({"sync", "--report", "--token-report.json"});
    BOOST_TEST(line.report_file == "--token-report.json");
}

BOOST_AUTO_TEST_CASE(upsert_concurrency_is_taken_as_text_for_the_config_to_check) {
    BOOST_TEST(parse({"sync", "--upsert-concurrency", "4"}).upsert_concurrency == "4");
    BOOST_TEST(parse({"sync"}).upsert_concurrency.empty());
}

BOOST_AUTO_TEST_SUITE_END()
