// `job-sync status`'s report (pure): rows of job_sync_runs as PostgREST returns them, turned
// into aligned lines for people or one JSON object for machines.
#pragma once

#include <rapidjson/document.h>

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace jobsync::commands {

struct RunRow {
    std::string run_id;
    std::string status;
    bool dry_run = false;
    std::string started_at;  // as the server wrote it (ISO-8601 with an offset)
    std::string finished_at;
    std::string lease_expires_at;
    std::string holder;
    std::optional<long> queries, requests, billed_requests, jobs_fetched, jobs_skipped,
        jobs_refused, rows_upserted, deactivated, retries;
    std::string error;
    std::optional<long> shard_count;  // > 1: a sharded run (issue 11)
};

// One shard of a sharded run (job_sync_run_shards).
struct ShardRow {
    std::string run_id;
    long shard = 0;
    std::string status;
    std::optional<long> attempts, queries, billed_requests, rows_upserted;
    std::string error;
};

struct StatusReport {
    std::vector<RunRow> runs;            // newest first
    std::optional<RunRow> lease_holder;  // running, lease not expired (the database's clock)
    std::optional<RunRow> last_good;     // the newest succeeded run that was not dry
    std::vector<ShardRow> shards;        // of the sharded runs among `runs`, by run and shard
};

std::vector<RunRow> parse_runs(const rapidjson::Value& rows);
std::vector<ShardRow> parse_shards(const rapidjson::Value& rows);
// The columns of job_sync_run_shards status reads.
std::vector<std::string_view> run_shard_columns();

// "2025-01-04 10:00:00Z" (UTC, seconds); the text unchanged when it does not parse.
std::string format_utc(std::string_view text);
// "12.3 s", "4 min 05 s", "1 h 02 min"; "" when either end is missing or unparsable.
std::string format_duration(std::string_view started_at, std::string_view finished_at);

std::string render_status_text(const StatusReport& report);
std::string render_status_json(const StatusReport& report);  // one line, with a newline

}  // namespace jobsync::commands
