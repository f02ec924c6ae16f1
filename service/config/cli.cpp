#include "config/cli.hpp"

#include <algorithm>
#include <cxxopts.hpp>

#include "config/errors.hpp"
#include "config/help_text.hpp"
#include "config/settings.hpp"
#include "text/strings.hpp"

namespace jobsync::config {

namespace {

// One option of one command: `arg` names its value in the help; nullptr makes it a switch.
struct Option {
    std::string group;  // the section of the help it is listed in
    std::string name;
    std::string help;
    const char* arg = nullptr;
};

// "<help> (env VARIABLE; default VALUE)": the variable is read when the flag is not given.
std::string with_default(const std::string& help, const std::string& value,
                         const char* variable = nullptr) {
    return help + (variable != nullptr ? " (env " + std::string(variable) + "; " : " (") +
           "default " + value + ")";
}

// Every command that talks to Supabase may need it: a self-hosted one with a private CA.
Option ca_file_option(const std::string& group) {
    return {group, "ca-file",
            "Also trust the CA certificates in this PEM file, e.g. a self-hosted Supabase's "
            "private CA (SSL_CERT_FILE replaces the system's set instead)",
            "PATH"};
}

// The defaults shown are those config::Settings starts from, so they are written once.
std::vector<Option> sync_options() {
    const Settings d;
    const sync::SearchQuery q;
    return {
        {"", "version", "Show the version"},
        {"Query", "query", "A JSearch query, e.g. \"rust developer in berlin\"; repeat for more",
         "TEXT"},
        {"Query", "queries-file",
         "File with one query a line; blank lines and lines starting with # are skipped", "PATH"},
        {"Query", "pages",
         with_default("Pages to fetch for each query, 1-50", std::to_string(q.pages)), "N"},
        {"Query", "pages-per-request",
         with_default("Pages asked for in one request (JSearch num_pages), 1-50; JSearch bills "
                      "2-10 pages as 2 requests and 11-50 as 3",
                      std::to_string(q.pages_per_request)),
         "N"},
        {"Query", "country",
         "Two-letter country code, e.g. us, de (default: not sent, JSearch uses us)", "CODE"},
        {"Query", "date-posted", "all|today|3days|week|month (default: not sent, all)", "WHEN"},
        {"Query", "employment-types", "Comma-separated: FULLTIME,CONTRACTOR,PARTTIME,INTERN",
         "LIST"},
        {"Query", "remote-only", "Only remote jobs"},
        {"Fetch", "concurrency",
         with_default("JSearch requests in flight at once (one query each), 1-32; the table is "
                      "the same whatever the value",
                      std::to_string(d.concurrency), "JOBSYNC_CONCURRENCY"),
         "N"},
        {"Fetch", "max-rps",
         with_default("At most this many JSearch requests a second, retries included; a 429 "
                      "pauses them all; 0: no limit; see README",
                      text::format_number(d.max_rps), "JOBSYNC_MAX_RPS"),
         "R"},
        {"Upsert", "batch-size",
         with_default("Rows per upsert request, 1-10000; a batch is also cut before its JSON "
                      "passes 1 MiB",
                      std::to_string(d.batch_size)),
         "N"},
        {"Upsert", "upsert-concurrency",
         with_default("Batches upserted at once while fetching goes on, 1-16; as many more wait "
                      "in a queue; the table is the same whatever the value",
                      std::to_string(d.upsert_concurrency), "JOBSYNC_UPSERT_CONCURRENCY"),
         "N"},
        {"Run", "dry-run",
         "Fetch and map as a real run does, read the table, and report what a real run would "
         "insert, update, reactivate and deactivate, and whether the guard would stop it. Writes "
         "nothing to the table; the run record is kept, marked dry"},
        {"Run", "no-sweep",
         "Upsert only: mark nothing inactive. For ad-hoc runs of a few queries, whose sweep "
         "would take every job the other queries found for vanished"},
        {"Run", "max-deactivate-share",
         with_default("Guard: if the sweep would mark more than this share of the active jobs "
                      "inactive, it marks none and the run exits 6; 1 turns the guard off",
                      text::format_number(d.max_deactivate_share)),
         "SHARE"},
        {"Run", "lease-seconds",
         with_default("The run's lease in job_sync_runs; renewed while the run works, it lets a "
                      "run that died block the next one for at most this long, 10-86400",
                      std::to_string(d.lease_seconds)),
         "N"},
        {"Run", "run-id",
         "Name of this run in job_sync_runs (default: JOBSYNC_RUN_ID, else generated); every "
         "shard of one run gives the same id",
         "ID"},
        {"Run", "shard",
         "Run shard I of N of one run (0 <= I < N): fetch only this shard's share of the "
         "queries; the last shard to succeed sweeps for the run. Needs a run id shared by the "
         "shards",
         "I/N"},
        {"Run", "shards",
         "Like --shard, with I taken from JOB_COMPLETION_INDEX (set by a Kubernetes Indexed Job)",
         "N"},
        {"Limits", "deadline",
         with_default("Stop the run after this long: no new request, in-flight ones abandoned, "
                      "no sweep, exit 8; e.g. 90s, 30m, 1h30m",
                      std::to_string(d.deadline.count() / 60) + "m", "JOBSYNC_DEADLINE"),
         "DURATION"},
        {"Limits", "max-requests",
         "Most JSearch requests to be billed this run (num_pages multiplier included); the run "
         "stops before passing it, exit 7 (env JOBSYNC_MAX_REQUESTS; default: no cap)",
         "N"},
        {"Limits", "max-response-bytes",
         with_default("Refuse a response body larger than this, e.g. 67108864 or 64MiB",
                      std::to_string(d.max_response_bytes >> 20) + "MiB",
                      "JOBSYNC_MAX_RESPONSE_BYTES"),
         "BYTES"},
        ca_file_option("Limits"),
        {"Logging", "log-level", with_default("trace|debug|info|warn|error", d.log_level), "LEVEL"},
        {"Logging", "log-format", "text|json (default text)", "FORMAT"},
        {"Output", "report",
         "Also write the run summary as JSON to this file (replaced atomically)", "FILE"},
        {"Output", "metrics-file",
         "Write the run's figures in Prometheus text format to this file (replaced atomically; "
         "for node_exporter's textfile collector, name it *.prom)",
         "FILE"},
    };
}

std::vector<Option> check_options() {
    return {
        ca_file_option(""),
        {"", "query", "A query the sync runs (as `sync --query`); checked for form only", "TEXT"},
        {"", "queries-file", "The queries file the sync reads (as `sync --queries-file`)", "PATH"},
        {"", "jsearch",
         "Also spend one JSearch request (num_pages=1) to prove the key and show the requests "
         "remaining in the quota"},
        {"", "log-level", "trace|debug|info|warn|error (default warn)", "LEVEL"},
    };
}

std::vector<Option> status_options() {
    return {
        {"", "limit",
         with_default("How many runs to show, newest first, 1-1000",
                      std::to_string(Settings().status_limit)),
         "N"},
        {"", "format", "text|json (default text)", "FORMAT"},
        ca_file_option(""),
        {"", "log-level", "trace|debug|info|warn|error (default warn)", "LEVEL"},
    };
}

// Every command: its name, the first line of its help, its options and the prose after them.
// A new command is one more entry.
struct CommandSpec {
    std::string_view name;
    Command command;
    const char* description;
    std::vector<Option> (*options)();
    std::string_view epilog;
};

const CommandSpec kCommands[] = {
    {"sync", Command::sync,
     "Fetch jobs from JSearch, upsert them into the Supabase jobs table, then mark jobs not seen "
     "in this run inactive.",
     sync_options, help::kSyncEpilog},
    {"check", Command::check,
     "Check that a sync would work: the configuration, the Supabase key, the jobs table and its "
     "columns, the run history and the lease (and, with --jsearch, the JSearch key).",
     check_options, help::kCheckEpilog},
    {"status", Command::status,
     "Show the last runs recorded in job_sync_runs and whether a run holds the lease now.",
     status_options, help::kStatusEpilog},
};

// The options every command shares come first: -h/--help and --env-file.
cxxopts::Options options_of(const CommandSpec& spec, std::vector<std::string>& groups) {
    cxxopts::Options options("job-sync " + std::string(spec.name),
                             std::string(spec.description) + "\n");
    options.custom_help("[OPTION...]");
    options.set_width(100);
    options.add_options()("h,help", "Show this help")(
        "env-file", "Read settings from this .env file (default: ./.env when present)",
        cxxopts::value<std::string>(), "PATH");
    groups = {""};
    for (const auto& option : spec.options()) {
        if (std::find(groups.begin(), groups.end(), option.group) == groups.end()) {
            groups.push_back(option.group);
        }
        const bool takes_value = option.arg != nullptr;
        options.add_option(option.group,
                           {option.name, option.help,
                            takes_value ? cxxopts::value<std::string>() : cxxopts::value<bool>(),
                            takes_value ? option.arg : ""});
    }
    return options;
}

// Secrets never go on the command line (it shows up in `ps`): a flag that looks like one gets a
// pointed answer instead of "unknown option". The argument after an option that takes a value
// is that value and is not looked at: `--report --token-report.json` is fine.
void reject_secret_flags(int argc, const char* const* argv) {
    std::vector<std::string> valued;
    for (const auto& spec : kCommands) {
        for (const auto& option : spec.options()) {
            if (option.arg != nullptr) valued.push_back("--" + option.name);
        }
    }
    valued.emplace_back("--env-file");
    for (int i = 1; i < argc; ++i) {
        const std::string_view arg = argv[i];
        if (arg == "--") break;
        if (std::find(valued.begin(), valued.end(), arg) != valued.end()) {
            ++i;
            continue;
        }
        if (arg.size() < 2 || arg.front() != '-') continue;
        const std::string name(arg.substr(0, arg.find('=')));
        for (std::string_view word : {"key", "secret", "token", "password", "jwt"}) {
            if (text::find_ignoring_case(name, word) != std::string_view::npos) {
                throw UsageError(
                    name +
                    ": secrets cannot be passed as flags (command lines show up in `ps`); set "
                    "SUPABASE_SERVICE_ROLE_KEY and JSEARCH_API_KEY in the environment or in "
                    "the .env file (--env-file PATH)");
            }
        }
    }
}

// argv[0] stands for the command word.
void parse_command(const CommandSpec& spec, int argc, const char* const* argv, CommandLine& line) {
    const std::string hint =
        "; run `job-sync " + std::string(spec.name) + " --help` for the options";
    std::vector<std::string> groups;
    auto options = options_of(spec, groups);
    line.command = spec.command;
    line.help_text = options.help(groups) + std::string(spec.epilog);
    cxxopts::ParseResult result;
    try {
        result = options.parse(argc, argv);
    } catch (const cxxopts::exceptions::exception& e) {
        throw UsageError(e.what() + hint);
    }
    if (!result.unmatched().empty()) {
        const bool takes_queries = spec.command != Command::status;
        throw UsageError("unexpected argument '" + result.unmatched().front() + "'" +
                         (takes_queries ? " (a query goes in --query \"TEXT\")" : "") + hint);
    }
    for (const auto& argument : result.arguments()) {
        if (argument.key() == "query") {
            line.queries.push_back(argument.value());
        } else {
            line.options[argument.key()] = argument.value();
        }
    }
    line.show_help = line.show_help || line.flag("help");
    line.show_version = line.show_version || line.flag("version");
}

}  // namespace

CommandLine parse_command_line(int argc, const char* const* argv) {
    reject_secret_flags(argc, argv);
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
            throw UsageError("unknown command '" + std::string(arg) + "'; the commands are " +
                             names + "; run `job-sync --help`");
        }
    }
    return line;
}

}  // namespace jobsync::config
