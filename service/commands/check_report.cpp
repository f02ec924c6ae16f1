#include "commands/check_report.hpp"

#include <rapidjson/document.h>

#include <algorithm>
#include <regex>
#include <sstream>

#include "commands/status_report.hpp"
#include "jobs/job_row.hpp"
#include "sync/exit_codes.hpp"

namespace jobsync::commands {

namespace {

constexpr std::string_view kApply =
    " to the project (supabase db push, or paste it into the SQL editor), then check again";

CheckLine pass(std::string what, std::string detail) {
    return {Verdict::pass, std::move(what), std::move(detail), {}};
}
CheckLine warn(std::string what, std::string detail, std::string fix) {
    return {Verdict::warn, std::move(what), std::move(detail), std::move(fix)};
}
CheckLine fail(std::string what, std::string detail, std::string fix) {
    return {Verdict::fail, std::move(what), std::move(detail), std::move(fix)};
}

std::string_view label(Verdict verdict) {
    switch (verdict) {
        case Verdict::pass:
            return "PASS";
        case Verdict::warn:
            return "WARN";
        case Verdict::fail:
            return "FAIL";
    }
    return "FAIL";
}

std::string code_of(const http::Response& response) {
    const auto error = postgrest::parse_error_body(response.body);
    return error ? error->code : std::string();
}

// What every failed probe has in common: no answer, or the key refused.
std::optional<CheckLine> common_failure(const http::Response& response, const std::string& what) {
    if (response.transport_failed()) {
        return fail(what, "no answer: " + response.error_message,
                    "check SUPABASE_URL (https://<project-ref>.supabase.co) and that this "
                    "machine can reach it");
    }
    if (response.status == 401 || response.status == 403) {
        const std::string code = code_of(response);
        if (code == "42501") {
            return fail(what, "permission denied: " + postgrest::describe_response(response),
                        "the key is not the service role's, or the grants are missing; apply " +
                            std::string(kRunsMigration) + " again (it is idempotent)");
        }
        return fail(what, "Supabase refused the key: " + postgrest::describe_response(response),
                    "set SUPABASE_SERVICE_ROLE_KEY to this project's secret key (sb_secret_...) "
                    "or legacy service_role key (Project Settings > API Keys)");
    }
    if (response.status >= 500) {
        return fail(what, "the server failed: " + postgrest::describe_response(response),
                    "try again; if it persists, check the project's status and its API logs");
    }
    return std::nullopt;
}

}  // namespace

std::vector<std::string_view> run_history_columns() {
    return {"run_id",           "status",       "dry_run",      "started_at",    "finished_at",
            "lease_expires_at", "holder",       "queries",      "requests",      "billed_requests",
            "jobs_fetched",     "jobs_skipped", "jobs_refused", "rows_upserted", "deactivated",
            "retries",          "error"};
}

CheckLine config_line(const std::string& problem) {
    const auto split = problem.find("; ");
    if (split == std::string::npos) return fail("configuration", problem, "see the message");
    return fail("configuration", problem.substr(0, split), problem.substr(split + 2));
}

CheckLine pass_configuration() {
    return pass("configuration",
                "SUPABASE_URL, SUPABASE_SERVICE_ROLE_KEY and JSEARCH_API_KEY are "
                "set and well-formed");
}

CheckLine queries_line(std::size_t queries) {
    if (queries == 0) {
        return warn("queries", "none in JSEARCH_QUERIES (nor --query / --queries-file here)",
                    "make sure the scheduled `job-sync sync` gets --query or --queries-file, or "
                    "set JSEARCH_QUERIES=\"query one;query two\"");
    }
    return pass("queries", std::to_string(queries) + " quer" + (queries == 1 ? "y" : "ies"));
}

CheckLine key_line(SupabaseKeyKind kind) {
    if (kind == SupabaseKeyKind::secret_key) {
        return pass("Supabase key", "a secret key (sb_secret_...): can write");
    }
    return pass("Supabase key", "a legacy service_role JWT: can write");
}

std::optional<std::string> missing_column(const postgrest::ErrorBody& error) {
    static const std::regex undefined_column(
        R"re(column (?:[A-Za-z0-9_"]+\.)?"?([A-Za-z0-9_]+)"? does not exist)re");
    static const std::regex not_in_cache(R"(Could not find the '([^']+)' column)");
    std::smatch match;
    if (error.code == "42703" && std::regex_search(error.message, match, undefined_column)) {
        return match[1].str();
    }
    if (error.code == "PGRST204" && std::regex_search(error.message, match, not_in_cache)) {
        return match[1].str();
    }
    return std::nullopt;
}

CheckLine jobs_table_line(const http::Response& response, std::string_view table,
                          std::string_view url) {
    const std::string what = "table " + std::string(table);
    if (!response.transport_failed() && response.status == 200) {
        return pass(what, "reachable at " + std::string(url) +
                              "; has every column the sync "
                              "writes (" +
                              std::to_string(jobs::kSyncColumns.size()) + ")");
    }
    if (auto common = common_failure(response, what)) return *common;
    const auto error = postgrest::parse_error_body(response.body);
    if (error) {
        if (auto column = missing_column(*error)) {
            return fail(what, "column '" + *column + "' is missing (" + error->code + ")",
                        "apply " + std::string(kSyncColumnsMigration) + kApply.data());
        }
    }
    const std::string code = error ? error->code : std::string();
    if (response.status == 404 && (code == "PGRST205" || code == "42P01" || code.empty())) {
        return fail(what, "does not exist (" + postgrest::describe_response(response) + ")",
                    "apply the migrations in schema/ in order, from " +
                        std::string(kJobsTableMigration) +
                        " (or set JOBS_TABLE to the table's "
                        "name), then check again");
    }
    return fail(what, "unexpected answer: " + postgrest::describe_response(response),
                "check SUPABASE_URL: it must be the project URL, without a path");
}

CheckLine runs_table_line(const http::Response& response) {
    const std::string what = "run history";
    if (!response.transport_failed() && response.status == 200) {
        return pass(what, "table job_sync_runs has every column job-sync reads and writes");
    }
    if (auto common = common_failure(response, what)) return *common;
    const auto error = postgrest::parse_error_body(response.body);
    if (error) {
        if (auto column = missing_column(*error)) {
            return fail(what, "job_sync_runs lacks column '" + *column + "'",
                        "the table predates " + std::string(kRunsMigration) +
                            ": add the column as that file defines it");
        }
    }
    if (response.status == 404) {
        return fail(what, "table job_sync_runs does not exist",
                    "apply " + std::string(kRunsMigration) + kApply.data());
    }
    return fail(what, "unexpected answer: " + postgrest::describe_response(response),
                "apply " + std::string(kRunsMigration) + kApply.data());
}

CheckLine ledger_function_line(std::string_view function, const http::Response& response) {
    const std::string what = "function " + std::string(function);
    const std::string code = code_of(response);
    if (!response.transport_failed() &&
        (response.status == 200 || (response.status == 400 && code == "22023"))) {
        return pass(what, "present and callable with the service key");
    }
    if (auto common = common_failure(response, what)) return *common;
    if (response.status == 404) {
        return fail(what, "not found (" + postgrest::describe_response(response) + ")",
                    "apply " + std::string(kRunsMigration) + kApply.data());
    }
    return fail(what, "unexpected answer: " + postgrest::describe_response(response),
                "apply the current " + std::string(kRunsMigration) + kApply.data());
}

CheckLine lease_line(const http::Response& response) {
    const std::string what = "lease";
    rapidjson::Document rows;
    if (!response.transport_failed() && response.status == 200) {
        rows.Parse(response.body.data(), response.body.size());
    }
    if (rows.HasParseError() || !rows.IsArray()) {
        if (auto common = common_failure(response, what)) return *common;
        return fail(what, "cannot read job_sync_runs: " + postgrest::describe_response(response),
                    "apply " + std::string(kRunsMigration) + kApply.data());
    }
    if (rows.Empty() || !rows[0].IsObject()) {
        return pass(what, "free: no run holds it now");
    }
    auto member = [&](const char* name) {
        const auto found = rows[0].FindMember(name);
        return found != rows[0].MemberEnd() && found->value.IsString()
                   ? std::string(found->value.GetString())
                   : std::string("?");
    };
    return warn(what,
                "run " + member("run_id") + " (holder " + member("holder") + ") holds it since " +
                    format_utc(member("started_at")) + ", until " +
                    format_utc(member("lease_expires_at")),
                "a sync started now would be refused (exit 5); wait for that run, or, if its "
                "process is gone, let the lease expire or clear it (README: the lease)");
}

CheckLine jsearch_line(const sync::FetchOutcome& outcome, std::size_t jobs,
                       std::string_view query) {
    const std::string what = "JSearch key";
    const std::string quota =
        outcome.quota_remaining
            ? "x-ratelimit-requests-remaining: " + std::to_string(*outcome.quota_remaining)
            : std::string("no x-ratelimit-requests-remaining header");
    switch (outcome.failure) {
        case sync::Failure::none:
            return pass(what, "accepted: " + std::to_string(jobs) + " jobs for '" +
                                  std::string(query) + "' in 1 request; " + quota);
        case sync::Failure::auth:
            return fail(what, "rejected: " + outcome.message,
                        "set JSEARCH_API_KEY to your RapidAPI key and subscribe the app to "
                        "JSearch (rapidapi.com > JSearch > Pricing)");
        default:
            if (outcome.message.find("429") != std::string::npos) {
                return fail(what, "quota or rate limit reached: " + outcome.message,
                            "wait for the quota to reset (x-ratelimit-requests-reset) or "
                            "upgrade the plan");
            }
            return fail(what, outcome.message,
                        "check JSEARCH_BASE_URL and JSEARCH_HOST, and try again later");
    }
}

bool stops_other_probes(const http::Response& response) {
    if (response.transport_failed()) return true;
    return (response.status == 401 || response.status == 403) && code_of(response) != "42501";
}

std::string render_check(const std::vector<CheckLine>& lines, const std::string& note) {
    std::size_t width = 0;
    for (const auto& line : lines) width = std::max(width, line.what.size());
    std::ostringstream out;
    for (const auto& line : lines) {
        out << label(line.verdict) << "  " << line.what
            << std::string(width - line.what.size(), ' ') << "  " << line.detail << '\n';
        if (line.verdict != Verdict::pass && !line.fix.empty()) {
            out << "      " << std::string(width + 2, ' ') << "fix: " << line.fix << '\n';
        }
    }
    const auto failures = std::count_if(lines.begin(), lines.end(), [](const CheckLine& line) {
        return line.verdict == Verdict::fail;
    });
    const auto warnings = std::count_if(lines.begin(), lines.end(), [](const CheckLine& line) {
        return line.verdict == Verdict::warn;
    });
    if (!note.empty()) out << note << '\n';
    out << (failures == 0 ? "check: a sync would work" : "check: a sync would fail") << " ("
        << failures << " failed, " << warnings << " warning" << (warnings == 1 ? "" : "s") << ")\n";
    return out.str();
}

int check_exit_code(const std::vector<CheckLine>& lines) {
    const bool failed = std::any_of(lines.begin(), lines.end(), [](const CheckLine& line) {
        return line.verdict == Verdict::fail;
    });
    return failed ? sync::kExitIncomplete : sync::kExitSuccess;
}

}  // namespace jobsync::commands
