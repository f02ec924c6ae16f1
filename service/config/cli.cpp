#include "config/cli.hpp"

#include <algorithm>
#include <charconv>
#include <cxxopts.hpp>
#include <iterator>
#include <string_view>

#include "config/errors.hpp"
#include "text/strings.hpp"

namespace jobsync::config {

namespace {

constexpr std::string_view kSyncHint = "; run `job-sync sync --help` for the options";

const char* const kEnvironmentHelp = R"(
Environment variables (read from the environment or the .env file; the real
environment wins over the file; empty counts as unset):
  SUPABASE_URL                  Project URL, e.g. https://<ref>.supabase.co (required)
  SUPABASE_SERVICE_ROLE_KEY     Secret key (sb_secret_...) or legacy service_role JWT
                                (required; secret)
  JSEARCH_API_KEY               RapidAPI key subscribed to JSearch (required; secret)
  JSEARCH_BASE_URL              JSearch endpoint (default https://jsearch.p.rapidapi.com)
  JSEARCH_HOST                  X-RapidAPI-Host header (default jsearch.p.rapidapi.com)
  JOBS_TABLE                    Table to upsert into (default jobs)
  JSEARCH_QUERIES               Queries separated by ';', added to --query and
                                --queries-file
  JOBSYNC_HTTP_TIMEOUT_SECONDS  Timeout of one whole HTTP request (connect, headers,
                                body), 1-600 (default 30)
  JOBSYNC_DEADLINE              As --deadline (the flag wins)
  JOBSYNC_MAX_REQUESTS          As --max-requests (the flag wins)
  JOBSYNC_MAX_RESPONSE_BYTES    As --max-response-bytes (the flag wins)
  SSL_CERT_FILE                 PEM file of CA certificates OpenSSL trusts instead of the
                                system's (read by OpenSSL itself); --ca-file adds to them
  JOBSYNC_RUN_ID                The run id when --run-id is not given (e.g. the
                                Kubernetes Job's name, passed by the downward API)
  JOB_COMPLETION_INDEX          The shard index for --shards N (Kubernetes sets it)
  JSEARCH_API_KEY_<I>           Shard I's own RapidAPI key, preferred over
                                JSEARCH_API_KEY when set (secret)

SUPABASE_URL and JSEARCH_BASE_URL must be https:// (http:// only for loopback:
localhost, 127.0.0.0/8, ::1) and must not hold credentials (user:password@).
A legacy service_role JWT whose exp has passed (or whose nbf is still ahead),
allowing 60 s of clock skew, stops the run before any request (exit 3).
  JOBSYNC_CONCURRENCY           As --concurrency (the flag wins)
  JOBSYNC_MAX_RPS               As --max-rps (the flag wins)

Secrets are never accepted as flags (command lines show up in `ps`): put them in
the environment or in the .env file. See env/.env.example.

Exit codes:
  0  everything succeeded, the sweep of vanished jobs included
  1  incomplete: a query, an upsert batch or the sweep failed, or nothing was
     fetched; no job was marked inactive
  2  usage or configuration error; no request was sent
  3  a key was rejected (JSearch 401/403, or Supabase refused the key), or the
     service_role JWT has expired (checked before any request)
  4  internal error (a bug)
  5  refused: another run holds the lease (see job_sync_runs); nothing fetched
  6  guarded: the sweep would deactivate more than --max-deactivate-share of
     the active jobs; everything was upserted, nothing deactivated
  7  quota: JSearch's quota is exhausted, or --max-requests would have been
     passed; rows already fetched are upserted, the sweep is skipped
  8  deadline: --deadline passed before the run finished; the sweep is skipped
  130, 143  cancelled by SIGINT / SIGTERM (a second signal exits at once); the
     summary is still written, the sweep never starts
)";

// The sync options that take a value; the argument after one of them is a value, not a flag.
bool takes_value(std::string_view arg) {
    for (std::string_view option : {"--env-file",
                                    "--query",
                                    "--queries-file",
                                    "--pages",
                                    "--pages-per-request",
                                    "--country",
                                    "--date-posted",
                                    "--employment-types",
                                    "--batch-size",
                                    "--log-level",
                                    "--log-format",
                                    "--report",
                                    "--metrics-file",
                                    "--run-id",
                                    "--lease-seconds",
                                    "--max-deactivate-share",
                                    "--limit",
                                    "--format",
                                    "--deadline",
                                    "--max-requests",
                                    "--max-response-bytes",
                                    "--ca-file",
                                    "--shard",
                                    "--shards",
                                    "--concurrency",
                                    "--max-rps"}) {
        if (arg == option) return true;
    }
    return false;
}

// Flags that look like they carry a secret get a pointed answer instead of "unknown option".
void reject_secret_flags(int argc, const char* const* argv) {
    for (int i = 1; i < argc; ++i) {
        const std::string_view arg = argv[i];
        if (arg == "--") break;
        if (takes_value(arg)) {
            ++i;
            continue;
        }
        if (arg.size() < 2 || arg.front() != '-') continue;
        std::string name(arg.substr(0, arg.find('=')));
        const std::string lowered = text::to_lower(name);
        for (std::string_view word : {"key", "secret", "token", "password", "jwt"}) {
            if (lowered.find(word) != std::string::npos) {
                throw UsageError(
                    name +
                    ": secrets cannot be passed as flags (command lines show up in `ps`); set "
                    "SUPABASE_SERVICE_ROLE_KEY and JSEARCH_API_KEY in the environment or in "
                    "the .env file (--env-file PATH)");
            }
        }
    }
}

cxxopts::Options make_sync_options() {
    cxxopts::Options options("job-sync sync",
                             "Fetch jobs from JSearch, upsert them into the Supabase jobs "
                             "table, then mark jobs not seen in this run inactive.\n");
    options.custom_help("[OPTION...]");
    options.set_width(100);
    using cxxopts::value;
    // Numbers are taken as text and converted below, for messages that name the option.
    // clang-format off
    options.add_options()
        ("h,help", "Show this help")
        ("version", "Show the version");
    options.add_options("Configuration")
        ("env-file", "Read settings from this .env file (default: ./.env when present)",
         value<std::string>(), "PATH");
    options.add_options("Query")
        ("query", "A JSearch query, e.g. \"rust developer in berlin\"; repeat for more",
         value<std::string>(), "TEXT")
        ("queries-file", "File with one query a line; blank lines and lines starting with # "
         "are skipped", value<std::string>(), "PATH")
        ("pages", "Pages to fetch for each query, 1-50", value<std::string>()->default_value("1"),
         "N")
        ("pages-per-request", "Pages asked for in one request (JSearch num_pages), 1-50; "
         "JSearch bills 2-10 pages as 2 requests and 11-50 as 3",
         value<std::string>()->default_value("10"), "N")
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
         "passes 1 MiB", value<std::string>()->default_value("200"), "N");
    options.add_options("Run")
        ("dry-run", "Fetch and map as a real run does, read the table, and report what a real "
         "run would insert, update, reactivate and deactivate, and whether the guard would "
         "stop it. Writes nothing to the table; the run record is kept, marked dry")
        ("no-sweep", "Upsert only: mark nothing inactive. For ad-hoc runs of a few queries, "
         "whose sweep would take every job the other queries found for vanished")
        ("max-deactivate-share", "Guard: if the sweep would mark more than this share of "
         "the active jobs inactive, it marks none and the run exits 6; 1 turns the guard off",
         value<std::string>()->default_value("0.5"), "SHARE")
        ("lease-seconds", "The run's lease in job_sync_runs; renewed while the run works, it "
         "lets a run that died block the next one for at most this long, 10-86400",
         value<std::string>()->default_value("900"), "N")
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
        ("log-level", "trace|debug|info|warn|error", value<std::string>()->default_value("info"),
         "LEVEL")
        ("log-format", "text|json", value<std::string>()->default_value("text"), "FORMAT");
    options.add_options("Output")
        ("report", "Also write the run summary as JSON to this file (replaced atomically)",
         value<std::string>(), "FILE")
        ("metrics-file", "Write the run's figures in Prometheus text format to this file "
         "(replaced atomically; for node_exporter's textfile collector, name it *.prom)",
         value<std::string>(), "FILE");
    // clang-format on
    return options;
}

std::string sync_help_of(const cxxopts::Options& options) {
    return options.help({"", "Configuration", "Query", "Fetch", "Upsert", "Run", "Limits",
                         "Logging", "Output"}) +
           kEnvironmentHelp;
}

// cxxopts quotes names with typographic quotes; the rest of our messages use plain ones.
std::string plain_quotes(std::string text) {
    for (std::string_view curly : {"\u2018", "\u2019"}) {
        for (auto at = text.find(curly); at != std::string::npos; at = text.find(curly, at)) {
            text.replace(at, curly.size(), "'");
        }
    }
    return text;
}

long parse_count(const std::string& option, const std::string& text) {
    const std::string_view digits = text::trim(text);
    long value = 0;
    const auto [end, error] = std::from_chars(digits.data(), digits.data() + digits.size(), value);
    const bool all_digits =
        !digits.empty() && digits.front() != '-' && end == digits.data() + digits.size();
    if (all_digits && error == std::errc::result_out_of_range) {
        throw UsageError("--" + option + " is too large: " + std::string(digits) +
                         std::string(kSyncHint));
    }
    if (!all_digits || error != std::errc()) {
        throw UsageError("--" + option + " expects a whole number, got '" + text + "'" +
                         std::string(kSyncHint));
    }
    return value;
}

void parse_sync_options(int argc, const char* const* argv, CommandLine& line) {
    auto options = make_sync_options();
    line.help_text = sync_help_of(options);
    cxxopts::ParseResult result;
    try {
        result = options.parse(argc, argv);
    } catch (const cxxopts::exceptions::exception& e) {
        throw UsageError(plain_quotes(e.what()) + std::string(kSyncHint));
    }
    if (!result.unmatched().empty()) {
        throw UsageError("unexpected argument '" + result.unmatched().front() +
                         "' (a query goes in --query \"TEXT\")" + std::string(kSyncHint));
    }
    line.show_help = line.show_help || result.count("help") > 0;
    line.show_version = line.show_version || result.count("version") > 0;
    if (line.show_help || line.show_version) return;

    for (const auto& argument : result.arguments()) {
        if (argument.key() == "query") line.queries.push_back(argument.value());
    }
    // A repeated single-valued option keeps its last value, as most tools do.
    auto text = [&](const char* name, std::string& out) {
        if (result.count(name) > 0) out = result[name].as<std::string>();
    };
    text("env-file", line.env_file);
    text("queries-file", line.queries_file);
    text("country", line.country);
    text("date-posted", line.date_posted);
    text("employment-types", line.employment_types);
    text("log-level", line.log_level);
    text("log-format", line.log_format);
    text("report", line.report_file);
    text("metrics-file", line.metrics_file);
    text("deadline", line.deadline);
    text("max-requests", line.max_requests);
    text("max-response-bytes", line.max_response_bytes);
    text("ca-file", line.ca_file);
    line.remote_only = result["remote-only"].as<bool>();
    text("run-id", line.run_id);
    text("max-deactivate-share", line.max_deactivate_share);
    line.no_sweep = result["no-sweep"].as<bool>();
    line.dry_run = result["dry-run"].as<bool>();
    if (line.dry_run && (!line.report_file.empty() || !line.metrics_file.empty())) {
        // A dry run's figures are not a run's: a metrics file would record a success that
        // changed nothing. Its report goes to stdout (--log-format json for one JSON object).
        throw UsageError(
            "--dry-run writes no --report or --metrics-file; use --log-format json "
            "for its report as JSON on stdout");
    }
    text("shard", line.shard);
    if (result.count("shards") > 0) {
        line.shards = parse_count("shards", result["shards"].as<std::string>());
    }
    text("concurrency", line.concurrency);
    text("max-rps", line.max_rps);
    line.lease_seconds = parse_count("lease-seconds", result["lease-seconds"].as<std::string>());
    line.pages = parse_count("pages", result["pages"].as<std::string>());
    line.pages_per_request =
        parse_count("pages-per-request", result["pages-per-request"].as<std::string>());
    line.batch_size = parse_count("batch-size", result["batch-size"].as<std::string>());
}

const char* const kCheckEpilog = R"(
Reads the same environment and .env file as `job-sync sync` (see `job-sync sync
--help`). Each line starts with PASS, WARN or FAIL, says what was checked and,
when it is not PASS, how to fix it. It writes nothing: the table is only read
(limit=0), and the lease functions are called so that they change nothing.

Exit codes:
  0  a sync would work (warnings aside)
  1  at least one FAIL: a sync would fail; the FAIL lines say why
  2  the configuration is incomplete or malformed; nothing was contacted
)";

const char* const kStatusEpilog = R"(
Reads job_sync_runs through PostgREST with the service key (the table is not
readable by anon). Needs SUPABASE_URL and SUPABASE_SERVICE_ROLE_KEY only.

Exit codes:
  0  the history was read (whatever the runs' own statuses)
  1  it could not be read (network, missing migration)
  2  usage or configuration error; nothing was contacted
  3  Supabase refused the key
)";

cxxopts::Options make_check_options() {
    cxxopts::Options options("job-sync check",
                             "Check that a sync would work: the configuration, the Supabase key, "
                             "the jobs table and its columns, the run history and the lease "
                             "(and, with --jsearch, the JSearch key).\n");
    options.custom_help("[OPTION...]");
    options.set_width(100);
    using cxxopts::value;
    // clang-format off
    options.add_options()
        ("h,help", "Show this help")
        ("env-file", "Read settings from this .env file (default: ./.env when present)",
         value<std::string>(), "PATH")
        ("query", "A query the sync runs (as `sync --query`); checked for form only",
         value<std::string>(), "TEXT")
        ("queries-file", "The queries file the sync reads (as `sync --queries-file`)",
         value<std::string>(), "PATH")
        ("jsearch", "Also spend one JSearch request (num_pages=1) to prove the key and show "
         "the requests remaining in the quota")
        ("log-level", "trace|debug|info|warn|error", value<std::string>()->default_value("warn"),
         "LEVEL");
    // clang-format on
    return options;
}

cxxopts::Options make_status_options() {
    cxxopts::Options options("job-sync status",
                             "Show the last runs recorded in job_sync_runs and whether a run "
                             "holds the lease now.\n");
    options.custom_help("[OPTION...]");
    options.set_width(100);
    using cxxopts::value;
    // clang-format off
    options.add_options()
        ("h,help", "Show this help")
        ("env-file", "Read settings from this .env file (default: ./.env when present)",
         value<std::string>(), "PATH")
        ("limit", "How many runs to show, newest first, 1-1000",
         value<std::string>()->default_value("10"), "N")
        ("format", "text|json", value<std::string>()->default_value("text"), "FORMAT")
        ("log-level", "trace|debug|info|warn|error", value<std::string>()->default_value("warn"),
         "LEVEL");
    // clang-format on
    return options;
}

cxxopts::ParseResult parse_with(cxxopts::Options& options, int argc, const char* const* argv,
                                std::string_view hint) {
    cxxopts::ParseResult result;
    try {
        result = options.parse(argc, argv);
    } catch (const cxxopts::exceptions::exception& e) {
        throw UsageError(plain_quotes(e.what()) + std::string(hint));
    }
    if (!result.unmatched().empty()) {
        throw UsageError("unexpected argument '" + result.unmatched().front() + "'" +
                         std::string(hint));
    }
    return result;
}

void parse_check_options(int argc, const char* const* argv, CommandLine& line) {
    constexpr std::string_view hint = "; run `job-sync check --help` for the options";
    auto options = make_check_options();
    line.help_text = options.help() + kCheckEpilog;
    const cxxopts::ParseResult result = parse_with(options, argc, argv, hint);
    line.show_help = line.show_help || result.count("help") > 0;
    if (line.show_help) return;
    for (const auto& argument : result.arguments()) {
        if (argument.key() == "query") line.queries.push_back(argument.value());
    }
    if (result.count("env-file") > 0) line.env_file = result["env-file"].as<std::string>();
    if (result.count("queries-file") > 0) {
        line.queries_file = result["queries-file"].as<std::string>();
    }
    line.check_jsearch = result["jsearch"].as<bool>();
    line.log_level = result["log-level"].as<std::string>();
}

void parse_status_options(int argc, const char* const* argv, CommandLine& line) {
    constexpr std::string_view hint = "; run `job-sync status --help` for the options";
    auto options = make_status_options();
    line.help_text = options.help() + kStatusEpilog;
    const cxxopts::ParseResult result = parse_with(options, argc, argv, hint);
    line.show_help = line.show_help || result.count("help") > 0;
    if (line.show_help) return;
    if (result.count("env-file") > 0) line.env_file = result["env-file"].as<std::string>();
    line.log_level = result["log-level"].as<std::string>();
    line.status_limit = parse_count("limit", result["limit"].as<std::string>());
    if (line.status_limit < 1 || line.status_limit > 1000) {
        throw UsageError("--limit must be from 1 to 1000, got " +
                         std::to_string(line.status_limit) + std::string(hint));
    }
    line.status_format = text::to_lower(result["format"].as<std::string>());
    if (line.status_format != "text" && line.status_format != "json") {
        throw UsageError("--format must be text or json, got '" +
                         result["format"].as<std::string>() + "'" + std::string(hint));
    }
}
// Every command: its name, one line for the overview, and the parser of its options (called
// with argv[0] standing for the command word). A new command is one more entry.
struct CommandSpec {
    std::string_view name;
    Command command;
    std::string_view summary;
    void (*parse)(int argc, const char* const* argv, CommandLine& line);
};

constexpr CommandSpec kCommands[] = {
    {"sync", Command::sync,
     "Fetch every query's pages, upsert the jobs, mark vanished jobs inactive", parse_sync_options},
    {"check", Command::check, "Check that a sync would work: PASS/WARN/FAIL lines with fixes",
     parse_check_options},
    {"status", Command::status, "The last runs in job_sync_runs and whether a run holds the lease",
     parse_status_options},
};

}  // namespace

std::string check_help() { return make_check_options().help() + kCheckEpilog; }

std::string status_help() { return make_status_options().help() + kStatusEpilog; }

std::string overview_help() {
    std::string help =
        "job-sync keeps a Supabase jobs table in step with the JSearch API.\n"
        "\n"
        "Usage:\n"
        "  job-sync <command> [OPTION...]\n"
        "  job-sync --help | --version\n"
        "\n"
        "Commands:\n";
    for (const auto& spec : kCommands) {
        help += "  " + std::string(spec.name);
        help += std::string(spec.name.size() < 8 ? 8 - spec.name.size() : 1, ' ');
        help += std::string(spec.summary) + "\n";
    }
    return help +
           "\nRun `job-sync <command> --help`, e.g. `job-sync sync --help`, for its options "
           "and the environment variables.\n";
}

std::string sync_help() { return sync_help_of(make_sync_options()); }

CommandLine parse_command_line(int argc, const char* const* argv) {
    reject_secret_flags(argc, argv);
    CommandLine line;
    line.help_text = overview_help();
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
                line.command = spec.command;
                spec.parse(argc - i, argv + i, line);  // argv[i] stands in for argv[0]
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
