#include "commands/status.hpp"

#include <ostream>

#include "commands/check_report.hpp"
#include "commands/status_report.hpp"
#include "postgrest/read_request.hpp"
#include "postgrest/reader.hpp"
#include "postgrest/response.hpp"
#include "sync/exit_codes.hpp"

namespace jobsync::commands {

namespace {

constexpr const char* kRuns = "job_sync_runs";

// The rows, or an exit code after printing why they could not be read.
std::optional<std::vector<RunRow>> read_runs(const postgrest::PostgrestReader& reader,
                                             http::QueryParams params, std::ostream& err,
                                             int& exit_code) {
    std::vector<std::string_view> columns = run_history_columns();
    columns.emplace_back("shard_count");
    params.insert(params.begin(), {"select", postgrest::column_list(columns)});
    const auto sent = reader.get(kRuns, params);
    const auto rows = postgrest::parse_rows(sent.response);
    if (rows) return parse_runs(*rows);
    const auto failure = postgrest::classify_failure(sent.response, kRuns);
    std::string message = "job-sync status: cannot read job_sync_runs: " + failure.message;
    if (!sent.response.transport_failed() && sent.response.status == 404) {
        message += "; apply " + std::string(kRunsMigration) + " to the project";
    }
    err << reader.scrub(message) << "\n";
    exit_code = failure.failure == sync::Failure::auth ? sync::kExitAuth : sync::kExitIncomplete;
    return std::nullopt;
}

// The shards of the sharded runs listed (issue 11). Best effort: on a table that predates the
// shard columns of the run-history migration (or on any failure) the report simply shows no
// shard lines.
std::vector<ShardRow> read_shards(const postgrest::PostgrestReader& reader,
                                  const std::vector<RunRow>& runs) {
    std::vector<std::string> sharded;
    for (const auto& run : runs) {
        if (run.shard_count.value_or(1) > 1) sharded.push_back(run.run_id);
    }
    std::vector<ShardRow> shards;
    if (sharded.empty()) return shards;
    for (const auto& value : postgrest::in_list_values(sharded, 2000, 50)) {
        const auto sent = reader.get("job_sync_run_shards",
                                     {{"select", postgrest::column_list(run_shard_columns())},
                                      {"run_id", value},
                                      {"order", "run_id.asc,shard.asc"}});
        const auto rows = postgrest::parse_rows(sent.response);
        if (!rows) return {};
        for (auto& shard : parse_shards(*rows)) shards.push_back(std::move(shard));
    }
    // In the order the runs are listed (newest first).
    std::vector<ShardRow> ordered;
    for (const auto& id : sharded) {
        for (const auto& shard : shards) {
            if (shard.run_id == id) ordered.push_back(shard);
        }
    }
    return ordered;
}

}  // namespace

int run_status(const config::Settings& settings, Wiring& wiring) {
    const postgrest::Endpoint endpoint = supabase_endpoint(settings, wiring.timeout);
    const postgrest::PostgrestReader reader(wiring.transport, endpoint, wiring.policy,
                                            wiring.retry);
    int exit_code = sync::kExitSuccess;
    StatusReport report;
    auto runs = read_runs(
        reader,
        {{"order", "started_at.desc,id.desc"}, {"limit", std::to_string(settings.status_limit)}},
        wiring.err, exit_code);
    if (!runs) return exit_code;
    report.runs = std::move(*runs);
    report.shards = read_shards(reader, report.runs);

    // The lease by the database's clock: 'now' is PostgreSQL's input for the current time.
    auto holders = read_runs(reader,
                             {{"status", "eq.running"},
                              {"dry_run", "is.false"},
                              {"lease_expires_at", "gt.now"},
                              {"order", "started_at.desc"},
                              {"limit", "1"}},
                             wiring.err, exit_code);
    if (!holders) return exit_code;
    if (!holders->empty()) report.lease_holder = holders->front();

    auto good = read_runs(reader,
                          {{"status", "eq.succeeded"},
                           {"dry_run", "is.false"},
                           {"order", "started_at.desc,id.desc"},
                           {"limit", "1"}},
                          wiring.err, exit_code);
    if (!good) return exit_code;
    if (!good->empty()) report.last_good = good->front();

    wiring.out << (settings.status_json ? render_status_json(report) : render_status_text(report));
    wiring.out.flush();
    return sync::kExitSuccess;
}

}  // namespace jobsync::commands
