#include "output/run_files.hpp"

#include <spdlog/spdlog.h>

#include <cstdint>
#include <stdexcept>

#include "logging/event.hpp"
#include "output/atomic_file.hpp"
#include "output/metrics.hpp"
#include "output/report.hpp"
#include "sync/exit_codes.hpp"

namespace jobsync::output {

namespace {

bool write_one(const char* option, const std::string& path, const std::string& content) {
    try {
        write_file_atomically(path, content);
        spdlog::debug("{} written to {}", option, path);
        return true;
    } catch (const std::exception& e) {
        spdlog::error("{}: {}", option, e.what());
        return false;
    }
}

}  // namespace

std::vector<std::string> check_run_files(const RunFiles& files) {
    std::vector<std::string> problems;
    const auto check = [&problems](const char* option, const std::string& path) {
        if (path.empty()) return;
        if (const auto reason = unwritable_reason(path)) {
            problems.push_back(std::string(option) + " " + path + " cannot be written: " + *reason);
        }
    };
    check("--report", files.report_file);
    check("--metrics-file", files.metrics_file);
    return problems;
}

void log_run_finished(const RunRecord& record) {
    const sync::RunSummary& s = record.summary;
    const auto count = [](auto value) { return static_cast<std::int64_t>(value); };
    const logging::Fields fields{
        {"exit_code", count(record.exit_code)},
        {"queries", count(s.queries)},
        {"queries_failed", count(s.queries_failed)},
        {"requests", count(s.requests)},
        {"billed_requests", count(s.billed_requests)},
        {"pages", count(s.pages)},
        {"jobs_fetched", count(s.jobs_fetched)},
        {"jobs_skipped", count(s.jobs_skipped)},
        {"duplicates", count(s.duplicates)},
        {"rows_upserted", count(s.rows_upserted)},
        {"batches_failed", count(s.batches_failed)},
        {"sweep_done", s.sweep_done},
        {"deactivated", count(s.deactivated)},
        {"retries", count(s.retries)},
        {"duration_ms", count(s.duration_ms)},
        {"status", std::string(sync::to_string(sync::run_status(s)))},
        {"jobs_refused", count(s.refused_jobs.size())},
    };
    const bool success = record.exit_code == sync::kExitSuccess;
    logging::log_event(success ? spdlog::level::info : spdlog::level::warn, "run_finished", fields,
                       "run finished with exit code " + std::to_string(record.exit_code) + " in " +
                           std::to_string(s.duration_ms) + " ms");
}

bool write_run_files(const RunFiles& files, const RunRecord& record, const std::string& version) {
    bool all_written = true;
    if (!files.report_file.empty()) {
        all_written &= write_one("--report", files.report_file, render_report(record, version));
    }
    if (!files.metrics_file.empty()) {
        const auto previous = read_file_if_present(files.metrics_file);
        const auto last_success = previous ? parse_last_success(*previous) : std::nullopt;
        all_written &=
            write_one("--metrics-file", files.metrics_file, render_metrics(record, last_success));
    }
    return all_written;
}

}  // namespace jobsync::output
