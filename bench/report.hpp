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
};

struct Report {
    std::string header;  // machine, binary, date
    std::vector<FloorResult> floors;
    std::vector<ScenarioResult> scenarios;
};

// Markdown tables: floors, service runs, targets.
std::string format_report(const Report& report);

}  // namespace jobsync::bench
