#include "postgres_floor.hpp"

#include <fstream>
#include <sstream>
#include <stdexcept>
#include <vector>

#include "jobs/job_row.hpp"
#include "process.hpp"

namespace jobsync::bench {

namespace {

std::string joined(bool (*keep)(std::string_view), const char* format) {
    std::string out;
    for (std::string_view column : jobs::kSyncColumns) {
        if (!keep(column)) continue;
        if (!out.empty()) out += ", ";
        std::string item = format;
        for (auto at = item.find('%'); at != std::string::npos; at = item.find('%', at + 1)) {
            item.replace(at, 1, column);
            at += column.size() - 1;
        }
        out += item;
    }
    return out;
}

bool any_column(std::string_view) { return true; }
bool not_the_key(std::string_view column) { return column != "job_id"; }

// psql's `\timing` lines, "Time: 12.345 ms (...)", in order.
std::vector<double> timings_of(const std::string& output) {
    std::vector<double> seconds;
    std::istringstream lines(output);
    for (std::string line; std::getline(lines, line);) {
        if (line.rfind("Time: ", 0) != 0) continue;
        seconds.push_back(std::stod(line.substr(6)) / 1000.0);
    }
    return seconds;
}

}  // namespace

PostgresFloor measure_postgres_floor(const PostgresTarget& target, const std::string& copy_path) {
    const std::string columns = joined(any_column, "%");
    const std::string script_path = target.workdir + "/floor-b.sql";
    std::ofstream(script_path) << "\\timing on\n"
                               << "CREATE TEMP TABLE bench_rows AS SELECT " << columns
                               << " FROM public.jobs WITH NO DATA;\n"
                               << "\\copy bench_rows (" << columns << ") from '" << copy_path
                               << "'\n"
                               << "INSERT INTO public.jobs (" << columns << ") SELECT " << columns
                               << " FROM bench_rows ON CONFLICT (job_id) DO UPDATE SET "
                               << joined(not_the_key, "% = EXCLUDED.%") << ";\n";

    ChildRun run;
    run.argv = {"psql",
                "-X",
                "-q",
                "-v",
                "ON_ERROR_STOP=1",
                "-h",
                "127.0.0.1",
                "-p",
                std::to_string(target.port),
                "-U",
                "postgres",
                "-d",
                "postgres",
                "-f",
                script_path};
    run.stdout_path = target.workdir + "/floor-b.out";
    run.stderr_path = target.workdir + "/floor-b.err";
    const ChildUsage usage = run_child(run);
    if (usage.exit_code != 0) {
        throw std::runtime_error("psql (floor b) exited with " + std::to_string(usage.exit_code) +
                                 ": " + read_text_file(run.stderr_path));
    }
    const std::vector<double> timings = timings_of(read_text_file(run.stdout_path));
    PostgresFloor floor;
    floor.wall_seconds = usage.wall_seconds;
    floor.psql_cpu_seconds = usage.cpu_seconds;
    if (timings.size() >= 3) {
        floor.copy_seconds = timings[1];
        floor.insert_seconds = timings[2];
    }
    return floor;
}

}  // namespace jobsync::bench
