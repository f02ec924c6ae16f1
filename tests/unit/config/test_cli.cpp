#include <boost/test/unit_test.hpp>
#include <initializer_list>
#include <map>
#include <string>
#include <vector>

#include "config/cli.hpp"
#include "config/errors.hpp"
#include "config/settings.hpp"

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

// The defaults are config::Settings' (test_config.cpp): the command line holds only what was
// typed.
BOOST_AUTO_TEST_CASE(sync_with_no_options_holds_no_option) {
    const auto line = parse({"sync"});
    BOOST_TEST((line.command == Command::sync));
    BOOST_TEST(!line.show_help);
    BOOST_TEST(line.queries.empty());
    BOOST_TEST(line.options.empty());
    BOOST_TEST(!line.option("pages").has_value());
    BOOST_TEST(!line.flag("dry-run"));
}

// The help's defaults are read from config::Settings, which build_settings starts from.
BOOST_AUTO_TEST_CASE(the_help_shows_the_defaults_the_settings_start_from) {
    // cxxopts wraps the help: compare with every run of blanks as one space.
    const auto flat = [](const std::string& text) {
        std::string out;
        for (const char c : text) {
            const bool blank = c == ' ' || c == '\n';
            if (!blank || (!out.empty() && out.back() != ' ')) out += blank ? ' ' : c;
        }
        return out;
    };
    const auto help = flat(parse({"sync", "--help"}).help_text);
    for (const char* shown :
         {"1-50 (default 1)", "11-50 as 3 (default 10)", "(env JOBSYNC_CONCURRENCY; default 4)",
          "(env JOBSYNC_MAX_RPS; default 5)", "1 MiB (default 200)",
          "(env JOBSYNC_UPSERT_CONCURRENCY; default 2)", "guard off (default 0.5)",
          "10-86400 (default 900)", "(env JOBSYNC_DEADLINE; default 30m)",
          "(env JOBSYNC_MAX_RESPONSE_BYTES; default 64MiB)",
          "trace|debug|info|warn|error (default info)"}) {
        BOOST_TEST(contains(help, shown), shown);
    }
    BOOST_TEST(contains(flat(parse({"status", "--help"}).help_text), "1-1000 (default 10)"));
    // The epilog's prose names the variables' defaults: they must be the ones Settings has.
    const jobsync::config::Settings defaults;
    for (const std::string& shown :
         {"(default " + defaults.jsearch_base_url + ")", "(default " + defaults.jsearch_host + ")",
          "(default " + defaults.jobs_table + ")",
          "(default " + std::to_string(defaults.http_timeout_seconds) + ")"}) {
        BOOST_TEST(contains(help, shown), shown);
    }
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
                             "json",
                             "--concurrency",
                             "8",
                             "--max-rps",
                             "2.5",
                             "--upsert-concurrency",
                             "4",
                             "--run-id",
                             "r-1",
                             "--lease-seconds",
                             "60",
                             "--max-deactivate-share",
                             "0.2",
                             "--no-sweep",
                             "--report",
                             "/tmp/r.json",
                             "--metrics-file=/var/lib/node/job-sync.prom"});
    BOOST_TEST(line.queries == std::vector<std::string>{"rust developer"});
    const std::map<std::string, std::string, std::less<>> expected{
        {"env-file", "/etc/js.env"},
        {"queries-file", "q.txt"},
        {"pages", "3"},
        {"pages-per-request", "5"},
        {"country", "de"},
        {"date-posted", "week"},
        {"employment-types", "FULLTIME,INTERN"},
        {"remote-only", "true"},
        {"batch-size", "500"},
        {"log-level", "debug"},
        {"log-format", "json"},
        {"concurrency", "8"},
        {"max-rps", "2.5"},
        {"upsert-concurrency", "4"},
        {"run-id", "r-1"},
        {"lease-seconds", "60"},
        {"max-deactivate-share", "0.2"},
        {"no-sweep", "true"},
        {"report", "/tmp/r.json"},
        {"metrics-file", "/var/lib/node/job-sync.prom"}};
    BOOST_TEST((line.options == expected));
}

BOOST_AUTO_TEST_CASE(query_repeats_in_order_and_commas_stay_inside_a_query) {
    const auto line = parse({"sync", "--query", "nurse, night shift", "--query=c# developer",
                             "--query", "nurse, night shift"});
    BOOST_TEST(line.queries == (std::vector<std::string>{"nurse, night shift", "c# developer",
                                                         "nurse, night shift"}));
}

BOOST_AUTO_TEST_CASE(a_repeated_single_option_keeps_the_last_value) {
    BOOST_TEST((parse({"sync", "--pages", "2", "--pages", "4"}).option("pages") == "4"));
}

BOOST_AUTO_TEST_CASE(remote_only_can_be_switched_off_explicitly) {
    BOOST_TEST(!parse({"sync", "--remote-only=false"}).flag("remote-only"));
    BOOST_TEST(parse({"sync", "--remote-only"}).flag("remote-only"));
}

BOOST_AUTO_TEST_CASE(an_unknown_option_is_a_usage_error) {
    const auto message = usage_error({"sync", "--bogus"});
    BOOST_TEST(message ==
               "Option ‘bogus’ does not exist; run `job-sync sync --help` for the "
               "options");
}

BOOST_AUTO_TEST_CASE(a_missing_value_is_a_usage_error) {
    const auto message = usage_error({"sync", "--pages"});
    BOOST_TEST(message ==
               "Option ‘pages’ is missing an argument; run `job-sync sync --help` "
               "for the options");
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

BOOST_AUTO_TEST_SUITE(cli_operator_commands)

BOOST_AUTO_TEST_CASE(check_and_status_take_their_own_options) {
    const auto check = parse({"check", "--env-file", "prod.env", "--jsearch", "--query", "q1"});
    BOOST_TEST((check.command == Command::check));
    BOOST_TEST((check.option("env-file") == "prod.env"));
    BOOST_TEST(check.flag("jsearch"));
    BOOST_TEST(check.queries == std::vector<std::string>{"q1"});
    const auto status = parse({"status", "--limit", "3", "--format", "JSON"});
    BOOST_TEST((status.command == Command::status));
    BOOST_TEST((status.option("limit") == "3"));
    BOOST_TEST((status.option("format") == "JSON"));
    for (const char* command : {"check", "status"}) {
        BOOST_TEST((parse({command, "--ca-file", "ca.pem"}).option("ca-file") == "ca.pem"),
                   command);
        BOOST_TEST(contains(parse({command, "--help"}).help_text, "--ca-file PATH"), command);
    }
    BOOST_TEST(usage_error({"status", "--jsearch"}).find("job-sync status --help") !=
               std::string::npos);
    BOOST_TEST(contains(usage_error({"check", "--pages", "2"}), "‘pages’ does not exist"));
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

BOOST_AUTO_TEST_SUITE(cli_output_files)

BOOST_AUTO_TEST_CASE(a_path_that_looks_like_a_secret_flag_is_a_value_not_a_flag) {
    // The value of --report is not looked at, or "--token-report.json" would be taken for a
    // secret passed as a flag.
    const auto line = parse({"sync", "--report", "--token-report.json"});
    BOOST_TEST((line.option("report") == "--token-report.json"));
}

BOOST_AUTO_TEST_SUITE_END()
