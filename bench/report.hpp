// The benchmark's results and the table it prints (pure): every figure beside its floor, and
// the targets marked met / not met / n/a.
#pragma once

#include <string>
#include <vector>

#include "client_floor.hpp"
#include "postgres_floor.hpp"
#include "process.hpp"
#include "scenarios.hpp"

namespace jobsync::bench {

// Passes of floor (a) over each feed; its figure is the least CPU of them.
inline constexpr int kFloorPasses = 3;

struct FloorResult {
    int jobs = 0;
    int requests = 0;
    ClientFloor client;           // floor (a)
    PostgresFloor postgres;       // floor (b)
    double postgres_cpu_seconds;  // the cluster's CPU during floor (b)
};

struct ScenarioResult {
    Scenario scenario;
    int requests = 0;
    std::string skipped;  // why it did not run ("n/a: no --concurrency"), empty when it ran
    ChildUsage service;
    double postgres_cpu_seconds = 0;  // the cluster's CPU during the run
    double standins_cpu_seconds = 0;  // the gateway and the JSearch stand-in (this process)
    long rows = 0;                    // active rows stamped by the run afterwards
    bool profiled = false;            // ran under perf: CPU and RSS include perf's
    int runs = 1;                     // times it ran; the figures combine them (combine_runs)
};

// A scenario run several times (`--runs N`), as one result measured the way the floors are:
// CPU (job-sync's, PostgreSQL's, the stand-ins') the least of the runs, since CPU time only
// grows with interference, as floor (a) is the least of kFloorPasses passes; peak RSS the
// highest, since it is held against a cap; wall time the median (walls vary both ways). Exit
// code and rows are the first failed run's, so a failure in any run shows. Throws
// std::invalid_argument for no runs.
ScenarioResult combine_runs(const std::vector<ScenarioResult>& runs);

struct Report {
    std::string header;  // machine, binary, date
    std::vector<FloorResult> floors;
    std::vector<ScenarioResult> scenarios;
    // `--whole-bodies`: the same scenarios again, JSearch's answers relayed in one write each
    // (relay.hpp). A diagnostic, beside the direct runs; never held against the targets.
    std::vector<ScenarioResult> whole_body_runs;
};

// Markdown tables: floors, service runs, targets, and the whole-body comparison when it ran.
std::string format_report(const Report& report);

// One run of the feed, as one process or as N shards of one run (issue 11).
struct ShardedRun {
    int shards = 1;
    double wall_seconds = 0;   // from the first start to the last exit
    long billed_requests = 0;  // job_sync_runs.billed_requests (summed over the shards)
    long rows = 0;             // active rows afterwards
    std::vector<int> exit_codes;
    std::vector<int> queries;     // queries of each shard (job_sync_run_shards)
    std::vector<double> seconds;  // wall time of each shard
    std::string status;           // job_sync_runs.status
};

struct ShardingReport {
    int jobs = 0;
    int queries = 0;
    int latency_ms = 0;
    ShardedRun single;
    ShardedRun sharded;
};

// "Sharding" table: one process beside N shards, wall time and billed requests.
std::string format_sharding(const ShardingReport& report);

}  // namespace jobsync::bench
