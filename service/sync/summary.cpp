#include "sync/summary.hpp"

#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <sstream>

#include "sync/exit_codes.hpp"
#include "sync/report_format.hpp"

namespace jobsync::sync {

namespace {

std::string_view outcome_phrase(int code) {
    switch (code) {
        case kExitSuccess:
            return "sync complete";
        case kExitAuth:
            return "sync stopped: a key was rejected";
        case kExitRefused:
            return "sync refused: another run holds the lease; nothing was fetched";
        case kExitGuarded:
            return "sync guarded: the sweep would deactivate too many jobs; nothing was "
                   "deactivated";
        case kExitUsage:
            return "sync not started";
        case kExitQuota:
            return "sync stopped: JSearch quota or request budget spent; nothing was deactivated";
        case kExitDeadline:
            return "sync stopped: deadline passed; nothing was deactivated";
        case kExitInterrupted:
        case kExitTerminated:
            return "sync cancelled by a signal; nothing was deactivated";
        default:
            return "sync incomplete: nothing was deactivated";
    }
}

using Writer = rapidjson::Writer<rapidjson::StringBuffer>;

void write_text(Writer& w, const char* key, std::string_view value) {
    w.Key(key);
    w.String(value.data(), static_cast<rapidjson::SizeType>(value.size()));
}

void write_refused_jobs(Writer& w, const RunSummary& s) {
    w.StartArray();
    for (const auto& job : s.refused_jobs) {
        w.StartObject();
        write_text(w, "job_id", job.job_id);
        write_text(w, "code", job.code);
        write_text(w, "message", job.message);
        w.EndObject();
    }
    w.EndArray();
}

void line(std::ostringstream& out, std::string_view label, const std::string& value) {
    report_line(out, label, value, 15);
}

}  // namespace

std::string_view to_string(RunFailure::Step step) {
    switch (step) {
        case RunFailure::Step::query:
            return "query";
        case RunFailure::Step::batch:
            return "batch";
        case RunFailure::Step::sweep:
            return "sweep";
        case RunFailure::Step::lease:
            return "lease";
        case RunFailure::Step::touch:
            return "touch";
    }
    return "unknown";
}

namespace {

bool has_failure(const RunSummary& summary, Failure kind) {
    return std::any_of(summary.failures.begin(), summary.failures.end(),
                       [kind](const RunFailure& failure) { return failure.kind == kind; });
}

}  // namespace

int exit_code(const RunSummary& summary) {
    if (summary.lease_refused) return kExitRefused;
    if (summary.run_id_reused) return kExitUsage;
    // The operator's signal next: a supervisor waiting for 143 must see it.
    if (summary.stop_cause == StopCause::interrupt) return kExitInterrupted;
    if (summary.stop_cause == StopCause::terminate) return kExitTerminated;
    if (has_failure(summary, Failure::auth)) return kExitAuth;
    if (has_failure(summary, Failure::quota)) return kExitQuota;
    if (summary.stop_cause == StopCause::deadline || has_failure(summary, Failure::deadline)) {
        return kExitDeadline;
    }
    const bool fetched_and_stored = summary.queries_failed == 0 && summary.queries_not_run == 0 &&
                                    summary.batches_failed == 0 && summary.failures.empty();
    if (fetched_and_stored && summary.guard && summary.guard->tripped) return kExitGuarded;
    const bool complete = fetched_and_stored &&
                          (summary.sweep_done || summary.sweep_disabled || summary.sweep_deferred);
    return complete ? kExitSuccess : kExitIncomplete;
}

RunStatus run_status(const RunSummary& summary) {
    switch (exit_code(summary)) {
        case kExitSuccess:
            return RunStatus::succeeded;
        case kExitGuarded:
            return RunStatus::guarded;
        case kExitRefused:
            return RunStatus::refused;
        case kExitInterrupted:
        case kExitTerminated:
            return RunStatus::cancelled;
        default:  // quota and deadline stops too, with the reason in `error`
            return RunStatus::failed;
    }
}

std::string guard_message(const GuardReport& g) {
    const std::string would = g.would_deactivate < 0
                                  ? "more than " + std::to_string(g.limit)
                                  : std::to_string(g.would_deactivate) + " (" +
                                        percent_of(g.would_deactivate, g.active, "?%") + ")";
    std::string text = "mass-deactivation guard: the sweep would deactivate " + would + " of " +
                       std::to_string(g.active) + " active jobs; --max-deactivate-share " +
                       share_text(g.share) + " allows " + std::to_string(g.limit);
    if (!g.tripped) return text;
    return text +
           ". Nothing was deactivated. If the feed really lost these jobs, run again with "
           "--max-deactivate-share 1; for an ad-hoc run of a few queries, use --no-sweep";
}

std::string run_error(const RunSummary& s) {
    if (s.lease_refused) return s.lease_message;
    if (!s.failures.empty()) {
        std::string text = s.failures.front().message;
        const bool signalled =
            s.stop_cause == StopCause::interrupt || s.stop_cause == StopCause::terminate;
        if (signalled && text.rfind("stopped by ", 0) != 0) {
            text = "stopped by " + std::string(to_string(s.stop_cause)) + ": " + text;
        } else if (s.stop_cause == StopCause::deadline &&
                   text.rfind("the run's deadline passed", 0) != 0) {
            text = "deadline passed: " + text;
        }
        if (s.failures.size() > 1) {
            text += " (and " + std::to_string(s.failures.size() - 1) + " more failure(s))";
        }
        return text;
    }
    if (s.guard && s.guard->tripped) return guard_message(*s.guard);
    if (exit_code(s) != kExitSuccess && !s.sweep_skipped_reason.empty()) {
        return "sweep skipped: " + s.sweep_skipped_reason;
    }
    return {};
}

std::string refused_jobs_json(const RunSummary& s) {
    rapidjson::StringBuffer buffer;
    Writer w(buffer);
    write_refused_jobs(w, s);
    return {buffer.GetString(), buffer.GetSize()};
}

std::string render_details(const RunSummary& s) {
    rapidjson::StringBuffer buffer;
    Writer w(buffer);
    w.StartObject();
    w.Key("exit_code");
    w.Int(exit_code(s));
    w.Key("refused_jobs");
    write_refused_jobs(w, s);
    w.Key("rows_touched");
    w.Int64(s.rows_touched);
    w.Key("guard");
    write_guard_json(w, s.guard);
    w.Key("sweep_disabled");
    w.Bool(s.sweep_disabled);
    w.Key("batch_rows_limit");
    if (s.batch_rows_limit > 0) {
        w.Uint64(s.batch_rows_limit);
    } else {
        w.Null();
    }
    w.Key("batches");
    w.Uint64(s.batches);
    w.Key("failures");
    write_failures_json(w, s.failures);
    w.EndObject();
    return {buffer.GetString(), buffer.GetSize()};
}

std::string render_text(const RunSummary& s) {
    const int code = exit_code(s);
    std::ostringstream out;
    out << "job-sync: " << outcome_phrase(code) << " (exit " << code << ")\n";
    if (!s.run_id.empty()) line(out, "run id", s.run_id);
    if (s.shard_count > 1) {
        line(out, "shard",
             std::to_string(s.shard) + "/" + std::to_string(s.shard_count) +
                 (s.sweep_claimed ? " (the last to succeed: swept for the whole run)" : ""));
    }
    if (s.lease_refused) {
        line(out, "lease", s.lease_message);
        return out.str();
    }

    std::string queries = std::to_string(s.queries);
    if (s.queries_failed > 0 || s.queries_not_run > 0) {
        queries += " (" + std::to_string(s.queries_failed) + " failed";
        if (s.queries_not_run > 0) queries += ", " + std::to_string(s.queries_not_run) + " not run";
        queries += ")";
    }
    line(out, "queries", queries);
    line(out, "requests",
         std::to_string(s.requests) + " (billed " + std::to_string(s.billed_requests) + ")");
    line(out, "pages", std::to_string(s.pages));
    line(out, "jobs fetched", std::to_string(s.jobs_fetched));
    line(out, "jobs skipped", std::to_string(s.jobs_skipped));
    line(out, "fields nulled", std::to_string(s.fields_nulled));
    line(out, "duplicates",
         std::to_string(s.duplicates) +
             (s.rows_resent > 0 ? " (" + std::to_string(s.rows_resent) +
                                      " sent again: an earlier query's copy came later)"
                                : std::string()));
    line(out, "rows upserted",
         std::to_string(s.rows_upserted) + " in " + std::to_string(s.batches) + " batches (" +
             std::to_string(s.batches_failed) + " failed)");
    if (s.batch_rows_limit > 0) {
        line(out, "batch size",
             "lowered to " + std::to_string(s.batch_rows_limit) +
                 " rows (the server refused larger batches: 413 or timeout)");
    }
    if (!s.refused_jobs.empty() || s.rows_touched > 0) {
        line(out, "jobs refused",
             std::to_string(s.refused_jobs.size()) + " (" + std::to_string(s.rows_touched) +
                 " already in the table, kept active)");
    }
    if (s.sweep_done) {
        line(out, "deactivated", std::to_string(s.deactivated));
    } else if (s.guard && s.guard->tripped) {
        line(out, "deactivated", "0 (" + guard_message(*s.guard) + ")");
    } else if (s.sweep_disabled) {
        line(out, "deactivated", "0 (sweep skipped on purpose: --no-sweep)");
    } else if (s.sweep_deferred) {
        line(out, "deactivated", "0 here (" + s.sweep_skipped_reason + ")");
    } else if (!s.sweep_skipped_reason.empty()) {
        line(out, "deactivated", "0 (sweep skipped: " + s.sweep_skipped_reason + ")");
    } else {
        line(out, "deactivated", "0 (sweep failed)");
    }
    line(out, "retries", std::to_string(s.retries));
    line(out, "quota left",
         s.quota_remaining ? std::to_string(*s.quota_remaining) : std::string("unknown"));
    line(out, "duration", seconds_text(s.duration_ms));
    if (!s.refused_jobs.empty()) {
        out << "refused jobs (the database refused their data; everything else was stored):\n";
        for (const auto& job : s.refused_jobs) {
            out << "  - " << job.job_id << ": " << job.code << " " << job.message << '\n';
        }
    }
    if (s.stop_cause != StopCause::none)
        line(out, "stopped by", std::string(to_string(s.stop_cause)));
    if (!s.failures.empty()) {
        out << "failures:\n";
        for (const auto& failure : s.failures) out << "  - " << failure.message << '\n';
    }
    if (!s.ledger_warning.empty()) out << "warning: " << s.ledger_warning << '\n';
    return out.str();
}

std::string render_json(const RunSummary& s) {
    rapidjson::StringBuffer buffer;
    rapidjson::Writer<rapidjson::StringBuffer> w(buffer);
    const auto count = [&w](const char* key, auto value) {
        w.Key(key);
        w.Int64(static_cast<int64_t>(value));
    };
    const auto text = [&w](const char* key, std::string_view value) {
        w.Key(key);
        w.String(value.data(), static_cast<rapidjson::SizeType>(value.size()));
    };

    w.StartObject();
    count("exit_code", exit_code(s));
    text("status", to_string(run_status(s)));
    text("run_id", s.run_id);
    text("run_started_at", s.run_started_at);
    if (s.shard_count > 1) {
        count("shard", s.shard);
        count("shard_count", s.shard_count);
        w.Key("sweep_deferred");
        w.Bool(s.sweep_deferred);
        w.Key("sweep_claimed");
        w.Bool(s.sweep_claimed);
    }
    w.Key("lease_refused");
    w.Bool(s.lease_refused);
    if (s.lease_refused) text("lease", s.lease_message);
    count("queries", s.queries);
    count("queries_failed", s.queries_failed);
    count("queries_not_run", s.queries_not_run);
    count("requests", s.requests);
    count("billed_requests", s.billed_requests);
    count("pages", s.pages);
    count("jobs_fetched", s.jobs_fetched);
    count("jobs_skipped", s.jobs_skipped);
    count("fields_nulled", s.fields_nulled);
    count("duplicates", s.duplicates);
    count("rows_resent", s.rows_resent);
    count("rows_upserted", s.rows_upserted);
    count("batches", s.batches);
    count("batches_failed", s.batches_failed);
    count("jobs_refused", s.refused_jobs.size());
    w.Key("refused_jobs");
    write_refused_jobs(w, s);
    count("rows_touched", s.rows_touched);
    w.Key("batch_rows_limit");
    if (s.batch_rows_limit > 0) {
        w.Uint64(s.batch_rows_limit);
    } else {
        w.Null();
    }
    w.Key("sweep_disabled");
    w.Bool(s.sweep_disabled);
    w.Key("guard");
    write_guard_json(w, s.guard);
    w.Key("sweep_done");
    w.Bool(s.sweep_done);
    count("deactivated", s.deactivated);
    w.Key("sweep_skipped_reason");
    if (s.sweep_skipped_reason.empty()) {
        w.Null();
    } else {
        w.String(s.sweep_skipped_reason.c_str(),
                 static_cast<rapidjson::SizeType>(s.sweep_skipped_reason.size()));
    }
    count("retries", s.retries);
    w.Key("quota_remaining");
    if (s.quota_remaining) {
        w.Int64(*s.quota_remaining);
    } else {
        w.Null();
    }
    count("duration_ms", s.duration_ms);
    w.Key("stopped_by");
    if (s.stop_cause == StopCause::none) {
        w.Null();
    } else {
        const std::string_view cause = to_string(s.stop_cause);
        w.String(cause.data(), static_cast<rapidjson::SizeType>(cause.size()));
    }
    count("planned_billed_requests", s.planned_billed_requests);
    w.Key("failures");
    write_failures_json(w, s.failures);
    if (!s.ledger_warning.empty()) text("ledger_warning", s.ledger_warning);
    w.EndObject();
    return {buffer.GetString(), buffer.GetSize()};
}

}  // namespace jobsync::sync
