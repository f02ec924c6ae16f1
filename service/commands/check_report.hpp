// `job-sync check`'s verdicts (pure): each probe's response turned into one PASS/WARN/FAIL line
// that says what was checked and, when it is not a pass, how to fix it; and the report.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "config/settings.hpp"
#include "http/transport.hpp"
#include "ports/ports.hpp"
#include "postgrest/response.hpp"

namespace jobsync::commands {

enum class Verdict { pass, warn, fail };

struct CheckLine {
    Verdict verdict = Verdict::pass;
    std::string what;    // "jobs table", "Supabase key", ...
    std::string detail;  // what was found
    std::string fix;     // empty for a pass
};

// The migrations a check names when something is missing.
inline constexpr std::string_view kJobsTableMigration = "schema/20250101000000_jobs_engagement.sql";
inline constexpr std::string_view kSyncColumnsMigration = "schema/20250102000000_job_caching.sql";
inline constexpr std::string_view kRunsMigration = "schema/20250104000000_job_sync_runs.sql";

// The columns `status` and the run-history check read from job_sync_runs.
std::vector<std::string_view> run_history_columns();

// A configuration problem as one FAIL line: its text up to the first "; " is the detail, the
// rest the fix (config.cpp words every problem that way).
CheckLine config_line(const std::string& problem);
CheckLine pass_configuration();
CheckLine queries_line(std::size_t queries);
CheckLine key_line(SupabaseKeyKind kind);

// The column a PostgREST error says is missing: 42703 "column jobs.x does not exist" or
// PGRST204 "Could not find the 'x' column of 'jobs' in the schema cache".
std::optional<std::string> missing_column(const postgrest::ErrorBody& error);

// GET {table}?select=<every sync column>&limit=0.
CheckLine jobs_table_line(const http::Response& response, std::string_view table,
                          std::string_view url);
// GET job_sync_runs?select=<run_history_columns>&limit=0.
CheckLine runs_table_line(const http::Response& response);
// A probe of a lease function that changes nothing: job_sync_heartbeat for a run id that does
// not exist answers 200 {"held":false}; job_sync_begin and job_sync_finish given an argument
// they refuse answer 400 22023 (the function raises before it writes, and PostgREST rolls
// the transaction back anyway).
CheckLine ledger_function_line(std::string_view function, const http::Response& response);
// GET job_sync_runs?status=eq.running&dry_run=is.false&lease_expires_at=gt.now&limit=1.
CheckLine lease_line(const http::Response& response);
// One JSearch request of num_pages=1.
CheckLine jsearch_line(const sync::FetchOutcome& outcome, std::size_t jobs, std::string_view query);

// No answer, or the key refused: every other probe would fail the same way, so check stops.
bool stops_other_probes(const http::Response& response);

// "PASS  what  detail" lines, "fix: ..." under the others, and a closing verdict.
std::string render_check(const std::vector<CheckLine>& lines, const std::string& note);

// 0 when no line fails, else 1.
int check_exit_code(const std::vector<CheckLine>& lines);

}  // namespace jobsync::commands
