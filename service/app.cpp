#include "app.hpp"

#include <spdlog/sinks/stdout_sinks.h>
#include <spdlog/spdlog.h>
#include <unistd.h>
#ifdef __GLIBC__
#include <malloc.h>
#endif

#include <cstdio>
#include <iostream>
#include <random>

#include "commands/check.hpp"
#include "commands/dry_run.hpp"
#include "commands/status.hpp"
#include "config/errors.hpp"
#include "config/supabase_key.hpp"
#include "http/rate_limited_transport.hpp"
#include "jsearch/client.hpp"
#include "logging/event.hpp"
#include "logging/logging.hpp"
#include "logging/redact.hpp"
#include "output/progress.hpp"
#include "output/run_files.hpp"
#include "postgrest/client.hpp"
#include "postgrest/payload.hpp"
#include "postgrest/run_ledger.hpp"
#include "signals.hpp"
#include "sync/exit_codes.hpp"
#include "sync/runner.hpp"
#include "sync/shards.hpp"
#include "text/timestamps.hpp"

namespace jobsync {

namespace {

// "host:pid": who holds a lease, for the message a refused run prints.
std::string holder_name() {
    char host[256] = {};
    if (gethostname(host, sizeof host - 1) != 0 || host[0] == '\0') {
        std::snprintf(host, sizeof host, "unknown-host");
    }
    return std::string(host) + ":" + std::to_string(getpid());
}

// "20250104T031500Z-1a2b3c4d": sortable by start, random so that runs never collide.
std::string generate_run_id(std::chrono::system_clock::time_point now) {
    const std::string stamp = text::format_iso8601_millis(now);  // 2025-01-04T03:15:00.123Z
    std::string compact;
    for (char c : stamp.substr(0, 19)) {
        if (c != '-' && c != ':') compact.push_back(c);
    }
    std::random_device random;
    char suffix[16];
    std::snprintf(suffix, sizeof suffix, "%08x", static_cast<unsigned>(random()));
    return compact + "Z-" + suffix;
}

// Logs to stderr (or the context's sink). Returns the live progress line, when there is one:
// on a terminal, with text logs at info level or more.
std::shared_ptr<output::LiveLine> set_up_logging(const config::Settings& settings,
                                                 AppContext& context) {
    const auto level = logging::parse_log_level(settings.log_level).value_or(spdlog::level::info);
    spdlog::sink_ptr sink = context.log_sink;
    if (!sink) sink = std::make_shared<spdlog::sinks::stderr_sink_mt>();
    std::shared_ptr<output::LiveLine> live;
    if (context.err_is_terminal && settings.log_format == logging::LogFormat::text &&
        level <= spdlog::level::info) {
        live = std::make_shared<output::LiveLine>(context.err, context.terminal_columns);
        sink = std::make_shared<output::LiveLineAwareSink>(std::move(sink), live);
    }
    logging::configure_logging(level, settings.log_format, std::move(sink));
    return live;
}

// Waits the retry loop's backoff on the run's StopSource, so a signal wakes it at once. A
// sleeper injected by a test is used as it is.
class InterruptibleSleeper final : public http::Sleeper {
  public:
    InterruptibleSleeper(http::Sleeper* injected, sync::StopSource& stop)
        : injected_(injected), stop_(stop) {}
    void sleep(std::chrono::milliseconds duration) override {
        if (injected_ != nullptr) {
            injected_->sleep(duration);
        } else if (duration > std::chrono::milliseconds::zero()) {
            stop_.wait_for(duration);
        }
    }

  private:
    http::Sleeper* injected_;
    sync::StopSource& stop_;
};

// The transport and the jitter a command uses: the context's when a test injects them, else
// real ones, made here and owned.
class Network {
  public:
    Network(const config::Settings& settings, const AppContext& context)
        : transport_(context.transport), jitter_(context.jitter) {
        if (transport_ == nullptr) {
#ifdef __GLIBC__
            // glibc gives each thread that allocates its own heap (arena) and keeps what is
            // freed there for that arena: with a worker per request, every arena ends up holding
            // freed 1 MB response and batch buffers. Two arenas cut peak RSS at --concurrency 8
            // by about a sixth (docs/performance.md) at no measurable CPU cost.
            mallopt(M_ARENA_MAX, 2);
            // Blocks of 256 KiB and more are mapped and unmapped by themselves, never kept in a
            // heap (by default glibc raises this bound to the largest block freed so far, so
            // every 1 MB body then lands in the heap and fragments it: peak RSS grew with the
            // run). The large bodies are reused (http/buffer_pool.hpp, the batcher), so few are
            // mapped anew. A heap keeps up to 2 MiB free at its top before it shrinks, so that
            // it does not shrink and grow again for every page of rows.
            mallopt(M_MMAP_THRESHOLD, 256 * 1024);
            mallopt(M_TRIM_THRESHOLD, 2 * 1024 * 1024);
#endif
            // Requests block their caller; the pool only drives sockets (see kTransportThreads).
            http::limit_transport_threads(http::kTransportThreads);
            owned_transport_ =
                http::make_cpprest_transport(http::TransportOptions{settings.ca_file});
            transport_ = owned_transport_.get();
        }
        if (jitter_ == nullptr) {
            owned_jitter_ = http::make_random_jitter();
            jitter_ = owned_jitter_.get();
        }
    }

    http::Transport& transport() const { return *transport_; }
    http::JitterSource& jitter() const { return *jitter_; }

  private:
    std::unique_ptr<http::Transport> owned_transport_;
    std::unique_ptr<http::JitterSource> owned_jitter_;
    http::Transport* transport_;
    http::JitterSource* jitter_;
};

// An expired service-role JWT would only be refused after JSearch was queried and billed.
std::optional<std::string> key_lifetime_problem(const config::Settings& settings,
                                                http::Clock& clock) {
    if (settings.supabase_key_kind != SupabaseKeyKind::legacy_jwt) return std::nullopt;
    const auto now =
        std::chrono::duration_cast<std::chrono::seconds>(clock.now().time_since_epoch()).count();
    return config::jwt_lifetime_problem(settings.supabase_key.reveal(), now);
}

int run_sync_command(const config::Settings& settings, AppContext& context) {
    const output::RunFiles run_files{settings.report_file, settings.metrics_file};
    if (auto problems = output::check_run_files(run_files); !problems.empty()) {
        throw config::ConfigError(std::move(problems));
    }
    auto live_line = set_up_logging(settings, context);
    // Defence in depth: the code never logs a key, and the log sink masks them anyway.
    logging::register_secret(settings.jsearch_api_key.reveal());
    logging::register_secret(settings.supabase_key.reveal());

    http::Clock& clock = context.clock ? *context.clock : http::system_clock();
    if (auto problem = key_lifetime_problem(settings, clock)) {
        spdlog::error("{}", *problem);
        context.err << "job-sync: " << *problem << "\n";
        return sync::kExitAuth;
    }
    sync::StopSource owned_stop;
    sync::StopSource& stop = context.stop ? *context.stop : owned_stop;
    stop.set_deadline(clock.now() + settings.deadline, [&clock] { return clock.now(); });

    const Network network(settings, context);
    http::Transport* transport = &network.transport();
    http::JitterSource* jitter = &network.jitter();
    InterruptibleSleeper sleeper(context.sleeper, stop);
    const http::RetryEnvironment retry_env{
        clock, sleeper, *jitter, [&stop] { return stop.stop_requested(); }, stop.deadline()};
    const http::RetryPolicy policy;
    const std::chrono::milliseconds timeout{std::chrono::seconds(settings.http_timeout_seconds)};

    // Every JSearch request, retries included, takes a token from one bucket; a 429 pauses it.
    http::RateLimit rate_limit;
    rate_limit.requests_per_second = settings.max_rps;
    rate_limit.max_pause = policy.max_retry_after;
    http::RateLimitedTransport jsearch_transport(*transport, rate_limit, clock, sleeper);
    jsearch::JsearchClient source(
        jsearch_transport, commands::jsearch_connection(settings, timeout), policy, retry_env,
        jsearch::Budget{settings.max_requests, settings.max_response_bytes});
    postgrest::PostgrestStore store(*transport, commands::supabase_endpoint(settings, timeout),
                                    policy, retry_env);

    // The run record must still be written after a signal or the deadline (as cancelled or
    // failed), so the ledger's requests are not tied to the stop; each is bounded by `timeout`.
    http::Sleeper& ledger_sleeper = context.sleeper ? *context.sleeper : http::real_sleeper();
    const http::RetryEnvironment ledger_env{clock, ledger_sleeper, *jitter};
    postgrest::PostgrestRunLedger ledger(*transport, commands::supabase_endpoint(settings, timeout),
                                         policy, ledger_env);

    sync::RunOptions options;
    options.max_batch_rows = settings.batch_size;
    options.max_batch_bytes = settings.max_batch_bytes;
    // One timestamp for the whole run: every row's last_seen and the sweep's cut-off.
    const auto started_at = clock.now();
    options.run_started_at = text::format_iso8601_millis(started_at);
    options.encode_row = postgrest::append_row;
    options.on_progress = output::ProgressReporter(live_line, nullptr);
    options.ledger = &ledger;
    options.run.run_id = settings.run_id.empty() ? generate_run_id(clock.now()) : settings.run_id;
    options.run.holder = holder_name();
    logging::set_run_field("run_id", options.run.run_id);
    options.run.lease_seconds = settings.lease_seconds;
    options.sweep = settings.sweep;
    options.max_deactivate_share = settings.max_deactivate_share;
    options.stop = &stop;
    options.fetch_concurrency = static_cast<std::size_t>(settings.concurrency);
    options.halt_fetching = [&jsearch_transport] { jsearch_transport.halt(); };
    options.upsert_concurrency = static_cast<std::size_t>(settings.upsert_concurrency);

    // A shard fetches its share of the queries (sync/shards.hpp); the run's sweep is left to
    // the shard that completes the set.
    options.run.shard = settings.shard;
    options.run.shard_count = settings.shard_count;
    const std::vector<sync::SearchQuery> queries =
        settings.shard_count > 1
            ? sync::queries_of_shard(settings.queries, settings.shard, settings.shard_count)
            : settings.queries;
    if (settings.shard_count > 1) {
        spdlog::info("shard {}/{} of run {}: {} of the run's {} quer{}", settings.shard,
                     settings.shard_count, options.run.run_id, queries.size(),
                     settings.queries.size(), settings.queries.size() == 1 ? "y" : "ies");
    }

    spdlog::info("sync {} starting: {} quer{} into table '{}' at {}", options.run.run_id,
                 queries.size(), queries.size() == 1 ? "y" : "ies", settings.jobs_table,
                 settings.supabase_url);
    spdlog::info("fetching up to {} quer{} at once, at most {} JSearch request(s) a second",
                 settings.concurrency, settings.concurrency == 1 ? "y" : "ies", settings.max_rps);
    // What the plan bills if every page comes and nothing is retried, said before the first
    // request, so an operator sees the cost of a run against a 200-a-month plan.
    const long planned = jsearch::planned_billed_requests(queries);
    spdlog::info("JSearch: this run plans {} billed request(s){}; deadline in {} s", planned,
                 settings.max_requests
                     ? " (--max-requests " + std::to_string(*settings.max_requests) + ")"
                     : std::string(),
                 settings.deadline.count());
    if (settings.max_requests && *settings.max_requests < planned) {
        spdlog::warn(
            "--max-requests {} is below the {} the plan bills: the run will stop early "
            "(exit 7) unless queries end at a short page",
            *settings.max_requests, planned);
    }
    sync::RunSummary summary = sync::run_sync(queries, source, store, options);
    summary.planned_billed_requests = planned;
    // A signal that came while the last step ran still cancels an unfinished run.
    if (summary.stop_cause == sync::StopCause::none && !summary.sweep_done) {
        summary.stop_cause = stop.cause();
    }
    const int code = sync::exit_code(summary);
    const output::RunRecord record{summary, code, started_at, clock.now()};
    output::log_run_finished(record);
    context.out << (settings.log_format == logging::LogFormat::json ? sync::render_json(summary)
                                                                    : sync::render_text(summary));
    context.out.flush();
    output::write_run_files(run_files, record, JOBSYNC_VERSION);
    return code;
}

// check, status and sync --dry-run (commands/): they read, and write at most a dry run's record.
int run_operator_command(const config::CommandLine& line, AppContext& context) {
    config::Settings settings;
    if (line.command == config::Command::check) {
        // check reports a broken configuration as FAIL lines, not as an error.
        try {
            settings = config::load_settings(line, context.environment);
        } catch (const config::ConfigError& e) {
            return commands::report_config_problems(e.problems(), context.out);
        }
    } else {
        settings = config::load_settings(line, context.environment);
    }
    set_up_logging(settings, context);
    logging::register_secret(settings.jsearch_api_key.reveal());
    logging::register_secret(settings.supabase_key.reveal());

    const Network network(settings, context);
    http::Transport* transport = &network.transport();
    http::JitterSource* jitter = &network.jitter();
    http::Clock& clock = context.clock ? *context.clock : http::system_clock();
    http::Sleeper& sleeper = context.sleeper ? *context.sleeper : http::real_sleeper();
    commands::Wiring wiring{
        *transport,          http::RetryEnvironment{clock, sleeper, *jitter},
        http::RetryPolicy{}, std::chrono::seconds(settings.http_timeout_seconds),
        context.out,         context.err};
    // The dry run fetches as a real run does, so a signal or --deadline ends it as they end a
    // real run (check and status make a few bounded reads: the second signal ends those).
    sync::StopSource owned_stop;
    sync::StopSource& stop = context.stop ? *context.stop : owned_stop;
    InterruptibleSleeper interruptible(context.sleeper, stop);
    if (line.command == config::Command::sync) {
        stop.set_deadline(clock.now() + settings.deadline, [&clock] { return clock.now(); });
        wiring.stop = &stop;
        wiring.fetch_retry.emplace(http::RetryEnvironment{clock, interruptible, *jitter,
                                                          [&stop] { return stop.stop_requested(); },
                                                          stop.deadline()});
    }
    switch (line.command) {
        case config::Command::check:
            return commands::run_check(settings, wiring);
        case config::Command::status:
            return commands::run_status(settings, wiring);
        default:
            break;
    }
    sync::RunStart start;
    start.run_id = settings.run_id.empty() ? generate_run_id(clock.now()) : settings.run_id;
    start.holder = holder_name();
    start.lease_seconds = settings.lease_seconds;
    return commands::run_dry_run(settings, start, wiring);
}

}  // namespace

int run_app(int argc, const char* const* argv, AppContext& context) {
    try {
        const config::CommandLine line = config::parse_command_line(argc, argv);
        if (line.show_version) {
            context.out << "job-sync " << JOBSYNC_VERSION << "\n";
            return sync::kExitSuccess;
        }
        if (line.show_help) {
            context.out << line.help_text;
            return sync::kExitSuccess;
        }
        if (line.command == config::Command::none) {
            context.err << line.help_text;
            return sync::kExitUsage;
        }
        if (line.command == config::Command::check || line.command == config::Command::status ||
            line.flag("dry-run")) {
            return run_operator_command(line, context);
        }
        const config::Settings settings = config::load_settings(line, context.environment);
        return run_sync_command(settings, context);
    } catch (const config::UsageError& e) {
        context.err << "job-sync: " << e.what() << "\nRun 'job-sync --help' for usage.\n";
        return sync::kExitUsage;
    } catch (const config::ConfigError& e) {
        context.err << "job-sync: " << e.what() << "\n";
        return sync::kExitUsage;
    } catch (const std::exception& e) {
        // Only a bug gets here: expected failures are data in the run summary.
        context.err << "job-sync: internal error: " << logging::redact(e.what()) << "\n";
        return sync::kExitInternal;
    }
}

int run_app(int argc, char** argv) {
    // Before anything starts a thread: every thread inherits the blocked signals.
    static sync::StopSource stop;
    SignalWatcher signals(stop);
    AppContext context{config::read_process_environment(),
                       std::cout,
                       std::cerr,
                       nullptr,
                       nullptr,
                       nullptr,
                       nullptr,
                       nullptr};
    context.err_is_terminal = ::isatty(STDERR_FILENO) == 1;
    if (context.err_is_terminal) context.terminal_columns = output::terminal_columns(STDERR_FILENO);
    context.stop = &stop;
    return run_app(argc, argv, context);
}

}  // namespace jobsync
