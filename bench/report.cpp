#include "report.hpp"

#include <algorithm>
#include <cstdio>
#include <optional>
#include <sstream>
#include <stdexcept>
#include <vector>

namespace jobsync::bench {

namespace {

std::string fixed(double value, int decimals) {
    char text[64];
    std::snprintf(text, sizeof text, "%.*f", decimals, value);
    return text;
}

std::string ratio(double value) { return fixed(value, value < 10 ? 2 : 1) + "\u00d7"; }

std::string count(long value) {
    std::string digits = std::to_string(value);
    for (int at = static_cast<int>(digits.size()) - 3; at > 0; at -= 3) digits.insert(at, ",");
    return digits;
}

const FloorResult* floor_for(const Report& report, int jobs) {
    for (const auto& floor : report.floors) {
        if (floor.jobs == jobs) return &floor;
    }
    return nullptr;
}

const ScenarioResult* find_run(const Report& report, int jobs, int latency, int concurrency) {
    for (const auto& run : report.scenarios) {
        const Scenario& s = run.scenario;
        if (s.jobs == jobs && s.latency_ms == latency && s.concurrency == concurrency) return &run;
    }
    return nullptr;
}

bool succeeded(const ScenarioResult& run) {
    return run.skipped.empty() && run.service.exit_code == 0 && run.rows == run.scenario.jobs;
}

double cpu_ms_per_1k(double seconds, int jobs) { return seconds * 1e6 / jobs; }
double megabytes(long kilobytes) { return static_cast<double>(kilobytes) / 1024.0; }

void floors_table(std::ostringstream& out, const Report& report) {
    out << "Floors, measured in this run on the same pages and rows (floor (a): the least CPU "
           "of "
        << kFloorPasses << " passes):\n\n"
        << "| jobs | requests | pages MB | upsert MB | (a) client CPU ms/1k jobs | (b) PostgreSQL "
           "wall s | copy s | insert s | (b) PG CPU s | psql CPU s |\n"
        << "|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n";
    for (const auto& f : report.floors) {
        out << "| " << count(f.jobs) << " | " << count(f.requests) << " | "
            << fixed(static_cast<double>(f.client.page_bytes) / 1048576.0, 1) << " | "
            << fixed(static_cast<double>(f.client.body_bytes) / 1048576.0, 1) << " | "
            << fixed(cpu_ms_per_1k(f.client.cpu_seconds, f.jobs), 1) << " | "
            << fixed(f.postgres.wall_seconds, 2) << " | " << fixed(f.postgres.copy_seconds, 2)
            << " | " << fixed(f.postgres.insert_seconds, 2) << " | "
            << fixed(f.postgres_cpu_seconds, 2) << " | " << fixed(f.postgres.psql_cpu_seconds, 2)
            << " |\n";
    }
}

void runs_table(std::ostringstream& out, const Report& report) {
    out << "\njob-sync sync, end to end (JSearch stand-in -> job-sync -> gateway -> "
           "PostgreSQL)";
    int runs = 1;
    for (const auto& run : report.scenarios) runs = std::max(runs, run.runs);
    if (runs > 1) {
        out << ", each scenario run " << runs
            << " times: the least CPU (as floor (a)), the highest peak RSS, the median wall";
    }
    out << ":\n\n"
        << "| scenario | requests | wall s | jobs/s | CPU ms/1k jobs | \u00f7 floor (a) | peak RSS "
           "MB | wall \u00f7 floor (b) | PG CPU s | stand-ins CPU s | result |\n"
        << "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|\n";
    for (const auto& run : report.scenarios) {
        const Scenario& s = run.scenario;
        out << "| " << s.id() << " | " << count(run.requests) << " | ";
        if (!run.skipped.empty()) {
            out << "| | | | | | | | " << run.skipped << " |\n";
            continue;
        }
        const FloorResult* floor = floor_for(report, s.jobs);
        const double cpu = cpu_ms_per_1k(run.service.cpu_seconds, s.jobs);
        out << fixed(run.service.wall_seconds, 2) << " | "
            << count(static_cast<long>(s.jobs / run.service.wall_seconds)) << " | " << fixed(cpu, 1)
            << " | " << (floor ? ratio(cpu / cpu_ms_per_1k(floor->client.cpu_seconds, s.jobs)) : "")
            << " | " << fixed(megabytes(run.service.peak_rss_kb), 1) << " | "
            << (floor && s.latency_ms == 0
                    ? ratio(run.service.wall_seconds / floor->postgres.wall_seconds)
                    : "")
            << " | " << fixed(run.postgres_cpu_seconds, 2) << " | "
            << fixed(run.standins_cpu_seconds, 2) << " | ";
        if (succeeded(run)) {
            out << "ok";
        } else {
            out << "exit " << run.service.exit_code << ", " << count(run.rows) << " rows";
        }
        out << (run.profiled ? " (under perf)" : "") << " |\n";
    }
}

struct Target {
    std::string name;
    std::string scenario;
    std::string measured;
    std::string limit;
    std::optional<bool> met;  // nullopt: n/a
    std::string note;
};

std::vector<Target> evaluate_targets(const Report& report) {
    std::vector<Target> targets;
    for (const auto& run : report.scenarios) {
        const Scenario& s = run.scenario;
        const FloorResult* floor = floor_for(report, s.jobs);
        if (!run.skipped.empty() || !floor) continue;
        const double cpu_ratio = run.service.cpu_seconds / floor->client.cpu_seconds;
        targets.push_back({"CPU \u2264 2\u00d7 floor (a)", s.id(), ratio(cpu_ratio), "2.00\u00d7",
                           cpu_ratio <= 2.0, ""});
        if (s.latency_ms == 0) {
            const double wall_ratio = run.service.wall_seconds / floor->postgres.wall_seconds;
            targets.push_back({"0 ms: wall \u2264 3\u00d7 floor (b)", s.id(), ratio(wall_ratio),
                               "3.00\u00d7", wall_ratio <= 3.0, ""});
        }
        if (s.jobs == 100000) {
            const double mb = megabytes(run.service.peak_rss_kb);
            targets.push_back({"peak RSS \u2264 32 MB at 100k", s.id(), fixed(mb, 1) + " MB",
                               "32 MB", mb <= 32.0, ""});
            if (const ScenarioResult* small = find_run(report, 10000, s.latency_ms, s.concurrency);
                small && small->skipped.empty()) {
                const double growth = static_cast<double>(run.service.peak_rss_kb) /
                                      static_cast<double>(small->service.peak_rss_kb);
                targets.push_back({"RSS growth 10k\u2192100k < 1.25\u00d7",
                                   small->scenario.id() + " \u2192 " + s.id(), ratio(growth),
                                   "1.25\u00d7", growth < 1.25, ""});
            }
        }
    }
    for (const auto& run : report.scenarios) {
        const Scenario& s = run.scenario;
        if (s.latency_ms == 0 || s.concurrency != 8) continue;
        const double limit = 1.3 * run.requests * (s.latency_ms / 1000.0) / 8.0;
        if (!run.skipped.empty()) {
            targets.push_back({"300 ms, c8: wall \u2264 1.3\u00d7 requests\u00d7latency\u00f78",
                               s.id(), "", fixed(limit, 2) + " s", std::nullopt, run.skipped});
            continue;
        }
        targets.push_back({"300 ms, c8: wall \u2264 1.3\u00d7 requests\u00d7latency\u00f78", s.id(),
                           fixed(run.service.wall_seconds, 2) + " s", fixed(limit, 2) + " s",
                           run.service.wall_seconds <= limit, ""});
    }
    return targets;
}

void targets_table(std::ostringstream& out, const Report& report) {
    out << "\nTargets (issue 8):\n\n"
        << "| target | scenario | measured | limit | status |\n|---|---|---:|---:|---|\n";
    for (const auto& t : evaluate_targets(report)) {
        out << "| " << t.name << " | " << t.scenario << " | " << t.measured << " | " << t.limit
            << " | "
            << (!t.met   ? (t.note.empty() ? "n/a" : t.note)
                : *t.met ? "met"
                         : "not met")
            << " |\n";
    }
}

// Each scenario beside itself with JSearch's answers relayed whole: what job-sync's CPU costs
// when a body arrives in a few large pieces rather than the stand-in's 4 KiB ones.
void whole_bodies_table(std::ostringstream& out, const Report& report) {
    out << "\nReceive pattern (`--whole-bodies`): each scenario again, with every JSearch answer "
           "relayed in one write. The stand-in's listener (cpprestsdk) writes a body 4 KiB at a "
           "time. Not held against the targets.\n\n"
        << "| scenario | CPU ms/1k jobs, 4 KiB writes | whole bodies | whole \u00f7 4 KiB | "
           "\u00f7 floor (a), 4 KiB / whole | waits (voluntary switches), 4 KiB / whole | wall "
           "s, 4 KiB / whole | result |\n"
        << "|---|---:|---:|---:|---|---|---|---|\n";
    for (const auto& whole : report.whole_body_runs) {
        const Scenario& s = whole.scenario;
        const ScenarioResult* direct = find_run(report, s.jobs, s.latency_ms, s.concurrency);
        if (!direct || !direct->skipped.empty() || !whole.skipped.empty()) continue;
        const FloorResult* floor = floor_for(report, s.jobs);
        const double cpu = cpu_ms_per_1k(direct->service.cpu_seconds, s.jobs);
        const double cpu_whole = cpu_ms_per_1k(whole.service.cpu_seconds, s.jobs);
        out << "| " << s.id() << " | " << fixed(cpu, 1) << " | " << fixed(cpu_whole, 1) << " | "
            << ratio(cpu_whole / cpu) << " | ";
        if (floor) {
            const double per_1k = cpu_ms_per_1k(floor->client.cpu_seconds, s.jobs);
            out << ratio(cpu / per_1k) << " / " << ratio(cpu_whole / per_1k);
        }
        out << " | " << count(direct->service.voluntary_switches) << " / "
            << count(whole.service.voluntary_switches) << " | "
            << fixed(direct->service.wall_seconds, 2) << " / "
            << fixed(whole.service.wall_seconds, 2) << " | ";
        if (!succeeded(whole)) {
            out << "whole bodies: exit " << whole.service.exit_code << ", " << count(whole.rows)
                << " rows";
        } else {
            out << (succeeded(*direct) ? "ok" : "4 KiB writes failed (above)");
        }
        out << (direct->profiled || whole.profiled ? " (under perf)" : "") << " |\n";
    }
}

}  // namespace

ScenarioResult combine_runs(const std::vector<ScenarioResult>& runs) {
    if (runs.empty()) throw std::invalid_argument("combine_runs: no runs");
    ScenarioResult combined = runs.front();
    combined.runs = static_cast<int>(runs.size());
    std::vector<double> walls;
    for (const auto& run : runs) {
        walls.push_back(run.service.wall_seconds);
        if (run.service.cpu_seconds < combined.service.cpu_seconds) {
            combined.service.cpu_seconds = run.service.cpu_seconds;
            combined.service.user_seconds = run.service.user_seconds;
            combined.service.system_seconds = run.service.system_seconds;
            combined.service.voluntary_switches = run.service.voluntary_switches;
            combined.service.involuntary_switches = run.service.involuntary_switches;
        }
        combined.service.peak_rss_kb =
            std::max(combined.service.peak_rss_kb, run.service.peak_rss_kb);
        combined.postgres_cpu_seconds =
            std::min(combined.postgres_cpu_seconds, run.postgres_cpu_seconds);
        combined.standins_cpu_seconds =
            std::min(combined.standins_cpu_seconds, run.standins_cpu_seconds);
        combined.profiled = combined.profiled || run.profiled;
        if (succeeded(combined) && !succeeded(run)) {
            combined.service.exit_code = run.service.exit_code;
            combined.rows = run.rows;
        }
    }
    std::sort(walls.begin(), walls.end());
    const std::size_t middle = walls.size() / 2;
    combined.service.wall_seconds =
        walls.size() % 2 == 1 ? walls[middle] : (walls[middle - 1] + walls[middle]) / 2.0;
    return combined;
}

std::string format_report(const Report& report) {
    std::ostringstream out;
    out << report.header << "\n\n";
    floors_table(out, report);
    runs_table(out, report);
    targets_table(out, report);
    if (!report.whole_body_runs.empty()) whole_bodies_table(out, report);
    return out.str();
}

std::string format_sharding(const ShardingReport& r) {
    std::ostringstream out;
    out << "### Sharding: " << r.jobs << " jobs in " << r.queries << " queries at " << r.latency_ms
        << " ms per JSearch request\n\n"
        << "| run | wall time | billed requests | rows active | status | per shard (queries, "
           "wall s) |\n"
        << "|---|---:|---:|---:|---|---|\n";
    for (const ShardedRun* run : {&r.single, &r.sharded}) {
        std::string shards;
        for (std::size_t i = 0; i < run->queries.size(); ++i) {
            shards += (shards.empty() ? "" : ", ") + std::to_string(run->queries[i]) + "q " +
                      (i < run->seconds.size() ? fixed(run->seconds[i], 1) : "?") + "s";
            if (i < run->exit_codes.size() && run->exit_codes[i] != 0) {
                shards += " (exit " + std::to_string(run->exit_codes[i]) + ")";
            }
        }
        out << "| "
            << (run->shards == 1 ? std::string("1 process")
                                 : std::to_string(run->shards) + " shards")
            << " | " << fixed(run->wall_seconds, 1) << " s | " << run->billed_requests << " | "
            << run->rows << " | " << run->status << " | " << shards << " |\n";
    }
    if (r.sharded.wall_seconds > 0) {
        out << "\nSpeed-up " << fixed(r.single.wall_seconds / r.sharded.wall_seconds, 2)
            << "x; the slowest shard sets the wall time (rendezvous hashing balances queries, "
               "not their pages).\n";
    }
    return out.str();
}

}  // namespace jobsync::bench
