#include "commands/check.hpp"

#include <cstdio>
#include <ostream>
#include <random>

#include "commands/check_report.hpp"
#include "jobs/job_row.hpp"
#include "jsearch/client.hpp"
#include "postgrest/read_request.hpp"
#include "postgrest/reader.hpp"
#include "sync/exit_codes.hpp"

namespace jobsync::commands {

namespace {

// A run id no run has: the heartbeat probe must find nothing to extend.
std::string probe_run_id() {
    std::random_device random;
    char id[64];
    std::snprintf(id, sizeof id, "job-sync-check-%08x%08x", static_cast<unsigned>(random()),
                  static_cast<unsigned>(random()));
    return id;
}

CheckLine probe_jsearch(const config::Settings& settings, Wiring& wiring) {
    http::RetryPolicy once = wiring.policy;
    once.max_attempts = 1;  // one request, as promised: no retries
    jsearch::JsearchClient client(wiring.transport, jsearch_connection(settings, wiring.timeout),
                                  once, wiring.retry);
    sync::SearchQuery query;
    if (!settings.queries.empty()) query = settings.queries.front();
    if (query.text.empty()) query.text = "software developer";
    query.pages = 1;
    query.pages_per_request = 1;
    std::size_t jobs = 0;
    const sync::FetchOutcome outcome =
        client.fetch(query, [&](sync::FetchedPage&& page) { jobs += page.rows.size(); });
    return jsearch_line(outcome, jobs, query.text);
}

}  // namespace

int report_config_problems(const std::vector<std::string>& problems, std::ostream& out) {
    std::vector<CheckLine> lines;
    lines.reserve(problems.size());
    for (const auto& problem : problems) lines.push_back(config_line(problem));
    out << render_check(lines, "nothing was contacted: fix the configuration first");
    out.flush();
    return sync::kExitUsage;
}

int run_check(const config::Settings& settings, Wiring& wiring) {
    std::vector<CheckLine> lines;
    lines.push_back(pass_configuration());
    lines.push_back(queries_line(settings.queries.size()));
    lines.push_back(key_line(settings.supabase_key_kind));

    const postgrest::Endpoint endpoint = supabase_endpoint(settings, wiring.timeout);
    const postgrest::PostgrestReader reader(wiring.transport, endpoint, wiring.policy,
                                            wiring.retry);
    std::vector<std::string_view> columns(jobs::kSyncColumns.begin(), jobs::kSyncColumns.end());
    const auto table = reader.get(settings.jobs_table,
                                  {{"select", postgrest::column_list(columns)}, {"limit", "0"}});
    lines.push_back(
        jobs_table_line(table.response, settings.jobs_table, settings.supabase_url + "/rest/v1/"));

    if (!stops_other_probes(table.response)) {
        const auto runs =
            reader.get("job_sync_runs",
                       {{"select", postgrest::column_list(run_history_columns())}, {"limit", "0"}});
        lines.push_back(runs_table_line(runs.response));

        const std::string probe = probe_run_id();
        lines.push_back(ledger_function_line(
            "job_sync_begin",
            reader.rpc("job_sync_begin", R"({"p_run_id":")" + probe + R"(","p_lease_seconds":0})")
                .response));
        lines.push_back(ledger_function_line(
            "job_sync_heartbeat",
            reader.rpc("job_sync_heartbeat", R"({"p_run_id":")" + probe + R"("})").response));
        lines.push_back(ledger_function_line(
            "job_sync_finish", reader
                                   .rpc("job_sync_finish", R"({"p_run_id":")" + probe +
                                                               R"(","p_status":"check-probe"})")
                                   .response));
        lines.push_back(lease_line(
            reader
                .get("job_sync_runs", {{"select", "run_id,holder,started_at,lease_expires_at"},
                                       {"status", "eq.running"},
                                       {"dry_run", "is.false"},
                                       {"lease_expires_at", "gt.now"},
                                       {"order", "started_at.desc"},
                                       {"limit", "1"}})
                .response));
    }

    std::string note;
    if (settings.check_jsearch) {
        lines.push_back(probe_jsearch(settings, wiring));
    } else {
        note = "JSearch key not tested: add --jsearch to spend one request on it";
    }
    for (auto& check : lines) {
        check.detail = reader.scrub(std::move(check.detail));
    }
    wiring.out << render_check(lines, note);
    wiring.out.flush();
    return check_exit_code(lines);
}

}  // namespace jobsync::commands
