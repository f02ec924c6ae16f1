#include "config/cli.hpp"

#include <algorithm>
#include <cxxopts.hpp>
#include <iterator>
#include <set>
#include <string_view>
#include <vector>

#include "config/bounds.hpp"
#include "config/errors.hpp"
#include "config/help_text.hpp"
#include "config/secret_flags.hpp"
#include "text/strings.hpp"

namespace jobsync::config {

namespace {

using cxxopts::value;

// The defaults live in CommandLine; the help shows them.
const CommandLine kDefaults;

// Numbers are taken as text and converted by parse_count, for messages that name the option.
// clang-format off
void add_sync_options(cxxopts::Options& options) {
    options.add_options()
        ("version", "Show the version");
    options.add_options("Query")
        ("query", "A JSearch query, e.g. \"rust developer in berlin\"; repeat for more",
         value<std::string>(), "TEXT")
        ("queries-file", "File with one query a line; blank lines and lines starting with # "
         "are skipped", value<std::string>(), "PATH")
        ("pages", "Pages to fetch for each query, 1-50", value<std::string>()->default_value(std::to_string(kDefaults.pages)), "N")
        ("pages-per-request", "Pages asked for in one request (JSearch num_pages), 1-50; "
         "JSearch bills 2-10 pages as 2 requests and 11-50 as 3",
         value<std::string>()->default_value(std::to_string(kDefaults.pages_per_request)), "N")
        ("country", "Two-letter country code, e.g. us, de (default: not sent, JSearch uses us)",
         value<std::string>(), "CODE")
        ("date-posted", "all|today|3days|week|month (default: not sent, all)",
         value<std::string>(), "WHEN")
        ("employment-types", "Comma-separated: FULLTIME,CONTRACTOR,PARTTIME,INTERN",
         value<std::string>(), "LIST")
        ("remote-only", "Only remote jobs");
    options.add_options("Fetch")
        ("concurrency", "JSearch requests in flight at once (one query each), 1-32; the table "
         "is the same whatever the value (env JOBSYNC_CONCURRENCY; default 4)",
         value<std::string>(), "N")
        ("max-rps", "At most this many JSearch requests a second, retries included; a 429 "
         "pauses them all; 0: no limit (env JOBSYNC_MAX_RPS; default 5, see README)",
         value<std::string>(), "R");
    options.add_options("Upsert")
        ("batch-size", "Rows per upsert request, 1-10000; a batch is also cut before its JSON "
         "passes 1 MiB", value<std::string>()->default_value(std::to_string(kDefaults.batch_size)), "N")
        ("upsert-concurrency", "Batches upserted at once while fetching goes on, 1-16; as many "
         "more wait in a queue; the table is the same whatever the value (env "
         "JOBSYNC_UPSERT_CONCURRENCY; default 2)", value<std::string>(), "N");
    options.add_options("Run")
        ("dry-run", "Fetch and map as a real run does, read the table, and report what a real "
         "run would insert, update, reactivate and deactivate, and whether the guard would "
         "stop it. Writes nothing to the table; the run record is kept, marked dry")
        ("no-sweep", "Upsert only: mark nothing inactive. For ad-hoc runs of a few queries, "
         "whose sweep would take every job the other queries found for vanished")
        ("max-deactivate-share", "Guard: if the sweep would mark more than this share of "
         "the active jobs inactive, it marks none and the run exits 6; 1 turns the guard off",
         value<std::string>()->default_value(kDefaults.max_deactivate_share), "SHARE")
        ("lease-seconds", "The run's lease in job_sync_runs; renewed while the run works, it "
         "lets a run that died block the next one for at most this long, 10-86400",
         value<std::string>()->default_value(std::to_string(kDefaults.lease_seconds)), "N")
        ("run-id", "Name of this run in job_sync_runs (default: JOBSYNC_RUN_ID, else "
         "generated); every shard of one run gives the same id", value<std::string>(), "ID")
        ("shard", "Run shard I of N of one run (0 <= I < N): fetch only this shard's share of "
         "the queries; the last shard to succeed sweeps for the run. Needs a run id shared by "
         "the shards", value<std::string>(), "I/N")
        ("shards", "Like --shard, with I taken from JOB_COMPLETION_INDEX (set by a Kubernetes "
         "Indexed Job)", value<std::string>(), "N");
    options.add_options("Limits")
        ("deadline", "Stop the run after this long: no new request, in-flight ones abandoned, "
         "no sweep, exit 8; e.g. 90s, 30m, 1h30m (default 30m; env JOBSYNC_DEADLINE)",
         value<std::string>(), "DURATION")
        ("max-requests", "Most JSearch requests to be billed this run (num_pages multiplier "
         "included); the run stops before passing it, exit 7 (default: no cap; env "
         "JOBSYNC_MAX_REQUESTS)", value<std::string>(), "N")
        ("max-response-bytes", "Refuse a response body larger than this, e.g. 67108864 or 64MiB "
         "(default 64MiB; env JOBSYNC_MAX_RESPONSE_BYTES)", value<std::string>(), "BYTES")
        ("ca-file", "Also trust the CA certificates in this PEM file, e.g. a self-hosted "
         "Supabase's private CA (SSL_CERT_FILE replaces the system's set instead)",
         value<std::string>(), "PATH");
    options.add_options("Logging")
        ("log-level", "trace|debug|info|warn|error",
         value<std::string>()->default_value(kDefaults.log_level), "LEVEL")
        ("log-format", "text|json", value<std::string>()->default_value(kDefaults.log_format),
         "FORMAT");
    options.add_options("Output")
        ("report", "Also write the run summary as JSON to this file (replaced atomically)",
         value<std::string>(), "FILE")
        ("metrics-file", "Write the run's figures in Prometheus text format to this file "
         "(replaced atomically; for node_exporter's textfile collector, name it *.prom)",
         value<std::string>(), "FILE");
}

void add_check_options(cxxopts::Options& options) {
    options.add_options()
        ("query", "A query the sync runs (as `sync --query`); checked for form only",
         value<std::string>(), "TEXT")
        ("queries-file", "The queries file the sync reads (as `sync --queries-file`)",
         value<std::string>(), "PATH")
        ("jsearch", "Also spend one JSearch request (num_pages=1) to prove the key and show "
         "the requests remaining in the quota")
        ("log-level", "trace|debug|info|warn|error", value<std::string>()->default_value("warn"),
         "LEVEL");
}

void add_status_options(cxxopts::Options& options) {
    options.add_options()
        ("limit", "How many runs to show, newest first, 1-1000",
         value<std::string>()->default_value(std::to_string(kDefaults.status_limit)), "N")
        ("format", "text|json", value<std::string>()->default_value(kDefaults.status_format),
         "FORMAT")
        ("log-level", "trace|debug|info|warn|error", value<std::string>()->default_value("warn"),
         "LEVEL");
}
// clang-format on

long parse_count(const cxxopts::ParseResult& result, const std::string& option,
                 const std::string& hint) {
    const std::string text = result[option].as<std::string>();
    const std::string_view digits = text::trim(text);
    if (const auto value = parse_whole_number(digits)) return *value;
    const bool all_digits =
        !digits.empty() &&
        std::all_of(digits.begin(), digits.end(), [](char c) { return c >= '0' && c <= '9'; });
    if (all_digits) {
        throw UsageError("--" + option + " is too large: " + std::string(digits) + hint);
    }
    throw UsageError("--" + option + " expects a whole number, got '" + text + "'" + hint);
}

// A repeated single-valued option keeps its last value, as most tools do.
void copy_text(const cxxopts::ParseResult& result, const char* option, std::string& out) {
    if (result.count(option) > 0) out = result[option].as<std::string>();
}

void read_queries(const cxxopts::ParseResult& result, CommandLine& line) {
    for (const auto& argument : result.arguments()) {
        if (argument.key() == "query") line.queries.push_back(argument.value());
    }
    copy_text(result, "queries-file", line.queries_file);
}

void read_sync(const cxxopts::ParseResult& result, const std::string& hint, CommandLine& line) {
    read_queries(result, line);
    copy_text(result, "country", line.country);
    copy_text(result, "date-posted", line.date_posted);
    copy_text(result, "employment-types", line.employment_types);
    copy_text(result, "log-format", line.log_format);
    copy_text(result, "report", line.report_file);
    copy_text(result, "metrics-file", line.metrics_file);
    copy_text(result, "deadline", line.deadline);
    copy_text(result, "max-requests", line.max_requests);
    copy_text(result, "max-response-bytes", line.max_response_bytes);
    copy_text(result, "ca-file", line.ca_file);
    copy_text(result, "run-id", line.run_id);
    copy_text(result, "max-deactivate-share", line.max_deactivate_share);
    copy_text(result, "shard", line.shard);
    copy_text(result, "concurrency", line.concurrency);
    copy_text(result, "max-rps", line.max_rps);
    copy_text(result, "upsert-concurrency", line.upsert_concurrency);
    line.remote_only = result["remote-only"].as<bool>();
    line.no_sweep = result["no-sweep"].as<bool>();
    line.dry_run = result["dry-run"].as<bool>();
    if (line.dry_run && (!line.report_file.empty() || !line.metrics_file.empty())) {
        // A dry run's figures are not a run's: a metrics file would record a success that
        // changed nothing. Its report goes to stdout (--log-format json for one JSON object).
        throw UsageError(
            "--dry-run writes no --report or --metrics-file; use --log-format json "
            "for its report as JSON on stdout");
    }
    if (result.count("shards") > 0) line.shards = parse_count(result, "shards", hint);
    line.lease_seconds = parse_count(result, "lease-seconds", hint);
    line.pages = parse_count(result, "pages", hint);
    line.pages_per_request = parse_count(result, "pages-per-request", hint);
    line.batch_size = parse_count(result, "batch-size", hint);
}

void read_check(const cxxopts::ParseResult& result, const std::string& /*hint*/,
                CommandLine& line) {
    read_queries(result, line);
    line.check_jsearch = result["jsearch"].as<bool>();
}

void read_status(const cxxopts::ParseResult& result, const std::string& hint, CommandLine& line) {
    line.status_limit = parse_count(result, "limit", hint);
    if (line.status_limit < 1 || line.status_limit > 1000) {
        throw UsageError("--limit must be from 1 to 1000, got " +
                         std::to_string(line.status_limit) + hint);
    }
    const std::string format = result["format"].as<std::string>();
    line.status_format = text::to_lower(format);
    if (line.status_format != "text" && line.status_format != "json") {
        throw UsageError("--format must be text or json, got '" + format + "'" + hint);
    }
}

// Every command: its name, the first line of its help, its own options and how to read them.
// A new command is one more entry.
struct CommandSpec {
    std::string_view name;
    Command command;
    const char* description;
    std::vector<std::string> groups;  // of options, in the order the help shows them
    std::string_view epilog;
    void (*add_options)(cxxopts::Options& options);
    void (*read)(const cxxopts::ParseResult& result, const std::string& hint, CommandLine& line);
};

const CommandSpec kCommands[] = {
    {"sync",
     Command::sync,
     "Fetch jobs from JSearch, upsert them into the Supabase jobs table, then mark jobs not seen "
     "in this run inactive.",
     {"", "Query", "Fetch", "Upsert", "Run", "Limits", "Logging", "Output"},
     help::kSyncEpilog,
     add_sync_options,
     read_sync},
    {"check",
     Command::check,
     "Check that a sync would work: the configuration, the Supabase key, the jobs table and its "
     "columns, the run history and the lease (and, with --jsearch, the JSearch key).",
     {""},
     help::kCheckEpilog,
     add_check_options,
     read_check},
    {"status",
     Command::status,
     "Show the last runs recorded in job_sync_runs and whether a run holds the lease now.",
     {""},
     help::kStatusEpilog,
     add_status_options,
     read_status},
};

// The options every command shares come first: -h/--help and --env-file.
cxxopts::Options options_of(const CommandSpec& spec) {
    cxxopts::Options options("job-sync " + std::string(spec.name),
                             std::string(spec.description) + "\n");
    options.custom_help("[OPTION...]");
    options.set_width(100);
    options.add_options()("h,help", "Show this help")(
        "env-file", "Read settings from this .env file (default: ./.env when present)",
        value<std::string>(), "PATH");
    spec.add_options(options);
    return options;
}

// The long names of the options, of any command, that take a value.
std::set<std::string, std::less<>> value_options() {
    std::set<std::string, std::less<>> names;
    for (const auto& spec : kCommands) {
        const auto options = options_of(spec);
        for (const auto& group : options.groups()) {
            for (const auto& option : options.group_help(group).options) {
                if (option.is_boolean) continue;
                for (const auto& name : option.l) names.insert("--" + name);
            }
        }
    }
    return names;
}

// argv[0] stands for the command word.
void parse_command(const CommandSpec& spec, int argc, const char* const* argv, CommandLine& line) {
    const std::string hint =
        "; run `job-sync " + std::string(spec.name) + " --help` for the options";
    auto options = options_of(spec);
    line.command = spec.command;
    line.help_text = options.help(spec.groups) + std::string(spec.epilog);
    cxxopts::ParseResult result;
    try {
        result = options.parse(argc, argv);
    } catch (const cxxopts::exceptions::exception& e) {
        // cxxopts quotes names with typographic quotes; the rest of our messages use plain ones.
        std::string message = e.what();
        for (std::string_view curly : {"\u2018", "\u2019"}) {
            for (auto at = message.find(curly); at != std::string::npos; at = message.find(curly)) {
                message.replace(at, curly.size(), "'");
            }
        }
        throw UsageError(message + hint);
    }
    if (!result.unmatched().empty()) {
        const bool takes_queries = spec.command != Command::status;
        throw UsageError("unexpected argument '" + result.unmatched().front() + "'" +
                         (takes_queries ? " (a query goes in --query \"TEXT\")" : "") + hint);
    }
    line.show_help = line.show_help || result.count("help") > 0;
    line.show_version = line.show_version || result.count("version") > 0;
    if (line.show_help || line.show_version) return;
    copy_text(result, "env-file", line.env_file);
    line.log_level = result["log-level"].as<std::string>();
    spec.read(result, hint, line);
}

}  // namespace

CommandLine parse_command_line(int argc, const char* const* argv) {
    const auto value_names = value_options();
    reject_secret_flags(argc, argv,
                        [&](std::string_view flag) { return value_names.count(flag) > 0; });
    CommandLine line;
    line.help_text = help::kOverview;
    for (int i = 1; i < argc; ++i) {
        const std::string_view arg = argv[i];
        if (arg == "-h" || arg == "--help") {
            line.show_help = true;
        } else if (arg == "--version") {
            line.show_version = true;
        } else if (!arg.empty() && arg.front() == '-') {
            throw UsageError(std::string(arg.substr(0, arg.find('='))) +
                             ": unknown option before the command; options go after it, e.g. "
                             "`job-sync sync --pages 2`; run `job-sync --help`");
        } else {
            for (const auto& spec : kCommands) {
                if (arg != spec.name) continue;
                parse_command(spec, argc - i, argv + i, line);
                return line;
            }
            std::string names;
            for (const auto& spec : kCommands) {
                names += (names.empty() ? "`" : ", `") + std::string(spec.name) + "`";
            }
            throw UsageError("unknown command '" + std::string(arg) + "'; the command" +
                             (std::size(kCommands) == 1 ? " is " : "s are ") + names +
                             "; run `job-sync --help`");
        }
    }
    return line;
}

}  // namespace jobsync::config
