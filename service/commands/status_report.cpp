#include "commands/status_report.hpp"

#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include <cstdio>
#include <sstream>

#include "postgrest/read_request.hpp"
#include "text/timestamps.hpp"

namespace jobsync::commands {

namespace {

std::string count_text(const std::optional<long>& value) {
    return value ? std::to_string(*value) : std::string("-");
}

using Writer = rapidjson::Writer<rapidjson::StringBuffer>;

void write_text(Writer& w, const char* key, std::string_view value) {
    w.Key(key);
    if (value.empty()) {
        w.Null();
    } else {
        w.String(value.data(), static_cast<rapidjson::SizeType>(value.size()));
    }
}

void write_count(Writer& w, const char* key, const std::optional<long>& value) {
    w.Key(key);
    if (value) {
        w.Int64(*value);
    } else {
        w.Null();
    }
}

void write_run(Writer& w, const RunRow& run) {
    w.StartObject();
    write_text(w, "run_id", run.run_id);
    write_text(w, "status", run.status);
    w.Key("dry_run");
    w.Bool(run.dry_run);
    write_text(w, "started_at", run.started_at);
    write_text(w, "finished_at", run.finished_at);
    w.Key("duration_ms");
    const auto start = text::parse_iso8601(run.started_at);
    const auto end = text::parse_iso8601(run.finished_at);
    if (start && end) {
        w.Int64((*end - *start) / 1000);
    } else {
        w.Null();
    }
    write_text(w, "lease_expires_at", run.lease_expires_at);
    write_text(w, "holder", run.holder);
    write_count(w, "queries", run.queries);
    write_count(w, "requests", run.requests);
    write_count(w, "billed_requests", run.billed_requests);
    write_count(w, "jobs_fetched", run.jobs_fetched);
    write_count(w, "jobs_skipped", run.jobs_skipped);
    write_count(w, "jobs_refused", run.jobs_refused);
    write_count(w, "rows_upserted", run.rows_upserted);
    write_count(w, "deactivated", run.deactivated);
    write_count(w, "retries", run.retries);
    write_text(w, "error", run.error);
    write_count(w, "shard_count", run.shard_count);
    w.EndObject();
}

void write_shards(Writer& w, const StatusReport& report, const std::string& run_id) {
    w.StartArray();
    for (const auto& shard : report.shards) {
        if (shard.run_id != run_id) continue;
        w.StartObject();
        w.Key("shard");
        w.Int64(shard.shard);
        write_text(w, "status", shard.status);
        write_count(w, "attempts", shard.attempts);
        write_count(w, "queries", shard.queries);
        write_count(w, "billed_requests", shard.billed_requests);
        write_count(w, "rows_upserted", shard.rows_upserted);
        write_text(w, "error", shard.error);
        w.EndObject();
    }
    w.EndArray();
}

// One line of text: control characters (a multi-line error) become spaces.
std::string one_line(std::string text) {
    for (char& c : text) {
        if (static_cast<unsigned char>(c) < 0x20) c = ' ';
    }
    return text;
}

std::string pad(std::string text, std::size_t width) {
    if (text.size() < width) text.append(width - text.size(), ' ');
    return text;
}

}  // namespace

std::vector<RunRow> parse_runs(const rapidjson::Value& rows) {
    std::vector<RunRow> runs;
    if (!rows.IsArray()) return runs;
    using postgrest::number_member;
    using postgrest::text_member;
    for (const auto& row : rows.GetArray()) {
        if (!row.IsObject()) continue;
        RunRow run;
        run.run_id = text_member(row, "run_id");
        run.status = text_member(row, "status");
        run.dry_run = postgrest::true_member(row, "dry_run");
        run.started_at = text_member(row, "started_at");
        run.finished_at = text_member(row, "finished_at");
        run.lease_expires_at = text_member(row, "lease_expires_at");
        run.holder = text_member(row, "holder");
        run.queries = number_member(row, "queries");
        run.requests = number_member(row, "requests");
        run.billed_requests = number_member(row, "billed_requests");
        run.jobs_fetched = number_member(row, "jobs_fetched");
        run.jobs_skipped = number_member(row, "jobs_skipped");
        run.jobs_refused = number_member(row, "jobs_refused");
        run.rows_upserted = number_member(row, "rows_upserted");
        run.deactivated = number_member(row, "deactivated");
        run.retries = number_member(row, "retries");
        run.error = text_member(row, "error");
        run.shard_count = number_member(row, "shard_count");
        runs.push_back(std::move(run));
    }
    return runs;
}

std::vector<std::string_view> run_shard_columns() {
    return {"run_id",  "shard",           "status",        "attempts",
            "queries", "billed_requests", "rows_upserted", "error"};
}

std::vector<ShardRow> parse_shards(const rapidjson::Value& rows) {
    std::vector<ShardRow> shards;
    if (!rows.IsArray()) return shards;
    for (const auto& row : rows.GetArray()) {
        if (!row.IsObject()) continue;
        ShardRow shard;
        shard.run_id = postgrest::text_member(row, "run_id");
        shard.shard = postgrest::number_member(row, "shard").value_or(0);
        shard.status = postgrest::text_member(row, "status");
        shard.attempts = postgrest::number_member(row, "attempts");
        shard.queries = postgrest::number_member(row, "queries");
        shard.billed_requests = postgrest::number_member(row, "billed_requests");
        shard.rows_upserted = postgrest::number_member(row, "rows_upserted");
        shard.error = postgrest::text_member(row, "error");
        shards.push_back(std::move(shard));
    }
    return shards;
}

std::string format_utc(std::string_view text) {
    const auto micros = text::parse_iso8601(text);
    if (!micros) return std::string(text);
    std::int64_t seconds = *micros / 1000000;
    if (*micros < 0 && *micros % 1000000 != 0) --seconds;
    return text::format_utc(seconds, "%Y-%m-%d %H:%M:%SZ");
}

std::string format_duration(std::string_view started_at, std::string_view finished_at) {
    const auto start = text::parse_iso8601(started_at);
    const auto end = text::parse_iso8601(finished_at);
    if (!start || !end || *end < *start) return {};
    const std::int64_t ms = (*end - *start) / 1000;
    char out[32];
    if (ms < 60000) {
        std::snprintf(out, sizeof out, "%lld.%lld s", static_cast<long long>(ms / 1000),
                      static_cast<long long>(ms % 1000 / 100));
    } else if (ms < 3600000) {
        std::snprintf(out, sizeof out, "%lld min %02lld s", static_cast<long long>(ms / 60000),
                      static_cast<long long>(ms % 60000 / 1000));
    } else {
        std::snprintf(out, sizeof out, "%lld h %02lld min", static_cast<long long>(ms / 3600000),
                      static_cast<long long>(ms % 3600000 / 60000));
    }
    return out;
}

std::string render_status_text(const StatusReport& report) {
    std::ostringstream out;
    if (report.lease_holder) {
        const RunRow& run = *report.lease_holder;
        out << "lease: held by run " << run.run_id << " (holder "
            << (run.holder.empty() ? "unknown" : run.holder) << ") since "
            << format_utc(run.started_at) << ", until " << format_utc(run.lease_expires_at) << "\n";
    } else {
        out << "lease: free (no run holds it now)\n";
    }
    if (report.last_good) {
        const RunRow& run = *report.last_good;
        out << "last good sync: "
            << format_utc(run.finished_at.empty() ? run.started_at : run.finished_at) << " (run "
            << run.run_id << ", " << count_text(run.rows_upserted) << " upserted, "
            << count_text(run.deactivated) << " deactivated)\n";
    } else {
        out << "last good sync: none recorded\n";
    }
    if (report.runs.empty()) {
        out << "no runs recorded in job_sync_runs yet\n";
        return out.str();
    }
    out << "\n";
    const std::vector<std::string> header{
        "started (UTC)", "took",    "status", "queries", "requests", "billed", "fetched",
        "upserted",      "refused", "deact.", "retries", "run_id",   "error"};
    std::vector<std::vector<std::string>> table{header};
    for (const auto& run : report.runs) {
        const bool best = report.last_good && run.run_id == report.last_good->run_id;
        std::string status = run.status + (run.dry_run ? " (dry)" : "");
        if (run.shard_count.value_or(1) > 1) {
            status += " (" + std::to_string(*run.shard_count) + " shards)";
        }
        std::string took = format_duration(run.started_at, run.finished_at);
        if (took.empty()) took = run.status == "running" ? "..." : "-";
        table.push_back({(best ? "* " : "  ") + format_utc(run.started_at), took, status,
                         count_text(run.queries), count_text(run.requests),
                         count_text(run.billed_requests), count_text(run.jobs_fetched),
                         count_text(run.rows_upserted), count_text(run.jobs_refused),
                         count_text(run.deactivated), count_text(run.retries), run.run_id,
                         one_line(run.error)});
    }
    table[0][0] = "  " + table[0][0];
    std::vector<std::size_t> widths(header.size(), 0);
    for (const auto& row : table) {
        for (std::size_t i = 0; i < row.size(); ++i) {
            widths[i] = std::max(widths[i], row[i].size());
        }
    }
    for (const auto& row : table) {
        std::string text;
        for (std::size_t i = 0; i < row.size(); ++i) {
            const bool last = i + 1 == row.size();
            text += last ? row[i] : pad(row[i], widths[i]) + "  ";
        }
        while (!text.empty() && text.back() == ' ') text.pop_back();
        out << text << '\n';
    }
    if (report.last_good) out << "(* the last good sync)\n";
    // The shards of each sharded run listed: who failed, who was retried.
    std::string shown;
    for (const auto& shard : report.shards) {
        if (shard.run_id != shown) {
            shown = shard.run_id;
            out << "\nshards of run " << shard.run_id << ":\n";
        }
        out << "  shard " << shard.shard << "  " << pad(shard.status, 10) << "  queries "
            << count_text(shard.queries) << "  billed " << count_text(shard.billed_requests)
            << "  upserted " << count_text(shard.rows_upserted) << "  attempts "
            << count_text(shard.attempts);
        if (!shard.error.empty()) out << "  " << one_line(shard.error);
        out << "\n";
    }
    return out.str();
}

std::string render_status_json(const StatusReport& report) {
    rapidjson::StringBuffer buffer;
    Writer w(buffer);
    w.StartObject();
    w.Key("lease");
    w.StartObject();
    w.Key("held");
    w.Bool(report.lease_holder.has_value());
    if (report.lease_holder) {
        write_text(w, "run_id", report.lease_holder->run_id);
        write_text(w, "holder", report.lease_holder->holder);
        write_text(w, "since", report.lease_holder->started_at);
        write_text(w, "until", report.lease_holder->lease_expires_at);
    }
    w.EndObject();
    w.Key("last_good_sync");
    if (report.last_good) {
        write_run(w, *report.last_good);
    } else {
        w.Null();
    }
    w.Key("runs");
    w.StartArray();
    for (const auto& run : report.runs) write_run(w, run);
    w.EndArray();
    w.Key("run_shards");
    w.StartObject();
    for (const auto& run : report.runs) {
        if (run.shard_count.value_or(1) <= 1) continue;
        w.Key(run.run_id.c_str(), static_cast<rapidjson::SizeType>(run.run_id.size()));
        write_shards(w, report, run.run_id);
    }
    w.EndObject();
    w.EndObject();
    return std::string(buffer.GetString(), buffer.GetSize()) + "\n";
}

}  // namespace jobsync::commands
