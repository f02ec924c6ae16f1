#include "sync/summary.hpp"

#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include <cstdio>
#include <sstream>

#include "sync/exit_codes.hpp"

namespace jobsync::sync {

namespace {

std::string_view outcome_phrase(int code) {
    switch (code) {
        case kExitSuccess:
            return "sync complete";
        case kExitAuth:
            return "sync stopped: a key was rejected";
        default:
            return "sync incomplete: nothing was deactivated";
    }
}

void line(std::ostringstream& out, std::string_view label, const std::string& value) {
    out << "  " << label;
    for (std::size_t i = label.size(); i < 15; ++i) out << ' ';
    out << value << '\n';
}

std::string seconds(long long ms) {
    char text[32];
    std::snprintf(text, sizeof text, "%lld.%03lld s", ms / 1000, ms % 1000);
    return text;
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
    }
    return "unknown";
}

int exit_code(const RunSummary& summary) {
    for (const auto& failure : summary.failures) {
        if (failure.kind == Failure::auth) return kExitAuth;
    }
    const bool complete = summary.queries_failed == 0 && summary.queries_not_run == 0 &&
                          summary.batches_failed == 0 && summary.failures.empty() &&
                          summary.sweep_done;
    return complete ? kExitSuccess : kExitIncomplete;
}

std::string render_text(const RunSummary& s) {
    const int code = exit_code(s);
    std::ostringstream out;
    out << "job-sync: " << outcome_phrase(code) << " (exit " << code << ")\n";

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
    line(out, "duplicates", std::to_string(s.duplicates));
    line(out, "rows upserted",
         std::to_string(s.rows_upserted) + " in " + std::to_string(s.batches) + " batches (" +
             std::to_string(s.batches_failed) + " failed)");
    if (s.sweep_done) {
        line(out, "deactivated", std::to_string(s.deactivated));
    } else if (!s.sweep_skipped_reason.empty()) {
        line(out, "deactivated", "0 (sweep skipped: " + s.sweep_skipped_reason + ")");
    } else {
        line(out, "deactivated", "0 (sweep failed)");
    }
    line(out, "retries", std::to_string(s.retries));
    line(out, "quota left",
         s.quota_remaining ? std::to_string(*s.quota_remaining) : std::string("unknown"));
    line(out, "duration", seconds(s.duration_ms));
    if (!s.failures.empty()) {
        out << "failures:\n";
        for (const auto& failure : s.failures) out << "  - " << failure.message << '\n';
    }
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
    count("rows_upserted", s.rows_upserted);
    count("batches", s.batches);
    count("batches_failed", s.batches_failed);
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
    w.Key("failures");
    w.StartArray();
    for (const auto& failure : s.failures) {
        w.StartObject();
        text("step", to_string(failure.step));
        text("kind", to_string(failure.kind));
        text("message", failure.message);
        w.EndObject();
    }
    w.EndArray();
    w.EndObject();
    return {buffer.GetString(), buffer.GetSize()};
}

}  // namespace jobsync::sync
