#include "commands/dry_run.hpp"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <chrono>
#include <iterator>
#include <ostream>

#include "http/rate_limited_transport.hpp"
#include "jsearch/client.hpp"
#include "postgrest/read_request.hpp"
#include "postgrest/reader.hpp"
#include "postgrest/request.hpp"
#include "postgrest/response.hpp"
#include "postgrest/run_ledger.hpp"
#include "sync/dry_run_feed.hpp"
#include "sync/dry_run_report.hpp"
#include "sync/request_fetch.hpp"

namespace jobsync::commands {

namespace {

// URLs stay well under 8 KB (proxies refuse longer ones); ids per request stay under any
// sensible PostgREST max-rows, and the exact count proves no row was cut off.
constexpr std::size_t kMaxInValueBytes = 6000;
constexpr std::size_t kMaxIdsPerRead = 200;
constexpr long kPageRows = 1000;
constexpr std::size_t kExamples = 5;

struct ReadFailure {
    sync::Failure failure = sync::Failure::none;
    std::string message;
};

class TableReader {
  public:
    TableReader(const postgrest::PostgrestReader& reader, std::string table)
        : reader_(reader), table_(std::move(table)) {}

    // The table's rows among `ids`: job_id and is_active.
    ReadFailure stored(const std::vector<std::string>& ids, std::vector<sync::StoredJob>& out,
                       long& retries) const {
        for (const auto& value : postgrest::in_list_values(ids, kMaxInValueBytes, kMaxIdsPerRead)) {
            const auto sent = reader_.get(
                table_, {{"select", "job_id,is_active"}, {"job_id", value}}, "count=exact");
            retries += sent.retries();
            auto rows = postgrest::parse_rows(sent.response);
            if (!rows) return fail(sent.response, "reading the feed's rows");
            const auto range =
                postgrest::parse_content_range(sent.response.header("Content-Range").value_or(""));
            if (range && range->total && *range->total > static_cast<long>(rows->Size())) {
                return {sync::Failure::bad_response,
                        "reading the feed's rows: the server returned " +
                            std::to_string(rows->Size()) + " of " + std::to_string(*range->total) +
                            " rows (is PostgREST's max-rows below " +
                            std::to_string(kMaxIdsPerRead) + "?)"};
            }
            for (const auto& row : rows->GetArray()) {
                out.push_back({postgrest::text_member(row, "job_id"),
                               postgrest::true_member(row, "is_active")});
            }
        }
        return {};
    }

    ReadFailure count_active(long& count, long& retries) const {
        const auto sent =
            reader_.get(table_, {{"select", "job_id"}, {"is_active", "eq.true"}, {"limit", "0"}},
                        "count=exact");
        retries += sent.retries();
        const auto range =
            postgrest::parse_content_range(sent.response.header("Content-Range").value_or(""));
        if (!postgrest::parse_rows(sent.response) || !range || !range->total) {
            return fail(sent.response, "counting the active jobs");
        }
        count = *range->total;
        return {};
    }

    // Every id the sweep's own filter reaches now, in pages ordered by job_id (keyset paging:
    // each page starts after the last id seen, so a max-rows cap only makes pages smaller).
    ReadFailure sweep_reachable(const std::string& run_started_at, std::vector<std::string>& out,
                                long& retries) const {
        std::string last;
        while (true) {
            http::QueryParams params{{"select", "job_id"}};
            for (auto& filter : postgrest::sweep_filter(run_started_at)) params.push_back(filter);
            if (!out.empty()) params.emplace_back("job_id", "gt." + last);
            params.emplace_back("order", "job_id.asc");
            params.emplace_back("limit", std::to_string(kPageRows));
            const auto sent = reader_.get(table_, params);
            retries += sent.retries();
            auto rows = postgrest::parse_rows(sent.response);
            if (!rows) return fail(sent.response, "reading the rows the sweep would reach");
            if (rows->Empty()) return {};
            const auto page = rows->GetArray();
            std::transform(
                page.begin(), page.end(), std::back_inserter(out),
                [](const rapidjson::Value& row) { return postgrest::text_member(row, "job_id"); });
            last = out.back();
        }
    }

    // The table's titles for a few ids (the deactivation examples).
    void titles(std::vector<sync::PlanExample>& examples, long& retries) const {
        std::vector<std::string> ids;
        ids.reserve(examples.size());
        for (const auto& example : examples) ids.push_back(example.job_id);
        if (ids.empty()) return;
        const auto values = postgrest::in_list_values(ids, kMaxInValueBytes, kMaxIdsPerRead);
        const auto sent =
            reader_.get(table_, {{"select", "job_id,job_title"}, {"job_id", values.front()}});
        retries += sent.retries();
        const auto rows = postgrest::parse_rows(sent.response);
        if (!rows) return;  // examples without titles; the counts stand
        for (const auto& row : rows->GetArray()) {
            const std::string id = postgrest::text_member(row, "job_id");
            for (auto& example : examples) {
                if (example.job_id == id) example.title = postgrest::text_member(row, "job_title");
            }
        }
    }

  private:
    ReadFailure fail(const http::Response& response, const std::string& what) const {
        const auto failure = postgrest::classify_failure(response, table_);
        const sync::Failure kind =
            failure.failure == sync::Failure::none ? sync::Failure::bad_response : failure.failure;
        return {kind, reader_.scrub(what + " failed: " + failure.message)};
    }

    const postgrest::PostgrestReader& reader_;
    std::string table_;
};

// "run X (holder h) holds the lease since S, until U: ..." when a live lease exists now. The
// database's clock decides: 'now' is PostgreSQL's own input for the current time.
std::string live_lease_note(const postgrest::PostgrestReader& reader) {
    const auto sent =
        reader.get("job_sync_runs", {{"select", "run_id,holder,started_at,lease_expires_at"},
                                     {"status", "eq.running"},
                                     {"dry_run", "is.false"},
                                     {"lease_expires_at", "gt.now"},
                                     {"limit", "1"}});
    const auto rows = postgrest::parse_rows(sent.response);
    if (!rows || rows->Empty()) return {};
    const auto& row = (*rows)[0];
    return "run " + postgrest::text_member(row, "run_id") + " (holder " +
           postgrest::text_member(row, "holder") + ") holds the lease since " +
           postgrest::text_member(row, "started_at") + ", until " +
           postgrest::text_member(row, "lease_expires_at") +
           ": a real run started now would be refused (exit 5)";
}

void record_failure(sync::DryRunReport& report, sync::RunFailure::Step step, sync::Failure kind,
                    std::string message) {
    spdlog::error("{} ({})", message, sync::to_string(kind));
    report.failures.push_back({step, kind, std::move(message)});
}

}  // namespace

int run_dry_run(const config::Settings& settings, const sync::RunStart& start, Wiring& wiring) {
    const auto started = std::chrono::steady_clock::now();
    const postgrest::Endpoint endpoint = supabase_endpoint(settings, wiring.timeout);
    postgrest::PostgrestRunLedger ledger(wiring.transport, endpoint, wiring.policy, wiring.retry);
    const postgrest::PostgrestReader reader(wiring.transport, endpoint, wiring.policy,
                                            wiring.retry);
    // JSearch is asked as a real run asks it: the same rate limit, --max-requests and
    // response cap, --concurrency queries at once.
    http::RateLimit rate_limit;
    rate_limit.requests_per_second = settings.max_rps;
    rate_limit.max_pause = wiring.policy.max_retry_after;
    // A signal or the deadline cuts its requests and waits short (the record is still written).
    const http::RetryEnvironment& fetch_retry =
        wiring.fetch_retry ? *wiring.fetch_retry : wiring.retry;
    http::RateLimitedTransport jsearch_transport(wiring.transport, rate_limit, fetch_retry.clock,
                                                 fetch_retry.sleeper);
    jsearch::JsearchClient source(
        jsearch_transport, jsearch_connection(settings, wiring.timeout), wiring.policy, fetch_retry,
        jsearch::Budget{settings.max_requests, settings.max_response_bytes});
    const auto stop_requested = [&wiring] {
        return wiring.stop != nullptr && wiring.stop->stop_requested();
    };

    sync::DryRunReport report;
    report.queries = settings.queries.size();
    report.run_id = start.run_id;

    sync::RunStart dry_start = start;
    dry_start.dry_run = true;
    const sync::Lease lease = ledger.begin(dry_start);
    report.retries += lease.retries;
    bool recorded = false;
    if (lease.state == sync::Lease::State::held) {
        recorded = true;
        report.run_started_at = lease.started_at;
    } else if (lease.state == sync::Lease::State::finished) {
        report.run_id_reused = true;
        record_failure(report, sync::RunFailure::Step::lease, sync::Failure::rejected,
                       lease.message);
    } else {
        record_failure(
            report, sync::RunFailure::Step::lease,
            lease.failure == sync::Failure::none ? sync::Failure::rejected : lease.failure,
            lease.message + "; nothing was fetched");
    }

    if (recorded) {
        spdlog::info("dry run {} started at {}", start.run_id, report.run_started_at);
        sync::DryRunFeed feed;
        bool stop = false;
        bool key_refused = false;  // JSearch refused the key: the plan would mean nothing
        std::size_t fetched = 0;   // queries fetched to their end, or failed of themselves
        auto last_renewal = std::chrono::steady_clock::now();
        // A long dry run keeps its record alive, as a real run does: a begin after the lease
        // ran out would mark the record failed.
        const auto renew_if_due = [&] {
            const auto now = std::chrono::steady_clock::now();
            if (now - last_renewal <= std::chrono::seconds(start.lease_seconds) / 3) return;
            const sync::LeaseRenewal renewal = ledger.renew(start.run_id, start.lease_seconds);
            report.retries += renewal.retries;
            if (!renewal.held) spdlog::warn("dry run: its record's lease was not renewed");
            last_renewal = now;
        };
        const auto count_requests = [&](const sync::FetchOutcome& outcome) {
            report.requests += outcome.requests;
            report.billed_requests += outcome.billed_requests;
            report.retries += outcome.retries;
            if (outcome.quota_remaining) report.quota_remaining = outcome.quota_remaining;
        };
        // Requests go out as a real run sends them (sync/request_fetch.hpp); pages come in any
        // order across queries, and the feed keeps the copy of a job a sequential run would.
        sync::RequestFetchHandlers handlers;
        handlers.on_page = [&](std::size_t query, sync::FetchedPage&& page) {
            renew_if_due();
            for (const auto& problem : page.problems) {
                if (problem.skipped) ++report.jobs_skipped;
            }
            report.jobs_fetched += page.rows.size();
            feed.take(query, page);  // the mapped rows it keeps; the page goes
        };
        handlers.on_done = [&](std::size_t query, const sync::FetchOutcome& outcome) {
            renew_if_due();
            count_requests(outcome);
            const bool cut_by_stop = (outcome.failure == sync::Failure::cancelled ||
                                      outcome.failure == sync::Failure::deadline) &&
                                     stop_requested();
            // A query cut short by a signal or the deadline is one not fetched (said below).
            if (cut_by_stop) return;
            ++fetched;
            if (outcome.failure == sync::Failure::none) return;
            ++report.queries_failed;
            record_failure(
                report, sync::RunFailure::Step::query, outcome.failure,
                "query '" + settings.queries[query].text + "' failed: " + outcome.message);
            // As in a real run: a refused key or a spent quota fails every later query too.
            key_refused = key_refused || outcome.failure == sync::Failure::auth;
            stop = stop || key_refused || outcome.failure == sync::Failure::quota;
        };
        handlers.stop = [&] { return stop || stop_requested(); };
        handlers.on_abandoned = [&](std::size_t, const sync::FetchOutcome& outcome) {
            count_requests(outcome);  // sent, maybe billed; their pages were kept
        };
        handlers.halt = [&jsearch_transport] { jsearch_transport.halt(); };
        sync::fetch_as_ready(settings.queries, source,
                             static_cast<std::size_t>(std::max(settings.concurrency, 1)), handlers);
        report.duplicates = feed.duplicates();
        const bool stopped = stop_requested();
        if (stopped) {
            report.stop_cause = wiring.stop->cause();
            const bool deadline = report.stop_cause == sync::StopCause::deadline;
            const std::size_t not_run = settings.queries.size() - fetched;
            record_failure(
                report, sync::RunFailure::Step::query,
                deadline ? sync::Failure::deadline : sync::Failure::cancelled,
                std::string(deadline
                                ? "the run's deadline passed"
                                : "stopped by " + std::string(sync::to_string(report.stop_cause))) +
                    ": " + std::to_string(not_run) + " of " +
                    std::to_string(settings.queries.size()) + " queries not fetched; no plan");
        }

        if (!key_refused && !stopped) {
            const TableReader table(reader, settings.jobs_table);
            sync::DryRunInput input;
            input.sweep = settings.sweep;
            input.max_deactivate_share = settings.max_deactivate_share;
            if (!report.failures.empty()) input.sweep_blocker = report.failures.front().message;
            input.feed = feed.take_jobs();  // in feed order: the examples are a sequential run's
            std::vector<std::string> ids;
            ids.reserve(input.feed.size());
            for (const auto& job : input.feed) ids.push_back(job.job_id);
            ReadFailure read = table.stored(ids, input.stored, report.retries);
            if (read.failure == sync::Failure::none) {
                read = table.count_active(input.active_now, report.retries);
            }
            if (read.failure == sync::Failure::none) {
                read = table.sweep_reachable(report.run_started_at, input.sweep_reachable,
                                             report.retries);
            }
            if (read.failure != sync::Failure::none) {
                record_failure(report, sync::RunFailure::Step::sweep, read.failure, read.message);
            } else {
                sync::DryRunPlan plan = sync::plan_dry_run(input, kExamples);
                table.titles(plan.deactivate.examples, report.retries);
                report.plan = std::move(plan);
            }
        }
        report.lease_note = live_lease_note(reader);
    }
    report.duration_ms = std::chrono::duration_cast<std::chrono::milliseconds>(
                             std::chrono::steady_clock::now() - started)
                             .count();

    if (recorded) {
        sync::RunRecord record;
        record.run_id = start.run_id;
        record.shard = start.shard;
        record.status = sync::run_status(report);
        record.counts.queries = static_cast<long>(report.queries);
        record.counts.requests = report.requests;
        record.counts.billed_requests = report.billed_requests;
        record.counts.jobs_fetched = static_cast<long>(report.jobs_fetched);
        record.counts.jobs_skipped = static_cast<long>(report.jobs_skipped);
        record.counts.retries = report.retries;
        if (!report.failures.empty()) record.error = report.failures.front().message;
        record.details_json = sync::render_details(report);
        const sync::FinishOutcome finished = ledger.finish(record);
        if (finished.failure != sync::Failure::none) {
            report.ledger_warning =
                "the dry run's record could not be finished: " + finished.message;
        }
    }

    wiring.out << (settings.log_format == logging::LogFormat::json
                       ? sync::render_json(report) + "\n"
                       : sync::render_text(report));
    wiring.out.flush();
    return sync::exit_code(report);
}

}  // namespace jobsync::commands
