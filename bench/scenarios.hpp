// Which runs the benchmark makes: N jobs x JSearch latency x --concurrency, named like
// "10k-300ms-c8", and the subsets BENCH_SCENARIOS / BENCH_QUICK / BENCH_FULL select (pure).
#pragma once

#include <string>
#include <vector>

namespace jobsync::bench {

struct Scenario {
    int jobs = 0;
    int latency_ms = 0;
    int concurrency = 1;
    std::string id() const;  // "1k-0ms-c1", "100-0ms-c1"
};

// Every standard scenario: 1,000 / 10,000 / 100,000 jobs x 0 / 300 ms x concurrency 1 / 8.
std::vector<Scenario> standard_scenarios();

struct Selection {
    std::string patterns;  // comma-separated ids or globs ("10k-*", "100-0ms-c1"); empty: default
    bool quick = false;    // up to 10,000 jobs, 300 ms only at 1,000
    bool full = false;     // include 100k-300ms-c1 (1,000 sequential requests: 5+ minutes)
};

// The scenarios to run, ordered by jobs; throws std::invalid_argument for a pattern that
// matches nothing and is not an id.
std::vector<Scenario> select_scenarios(const Selection& selection);

}  // namespace jobsync::bench
