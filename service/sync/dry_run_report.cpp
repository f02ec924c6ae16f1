#include "sync/dry_run_report.hpp"

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

using Writer = rapidjson::Writer<rapidjson::StringBuffer>;

void write_text(Writer& w, const char* key, std::string_view value) {
    w.Key(key);
    w.String(value.data(), static_cast<rapidjson::SizeType>(value.size()));
}

void write_action(Writer& w, const char* key, const PlanAction& action) {
    w.Key(key);
    w.StartObject();
    w.Key("count");
    w.Int64(action.count);
    w.Key("examples");
    w.StartArray();
    for (const auto& example : action.examples) {
        w.StartObject();
        write_text(w, "job_id", example.job_id);
        write_text(w, "title", example.title);
        w.EndObject();
    }
    w.EndArray();
    w.EndObject();
}

void line(std::ostringstream& out, std::string_view label, const std::string& value) {
    report_line(out, label, value, 18);
}

void action_lines(std::ostringstream& out, std::string_view label, const PlanAction& action) {
    line(out, label, std::to_string(action.count));
    for (const auto& example : action.examples) {
        out << "      " << example.job_id;
        if (!example.title.empty()) out << "  " << example.title;
        out << '\n';
    }
}

std::string guard_line(const DryRunPlan& plan) {
    if (!plan.guard) {
        return plan.sweep_would_run ? "off (--max-deactivate-share 1)" : "not consulted";
    }
    const GuardReport& g = *plan.guard;
    const std::string figures =
        std::to_string(g.would_deactivate) + " of " + std::to_string(g.active) + " active jobs (" +
        percent_of(g.would_deactivate, g.active, "0%") + "), limit " + std::to_string(g.limit) +
        " (--max-deactivate-share " + share_text(g.share) + ")";
    if (g.tripped) {
        return "WOULD STOP the sweep: " + figures +
               "; a real run would deactivate nothing and exit 6";
    }
    return "would allow it: " + figures;
}

std::string headline(const DryRunReport& report) {
    switch (exit_code(report)) {
        case kExitSuccess:
            return "dry run: a real run would succeed";
        case kExitGuarded:
            return "dry run: a real run would be guarded: the sweep would deactivate too many "
                   "jobs";
        case kExitAuth:
            return "dry run stopped: a key was rejected";
        case kExitUsage:
            return "dry run not started";
        default:
            return "dry run: a real run would be incomplete: nothing would be deactivated";
    }
}

}  // namespace

int exit_code(const DryRunReport& report) {
    if (report.run_id_reused) return kExitUsage;
    if (report.stop_cause == StopCause::interrupt) return kExitInterrupted;
    if (report.stop_cause == StopCause::terminate) return kExitTerminated;
    const auto failed_with = [&](Failure kind) {
        return std::any_of(report.failures.begin(), report.failures.end(),
                           [kind](const RunFailure& failure) { return failure.kind == kind; });
    };
    if (failed_with(Failure::auth)) return kExitAuth;
    if (failed_with(Failure::quota)) return kExitQuota;
    if (report.stop_cause == StopCause::deadline || failed_with(Failure::deadline)) {
        return kExitDeadline;
    }
    if (!report.failures.empty() || !report.plan) return kExitIncomplete;
    if (report.plan->guard && report.plan->guard->tripped) return kExitGuarded;
    if (!report.plan->sweep_would_run && report.plan->sweep_note != "--no-sweep") {
        return kExitIncomplete;  // nothing fetched
    }
    return kExitSuccess;
}

RunStatus run_status(const DryRunReport& report) {
    switch (exit_code(report)) {
        case kExitSuccess:
            return RunStatus::succeeded;
        case kExitGuarded:
            return RunStatus::guarded;
        default:
            return RunStatus::failed;
    }
}

std::string render_details(const DryRunReport& report) {
    rapidjson::StringBuffer buffer;
    Writer w(buffer);
    w.StartObject();
    w.Key("dry_run");
    w.StartObject();
    if (report.plan) {
        const DryRunPlan& plan = *report.plan;
        w.Key("insert");
        w.Int64(plan.insert.count);
        w.Key("update");
        w.Int64(plan.update.count);
        w.Key("reactivate");
        w.Int64(plan.reactivate.count);
        w.Key("deactivate");
        w.Int64(plan.deactivate.count);
        w.Key("sweep_would_run");
        w.Bool(plan.sweep_would_run);
        w.Key("guard");
        write_guard_json(w, plan.guard);
    }
    w.EndObject();
    w.EndObject();
    return {buffer.GetString(), buffer.GetSize()};
}

std::string render_text(const DryRunReport& report) {
    std::ostringstream out;
    out << "job-sync: " << headline(report) << " (exit " << exit_code(report) << ")\n";
    out << "  nothing was written to the table";
    if (!report.run_id.empty()) out << "; run " << report.run_id << " is recorded as a dry run";
    out << "\n";
    line(out, "queries",
         std::to_string(report.queries) +
             (report.queries_failed > 0 ? " (" + std::to_string(report.queries_failed) + " failed)"
                                        : std::string()));
    line(out, "requests",
         std::to_string(report.requests) + " (billed " + std::to_string(report.billed_requests) +
             ")");
    line(out, "jobs fetched",
         std::to_string(report.jobs_fetched) + " (" + std::to_string(report.duplicates) +
             " duplicates, " + std::to_string(report.jobs_skipped) + " skipped)");
    if (report.plan) {
        const DryRunPlan& plan = *report.plan;
        action_lines(out, "would insert", plan.insert);
        action_lines(out, "would update", plan.update);
        action_lines(out, "would reactivate", plan.reactivate);
        if (plan.sweep_would_run || (plan.guard && plan.guard->tripped)) {
            action_lines(out, "would deactivate", plan.deactivate);
        } else {
            line(out, "would deactivate",
                 "0: the sweep would be skipped (" + plan.sweep_note + "); it would reach " +
                     std::to_string(plan.deactivate.count));
        }
        line(out, "guard", guard_line(plan));
    }
    if (!report.lease_note.empty()) line(out, "lease", report.lease_note);
    if (report.quota_remaining) {
        line(out, "quota left", std::to_string(*report.quota_remaining) + " requests");
    }
    line(out, "retries", std::to_string(report.retries));
    line(out, "duration", seconds_text(report.duration_ms));
    for (const auto& failure : report.failures) {
        out << "  failed: " << failure.message << '\n';
    }
    if (!report.ledger_warning.empty()) out << "  warning: " << report.ledger_warning << '\n';
    return out.str();
}

std::string render_json(const DryRunReport& report) {
    rapidjson::StringBuffer buffer;
    Writer w(buffer);
    w.StartObject();
    w.Key("dry_run");
    w.Bool(true);
    w.Key("exit_code");
    w.Int(exit_code(report));
    write_text(w, "run_id", report.run_id);
    write_text(w, "run_started_at", report.run_started_at);
    w.Key("queries");
    w.Uint64(report.queries);
    w.Key("queries_failed");
    w.Uint64(report.queries_failed);
    w.Key("requests");
    w.Int64(report.requests);
    w.Key("billed_requests");
    w.Int64(report.billed_requests);
    w.Key("jobs_fetched");
    w.Uint64(report.jobs_fetched);
    w.Key("jobs_skipped");
    w.Uint64(report.jobs_skipped);
    w.Key("duplicates");
    w.Uint64(report.duplicates);
    w.Key("retries");
    w.Int64(report.retries);
    if (report.plan) {
        const DryRunPlan& plan = *report.plan;
        write_action(w, "would_insert", plan.insert);
        write_action(w, "would_update", plan.update);
        write_action(w, "would_reactivate", plan.reactivate);
        write_action(w, "would_deactivate", plan.deactivate);
        w.Key("sweep_would_run");
        w.Bool(plan.sweep_would_run);
        write_text(w, "sweep_note", plan.sweep_note);
        w.Key("guard");
        write_guard_json(w, plan.guard);
    }
    write_text(w, "lease_note", report.lease_note);
    w.Key("failures");
    write_failures_json(w, report.failures);
    w.Key("duration_ms");
    w.Int64(report.duration_ms);
    w.EndObject();
    return {buffer.GetString(), buffer.GetSize()};
}

}  // namespace jobsync::sync
