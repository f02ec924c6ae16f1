// The command line, parsed into plain data. cli.cpp is the only code that uses cxxopts; the
// help prose is in help_text.hpp, the refusal of secret flags in secret_flags.hpp. It never
// prints or exits: help and version are requests the app acts on (help_text holds the text),
// and mistakes are UsageError.
//
//   job-sync [--help | --version]
//   job-sync sync [options]        `job-sync sync --help`
//   job-sync check [options]       is the setup able to sync?
//   job-sync status [options]      the last runs and the lease
//
// Values are checked for form here (a number is a number); their meaning (ranges, enums) is
// checked with the rest of the configuration in config.cpp, so all problems show at once.
// There is deliberately no flag for a secret: command lines show up in `ps`.
#pragma once

#include <string>
#include <vector>

#include "ports/ports.hpp"

namespace jobsync::config {

enum class Command { none, sync, check, status };

struct CommandLine {
    Command command = Command::none;
    bool show_help = false;
    bool show_version = false;
    std::string help_text;  // the help for `command` (the overview when none)

    std::string env_file;              // --env-file; empty: ./.env when present
    std::vector<std::string> queries;  // --query, in order given
    std::string queries_file;          // --queries-file
    long pages = 1;                    // --pages
    long pages_per_request = 10;       // --pages-per-request
    std::string country;               // --country
    std::string date_posted;           // --date-posted
    std::string employment_types;      // --employment-types
    bool remote_only = false;          // --remote-only
    long batch_size = static_cast<long>(sync::kDefaultBatchRows);  // --batch-size
    std::string log_level = "info";                                // --log-level
    std::string log_format = "text";                               // --log-format
    std::string report_file;                                       // --report
    std::string metrics_file;                                      // --metrics-file
    std::string run_id;                        // --run-id; empty: one is generated
    long lease_seconds = 900;                  // --lease-seconds
    std::string max_deactivate_share = "0.5";  // --max-deactivate-share (checked in config)
    bool no_sweep = false;                     // --no-sweep

    bool dry_run = false;                // sync --dry-run
    bool check_jsearch = false;          // check --jsearch: spend one JSearch request
    long status_limit = 10;              // status --limit
    std::string status_format = "text";  // status --format
    // Run bounds; empty: the environment's value (JOBSYNC_*) or the default.
    std::string deadline;            // --deadline, e.g. 30m, 90s, 1h30m
    std::string max_requests;        // --max-requests
    std::string max_response_bytes;  // --max-response-bytes, e.g. 67108864, 64MiB
    std::string ca_file;             // --ca-file
    std::string shard;               // --shard I/N (checked in config)
    long shards = -1;                // --shards N (-1: not given)
    std::string concurrency;         // --concurrency; empty: env or default
    std::string upsert_concurrency;  // --upsert-concurrency; empty: env or default
    std::string max_rps;             // --max-rps; empty: env or default
};

// argv[0] is the program name. Throws UsageError.
CommandLine parse_command_line(int argc, const char* const* argv);

}  // namespace jobsync::config
