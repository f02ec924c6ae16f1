#include "output/metrics.hpp"

#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <sstream>

#include "sync/exit_codes.hpp"

namespace jobsync::output {

namespace {

constexpr std::string_view kLastSuccess = "job_sync_last_success_timestamp_seconds";

std::string seconds_text(double seconds) {
    char text[64];
    std::snprintf(text, sizeof text, "%.3f", seconds);
    return text;
}

class Exposition {
  public:
    void gauge(std::string_view name, std::string_view help, const std::string& value) {
        out_ << "# HELP " << name << ' ' << help << '\n'
             << "# TYPE " << name << " gauge\n"
             << name << ' ' << value << '\n';
    }
    void gauge(std::string_view name, std::string_view help, long long value) {
        gauge(name, help, std::to_string(value));
    }
    std::string text() const { return out_.str(); }

  private:
    std::ostringstream out_;
};

}  // namespace

double unix_seconds(std::chrono::system_clock::time_point time) {
    using namespace std::chrono;
    return static_cast<double>(duration_cast<milliseconds>(time.time_since_epoch()).count()) /
           1000.0;
}

std::string render_metrics(const RunRecord& record, std::optional<double> previous_last_success) {
    const sync::RunSummary& s = record.summary;
    const bool success = record.exit_code == sync::kExitSuccess;
    const double finished = unix_seconds(record.finished_at);
    const std::optional<double> last_success = success ? finished : previous_last_success;
    const auto count = [](auto value) { return static_cast<long long>(value); };

    Exposition m;
    m.gauge("job_sync_last_run_start_timestamp_seconds",
            "When the last job-sync run started, in Unix time.",
            seconds_text(unix_seconds(record.started_at)));
    m.gauge("job_sync_last_run_timestamp_seconds",
            "When the last job-sync run finished, in Unix time.", seconds_text(finished));
    if (last_success) {
        m.gauge(kLastSuccess,
                "When the last successful job-sync run (exit 0) finished, in Unix time; kept "
                "across failed runs.",
                seconds_text(*last_success));
    }
    m.gauge("job_sync_last_run_success", "1 when the last run succeeded (exit 0), else 0.",
            success ? 1 : 0);
    m.gauge("job_sync_last_run_exit_code", "Exit code of the last run (see job-sync --help).",
            record.exit_code);
    m.gauge("job_sync_last_run_duration_seconds", "How long the last run took.",
            seconds_text(static_cast<double>(s.duration_ms) / 1000.0));
    m.gauge("job_sync_last_run_queries", "Search queries in the last run.", count(s.queries));
    m.gauge("job_sync_last_run_queries_failed", "Queries of the last run that failed.",
            count(s.queries_failed));
    m.gauge("job_sync_last_run_jsearch_requests",
            "JSearch HTTP requests the last run sent, retries included.", count(s.requests));
    m.gauge("job_sync_last_run_jsearch_billed_requests",
            "What JSearch bills for the last run's requests.", count(s.billed_requests));
    m.gauge("job_sync_last_run_pages", "Result pages the last run received.", count(s.pages));
    m.gauge("job_sync_last_run_jobs_fetched", "Jobs the last run received, duplicates included.",
            count(s.jobs_fetched));
    m.gauge("job_sync_last_run_jobs_skipped", "Jobs the last run dropped (no job_id, ...).",
            count(s.jobs_skipped));
    m.gauge("job_sync_last_run_fields_nulled",
            "Fields of the wrong type the last run stored as null.", count(s.fields_nulled));
    m.gauge("job_sync_last_run_duplicates", "Jobs seen again in the last run and not resent.",
            count(s.duplicates));
    m.gauge("job_sync_last_run_rows_upserted", "Rows the last run upserted.",
            count(s.rows_upserted));
    m.gauge("job_sync_last_run_batches", "Upsert batches the last run sent.", count(s.batches));
    m.gauge("job_sync_last_run_batches_failed", "Upsert batches of the last run that failed.",
            count(s.batches_failed));
    m.gauge("job_sync_last_run_sweep_done",
            "1 when the last run's sweep of vanished jobs ran, else 0.", s.sweep_done ? 1 : 0);
    m.gauge("job_sync_last_run_rows_deactivated", "Jobs the last run's sweep marked inactive.",
            count(s.deactivated));
    m.gauge("job_sync_last_run_retries", "Retried requests in the last run.", count(s.retries));
    if (s.quota_remaining) {
        m.gauge("job_sync_jsearch_quota_remaining_requests",
                "JSearch requests left in the plan's period, as last reported.",
                count(*s.quota_remaining));
    }
    return m.text();
}

std::optional<double> parse_last_success(std::string_view text) {
    while (!text.empty()) {
        const auto end = text.find('\n');
        std::string_view line = text.substr(0, end);
        text = end == std::string_view::npos ? std::string_view() : text.substr(end + 1);
        if (line.substr(0, kLastSuccess.size()) != kLastSuccess) continue;
        line.remove_prefix(kLastSuccess.size());
        if (!line.empty() && line.front() == '{') {  // labels, should a later version add some
            const auto close = line.find('}');
            if (close == std::string_view::npos) continue;
            line.remove_prefix(close + 1);
        }
        if (line.empty() || (line.front() != ' ' && line.front() != '\t')) continue;
        const std::string value(line);
        char* parsed_end = nullptr;
        const double seconds = std::strtod(value.c_str(), &parsed_end);
        if (parsed_end == value.c_str() || !std::isfinite(seconds)) return std::nullopt;
        return seconds;
    }
    return std::nullopt;
}

}  // namespace jobsync::output
