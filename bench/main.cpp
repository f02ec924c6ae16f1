// job-sync-bench (`make bench`): syncs realistic generated feeds of 1,000 to 100,000 jobs with
// the real job-sync binary, from the JSearch stand-in (with a per-request latency) through the
// PostgREST-compatible gateway into a throwaway PostgreSQL, and measures each run against two
// floors taken in the same run on the same data: RapidJSON alone doing the client's parsing
// and encoding (a), and PostgreSQL alone taking the rows through psql (b). See README.md,
// "Performance".
#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <cxxopts.hpp>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <map>
#include <memory>
#include <random>
#include <sstream>
#include <thread>

#include "client_floor.hpp"
#include "feed.hpp"
#include "postgres_floor.hpp"
#include "process.hpp"
#include "relay.hpp"
#include "report.hpp"
#include "scenarios.hpp"
#include "standins/gateway/gateway.hpp"
#include "standins/jsearch/jsearch_standin.hpp"
#include "support/pg_cluster.hpp"
#include "sync/runner.hpp"
#include "text/timestamps.hpp"

namespace {

using namespace jobsync::bench;
using jobsync::testing::JsearchStandin;
using jobsync::testing::PgCluster;
using jobsync::testing::PgConnection;
using jobsync::testing::RestGateway;
namespace fs = std::filesystem;

struct Options {
    std::string job_sync;
    Selection selection;
    std::string perf_scenario;  // run this one under `perf record`
    std::string perf_output;
    std::vector<std::string> profiler;  // the command job-sync runs under for that scenario
    std::string markdown;               // also write the tables here
    int runs = 1;                       // times each scenario runs (report.hpp, combine_runs)
    int shards = 0;  // > 1: also compare one process with this many shards (issue 11)
    bool sharding_only = false;
    bool whole_bodies = false;  // also run every scenario through the whole-body relay
};

std::string environment(const char* name) {
    const char* value = std::getenv(name);
    return value ? value : "";
}

// A whole number of at least `least` for `option` (from the command line or its variable),
// with the option and the text named when it is not one.
int count_option(const std::string& option, const std::string& text, int least) {
    std::size_t used = 0;
    int value = 0;
    try {
        value = std::stoi(text, &used);
    } catch (const std::exception&) {
        used = 0;
    }
    if (used == 0 || used != text.size() || value < least) {
        throw std::invalid_argument(option + " must be a whole number of at least " +
                                    std::to_string(least) + ", not '" + text + "'");
    }
    return value;
}

std::string random_secret() {
    std::mt19937_64 generator{std::random_device{}()};
    std::string secret;
    for (int i = 0; i < 48; ++i)
        secret.push_back("abcdefghijklmnopqrstuvwxyz0123456789"[generator() % 36]);
    return secret;
}

// The cluster is left alone for a moment, so exited backends are reaped and counted, and a
// checkpoint does not land in the next measurement.
void settle(PgConnection& db) {
    db.exec("CHECKPOINT");
    std::this_thread::sleep_for(std::chrono::milliseconds(300));
}

long stamped_rows(PgConnection& db) {
    const auto rows = db.exec("SELECT count(*) AS n FROM public.jobs WHERE is_active");
    return std::stol(rows.at(0, "n").value_or("0"));
}

pid_t postmaster_pid(PgConnection& db) {
    const auto rows =
        db.exec("SELECT split_part(pg_read_file('postmaster.pid'), E'\\n', 1) AS pid");
    return static_cast<pid_t>(std::stol(rows.at(0, "pid").value_or("0")));
}

class Bench {
  public:
    explicit Bench(Options options)
        : options_(std::move(options)),
          workdir_(fs::temp_directory_path() / ("job-sync-bench-" + std::to_string(::getpid()))),
          gateway_(gateway_options(cluster_.authenticator_conninfo(), jwt_secret_)),
          standin_(standin_options()),
          db_(cluster_.connect_superuser()),
          cluster_cpu_(postmaster_pid(db_)) {
        fs::create_directories(workdir_);
        if (options_.whole_bodies) relay_ = std::make_unique<WholeBodyRelay>(standin_.base_url());
        const std::string help = output_of({options_.job_sync, "sync", "--help"});
        if (help.empty())
            throw std::runtime_error("cannot run " + options_.job_sync + " sync --help");
        has_concurrency_ = help.find("--concurrency") != std::string::npos;
        has_max_rps_ = help.find("--max-rps") != std::string::npos;
    }
    ~Bench() {
        std::error_code ignored;
        fs::remove_all(workdir_, ignored);
    }

    Report run(const std::vector<Scenario>& scenarios) {
        Report report;
        report.header = header();
        std::cerr << report.header << "\n";
        std::map<int, std::vector<Scenario>> by_jobs;
        for (const auto& s : scenarios) by_jobs[s.jobs].push_back(s);
        for (const auto& [jobs, group] : by_jobs) {
            const FeedPlan plan = plan_feed(jobs);
            report.floors.push_back(prepare_feed_and_floors(plan));
            for (const auto& s : group) {
                report.scenarios.push_back(run_repeated(plan, s, Via::standin));
                if (relay_) {
                    std::cerr << "    (again, JSearch's answers relayed whole)\n";
                    report.whole_body_runs.push_back(run_repeated(plan, s, Via::relay));
                }
            }
        }
        return report;
    }

    // The same feed synced once by one process and once by `shards` processes sharing one run
    // (`--shard I/N`, one run id), at `latency_ms` per JSearch request: wall time from the first
    // start to the last exit, and what the run record says was billed.
    ShardingReport run_sharding(int jobs, int latency_ms, int shards) {
        const FeedPlan plan = plan_feed(jobs);
        std::cerr << "==> sharding: " << jobs << " jobs in " << plan.queries << " queries, "
                  << latency_ms << " ms, 1 process then " << shards << " shards\n";
        {
            std::ofstream queries(path("queries.txt"));
            for (int query = 0; query < plan.queries; ++query) {
                standin_.set_jobs(query_text(query), query_jobs(plan, query));
                queries << query_text(query) << "\n";
            }
        }
        standin_.set_latency(std::chrono::milliseconds(latency_ms));
        ShardingReport report;
        report.jobs = jobs;
        report.queries = plan.queries;
        report.latency_ms = latency_ms;
        report.single = sharded_run(plan, 1);
        report.sharded = sharded_run(plan, shards);
        return report;
    }

  private:
    ShardedRun sharded_run(const FeedPlan& plan, int shards) {
        db_.exec("TRUNCATE public.jobs");
        gateway_.clear_requests();
        settle(db_);
        const std::string run_id = "bench-" + std::to_string(::getpid()) + "-" +
                                   std::to_string(shards) + "-shards-" +
                                   std::to_string(++sharded_runs_);
        ShardedRun result;
        result.shards = shards;
        result.exit_codes.resize(shards);
        result.seconds.resize(shards);
        std::vector<std::thread> workers;
        workers.reserve(shards);
        const auto started = std::chrono::steady_clock::now();
        for (int shard = 0; shard < shards; ++shard) {
            workers.emplace_back([&, shard] {
                ChildRun run;
                run.argv = {options_.job_sync,
                            "sync",
                            "--queries-file",
                            path("queries.txt"),
                            "--pages",
                            std::to_string(plan.pages_per_query),
                            "--pages-per-request",
                            std::to_string(kPagesPerRequest),
                            "--log-level",
                            "warn",
                            "--run-id",
                            run_id};
                if (shards > 1) {
                    run.argv.insert(run.argv.end(), {"--shard", std::to_string(shard) + "/" +
                                                                    std::to_string(shards)});
                }
                run.variables = variables(standin_.base_url());
                run.workdir = workdir_.string();
                run.stdout_path = path("shard-" + std::to_string(shard) + ".out");
                run.stderr_path = path("shard-" + std::to_string(shard) + ".err");
                const ChildUsage usage = run_child(run);
                result.exit_codes[shard] = usage.exit_code;
                result.seconds[shard] = usage.wall_seconds;
            });
        }
        for (auto& worker : workers) worker.join();
        result.wall_seconds =
            std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
        settle(db_);
        result.rows = stamped_rows(db_);
        const auto run = db_.exec_params(
            "SELECT status, coalesce(billed_requests, 0) AS billed FROM public.job_sync_runs "
            "WHERE run_id = $1",
            {run_id});
        if (!run.rows.empty()) {
            result.status = run.at(0, "status").value_or("?");
            result.billed_requests = std::stol(run.at(0, "billed").value_or("0"));
        }
        const auto parts = db_.exec_params(
            "SELECT coalesce(queries, 0) AS q FROM public.job_sync_run_shards WHERE run_id = $1 "
            "ORDER BY shard",
            {run_id});
        for (std::size_t i = 0; i < parts.rows.size(); ++i) {
            result.queries.push_back(std::stoi(parts.at(i, "q").value_or("0")));
        }
        for (int shard = 0; shard < shards; ++shard) {
            if (result.exit_codes[shard] == 0) continue;
            std::cerr
                << "shard " << shard << " exited with " << result.exit_codes[shard]
                << "; its stderr:\n"
                << read_text_file(path("shard-" + std::to_string(shard) + ".err")).substr(0, 2000)
                << "\n";
        }
        return result;
    }

    // job-sync's environment, with JSearch at `jsearch_url` (the stand-in or the relay).
    std::vector<std::string> variables(const std::string& jsearch_url) const {
        return {
            "SUPABASE_URL=" + gateway_.base_url(),
            "SUPABASE_SERVICE_ROLE_KEY=" + jobsync::testing::mint_jwt(jwt_secret_, "service_role"),
            "JSEARCH_API_KEY=local-jsearch-key",
            "JSEARCH_BASE_URL=" + jsearch_url,
            "JSEARCH_QUERIES=",
            "JOBSYNC_HTTP_TIMEOUT_SECONDS=300",
        };
    }

    // The request log keeps no bodies: a 100k run sends 750 MB of upserts.
    static jobsync::testing::GatewayOptions gateway_options(std::string conninfo,
                                                            std::string jwt_secret) {
        jobsync::testing::GatewayOptions options;
        options.conninfo = std::move(conninfo);
        options.jwt_secret = std::move(jwt_secret);
        options.record_bodies = false;
        return options;
    }

    static jobsync::testing::JsearchStandinOptions standin_options() {
        jobsync::testing::JsearchStandinOptions options;
        options.quota = 1L << 40;
        return options;
    }

    std::string header() const {
        std::ostringstream out;
        out << "job-sync benchmark: " << std::thread::hardware_concurrency() << " CPUs, "
            << fs::path(options_.job_sync).lexically_relative(fs::current_path()).string()
            << " (--concurrency: " << (has_concurrency_ ? "yes" : "not supported, c8 rows n/a")
            << ")" << (relay_ ? "; every scenario also through the whole-body relay" : "");
        return out.str();
    }

    std::string path(const std::string& name) const { return (workdir_ / name).string(); }

    FloorResult prepare_feed_and_floors(const FeedPlan& plan) {
        std::cerr << "==> " << plan.jobs << " jobs: generating the feed and measuring the floors\n";
        const std::string last_seen =
            jobsync::text::format_iso8601_millis(std::chrono::system_clock::now());
        std::ofstream copy_rows(path("rows.copy"));
        std::ofstream queries(path("queries.txt"));
        ClientFloorMeter meter(last_seen, copy_rows);
        for (int query = 0; query < plan.queries; ++query) {
            std::vector<std::string> jobs = query_jobs(plan, query);
            for (const auto& body : response_bodies(plan, query, jobs)) meter.take_page(body);
            standin_.set_jobs(query_text(query), std::move(jobs));
            queries << query_text(query) << "\n";
        }
        FloorResult floor;
        floor.jobs = plan.jobs;
        floor.requests = plan.requests;
        floor.client = meter.finish();
        copy_rows.close();
        queries.close();
        // Floor (a) is CPU time, which other work on a shared machine only adds to: the least of
        // kFloorPasses passes over the same pages (regenerated, as the first pass saw them,
        // rather than kept: 760 MB at 100k) is the floor. One pass gave 16-32 ms per 1,000 jobs
        // on the same data in one busy run.
        for (int pass = 1; pass < kFloorPasses; ++pass) {
            std::ostream discard(nullptr);
            ClientFloorMeter again(last_seen, discard);
            for (int query = 0; query < plan.queries; ++query) {
                const std::vector<std::string> jobs = query_jobs(plan, query);
                for (const auto& body : response_bodies(plan, query, jobs)) again.take_page(body);
            }
            const ClientFloor repeated = again.finish();
            if (repeated.rows != floor.client.rows) {
                throw std::runtime_error("floor (a) pass " + std::to_string(pass + 1) + " wrote " +
                                         std::to_string(repeated.rows) + " rows, the first " +
                                         std::to_string(floor.client.rows));
            }
            floor.client.cpu_seconds = std::min(floor.client.cpu_seconds, repeated.cpu_seconds);
        }

        db_.exec("TRUNCATE public.jobs");
        settle(db_);
        const double before = cluster_cpu_.seconds();
        floor.postgres =
            measure_postgres_floor({cluster_.port(), workdir_.string()}, path("rows.copy"));
        settle(db_);
        floor.postgres_cpu_seconds = cluster_cpu_.seconds() - before;
        const long rows = stamped_rows(db_);
        if (rows != plan.jobs) {
            throw std::runtime_error("floor (b) left " + std::to_string(rows) + " rows, expected " +
                                     std::to_string(plan.jobs));
        }
        fs::remove(path("rows.copy"));
        return floor;
    }

    // How job-sync reaches JSearch: the stand-in itself, or the whole-body relay in front of it.
    enum class Via { standin, relay };

    // The scenario `--runs` times, back to back on the same feed; once when it is profiled
    // (only the direct runs are: the relayed ones would overwrite the profile).
    ScenarioResult run_repeated(const FeedPlan& plan, const Scenario& s, Via via) {
        const std::string jsearch_url =
            via == Via::relay ? relay_->base_url() : standin_.base_url();
        const bool profiled = s.id() == options_.perf_scenario && via == Via::standin;
        const int runs = profiled ? 1 : options_.runs;
        std::vector<ScenarioResult> results;
        for (int i = 0; i < runs; ++i) {
            if (i > 0) std::cerr << "    (run " << i + 1 << " of " << runs << ")\n";
            results.push_back(run_scenario(plan, s, jsearch_url, profiled));
            if (!results.back().skipped.empty()) return results.back();
        }
        return combine_runs(results);
    }

    ScenarioResult run_scenario(const FeedPlan& plan, const Scenario& s,
                                const std::string& jsearch_url, bool profiled) {
        ScenarioResult result;
        result.scenario = s;
        result.requests = plan.requests;
        if (s.concurrency != 1 && !has_concurrency_) {
            result.skipped = "n/a: job-sync has no --concurrency";
            return result;
        }
        std::cerr << "==> " << s.id() << ": job-sync sync, " << plan.requests << " requests\n";
        db_.exec("TRUNCATE public.jobs");
        gateway_.clear_requests();
        standin_.set_latency(std::chrono::milliseconds(s.latency_ms));
        settle(db_);

        ChildRun run;
        run.argv = {options_.job_sync,
                    "sync",
                    "--queries-file",
                    path("queries.txt"),
                    "--pages",
                    std::to_string(plan.pages_per_query),
                    "--pages-per-request",
                    std::to_string(kPagesPerRequest),
                    "--log-level",
                    "warn"};
        if (has_concurrency_) {
            run.argv.insert(run.argv.end(), {"--concurrency", std::to_string(s.concurrency)});
        }
        if (has_max_rps_) run.argv.insert(run.argv.end(), {"--max-rps", "1000"});
        if (profiled) {
            run.argv.insert(run.argv.begin(), options_.profiler.begin(), options_.profiler.end());
            result.profiled = true;
        }
        run.variables = variables(jsearch_url);
        run.workdir = workdir_.string();
        run.stdout_path = path("job-sync.out");
        run.stderr_path = path("job-sync.err");

        const double pg_before = cluster_cpu_.seconds();
        const double own_before = own_cpu_seconds();
        result.service = run_child(run);
        const double own_after = own_cpu_seconds();
        settle(db_);
        result.postgres_cpu_seconds = cluster_cpu_.seconds() - pg_before;
        result.standins_cpu_seconds = own_after - own_before;
        result.rows = stamped_rows(db_);
        gateway_.clear_requests();
        if (result.service.exit_code != 0 || result.rows != s.jobs) {
            std::cerr << "job-sync exited with " << result.service.exit_code << ", " << result.rows
                      << " rows; its stderr:\n"
                      << read_text_file(run.stderr_path).substr(0, 4000) << "\n";
        }
        return result;
    }

    Options options_;
    fs::path workdir_;
    const std::string jwt_secret_ = random_secret();
    PgCluster cluster_;
    RestGateway gateway_;
    JsearchStandin standin_;
    std::unique_ptr<WholeBodyRelay> relay_;  // --whole-bodies
    PgConnection db_;
    ClusterCpu cluster_cpu_;
    bool has_concurrency_ = false;
    bool has_max_rps_ = false;
    int sharded_runs_ = 0;
};

Options parse_options(int argc, char** argv) {
    cxxopts::Options cli("job-sync-bench",
                         "Benchmarks job-sync end to end against its client and database floors");
    // clang-format off
    cli.add_options()
        ("job-sync", "The job-sync binary to measure",
         cxxopts::value<std::string>()->default_value("job-sync"))
        ("scenarios", "Comma-separated scenario ids or globs, e.g. 10k-*-c1,250-0ms-c1 "
         "(default $BENCH_SCENARIOS, else every standard one)", cxxopts::value<std::string>())
        ("quick", "Only up to 10,000 jobs (also BENCH_QUICK=1)")
        ("full", "Also 100k-300ms-c1, 1,000 sequential requests (also BENCH_FULL=1)")
        ("perf", "Run this scenario under perf record (also BENCH_PERF)", cxxopts::value<std::string>())
        ("perf-output", "perf's data file", cxxopts::value<std::string>()->default_value("perf.data"))
        ("profiler", "Instead of perf record, run that scenario under this command (also "
         "BENCH_PROFILER), e.g. \"valgrind --tool=massif --massif-out-file=massif.out\"",
         cxxopts::value<std::string>())
        ("markdown", "Also write the tables to this file", cxxopts::value<std::string>())
        ("runs", "Run each scenario N times and report the least CPU, the highest peak RSS and "
         "the median wall (also BENCH_RUNS; default 1)", cxxopts::value<std::string>())
        ("whole-bodies", "Also run every scenario with JSearch's answers relayed in one write "
         "each, beside the stand-in's 4 KiB writes (also BENCH_WHOLE_BODIES=1): what receiving "
         "a body in pieces costs")
        ("shards", "Also sync 10,000 jobs at 300 ms as one process and as N shards of one run "
         "(BENCH_SHARDS=N adds it to the scenarios); alone unless scenarios are chosen too",
         cxxopts::value<std::string>())
        ("h,help", "Show this help");
    // clang-format on
    const auto args = cli.parse(argc, argv);
    if (args.count("help")) {
        std::cout << cli.help() << "\n";
        std::exit(0);
    }
    Options options;
    options.job_sync = fs::absolute(args["job-sync"].as<std::string>()).string();
    options.selection.patterns = args.count("scenarios") ? args["scenarios"].as<std::string>()
                                                         : environment("BENCH_SCENARIOS");
    options.selection.quick = args.count("quick") || environment("BENCH_QUICK") == "1";
    options.selection.full = args.count("full") || environment("BENCH_FULL") == "1";
    options.whole_bodies = args.count("whole-bodies") || environment("BENCH_WHOLE_BODIES") == "1";
    options.perf_scenario =
        args.count("perf") ? args["perf"].as<std::string>() : environment("BENCH_PERF");
    options.perf_output = fs::absolute(args["perf-output"].as<std::string>()).string();
    if (args.count("markdown")) options.markdown = args["markdown"].as<std::string>();
    const std::string runs =
        args.count("runs") ? args["runs"].as<std::string>() : environment("BENCH_RUNS");
    if (!runs.empty()) options.runs = count_option("--runs (BENCH_RUNS)", runs, 1);
    const std::string shards =
        args.count("shards") ? args["shards"].as<std::string>() : environment("BENCH_SHARDS");
    if (!shards.empty()) {
        options.shards = count_option("--shards (BENCH_SHARDS)", shards, 2);
        // `--shards N` alone measures only that; BENCH_SHARDS=N adds it to `make bench`.
        options.sharding_only = args.count("shards") > 0 && options.selection.patterns.empty() &&
                                !options.selection.quick && !options.selection.full;
    }
    const std::string profiler =
        args.count("profiler") ? args["profiler"].as<std::string>() : environment("BENCH_PROFILER");
    if (profiler.empty()) {
        // cpu-clock works where hardware counters are not exposed (VMs); DWARF unwinding
        // because neither the Release build nor the libraries keep frame pointers.
        options.profiler = {"perf",      "record",       "-F",          "4999", "-e",
                            "cpu-clock", "--call-graph", "dwarf,16384", "-o",   options.perf_output,
                            "--"};
    } else {
        std::istringstream words(profiler);
        for (std::string word; words >> word;) options.profiler.push_back(word);
    }
    return options;
}

}  // namespace

int main(int argc, char** argv) {
    try {
        const Options options = parse_options(argc, argv);
        const std::vector<Scenario> scenarios =
            options.sharding_only ? std::vector<Scenario>{} : select_scenarios(options.selection);
        Bench bench(options);
        const Report report = bench.run(scenarios);
        std::string table = options.sharding_only ? report.header + "\n\n" : format_report(report);
        bool sharding_ok = true;
        if (options.shards > 1) {
            const ShardingReport sharding = bench.run_sharding(10000, 300, options.shards);
            table += "\n" + format_sharding(sharding);
            for (const ShardedRun* run : {&sharding.single, &sharding.sharded}) {
                sharding_ok = sharding_ok && run->status == "succeeded" && run->rows == 10000;
            }
        }
        std::cout << table << std::flush;
        if (!options.markdown.empty()) std::ofstream(options.markdown) << table;
        // A failed sync makes its figures meaningless; say so in the exit code too.
        for (const auto& run : report.scenarios) {
            if (run.skipped.empty() &&
                (run.service.exit_code != 0 || run.rows != run.scenario.jobs))
                return 1;
        }
        return sharding_ok ? 0 : 1;
    } catch (const std::exception& e) {
        std::cerr << "job-sync-bench: " << e.what() << "\n";
        return 1;
    }
}
