// What the benchmark measures about processes: a child's wall time, CPU time (wait4's rusage,
// so only that process is counted) and peak RSS (its own VmHWM), this process's own CPU time (the
// stand-ins run in it), and the CPU time of a PostgreSQL cluster (its postmaster and every
// process it started, live or already reaped).
#pragma once

#include <sys/types.h>

#include <string>
#include <vector>

namespace jobsync::bench {

struct ChildRun {
    std::vector<std::string> argv;       // argv[0] is the program's path
    std::vector<std::string> variables;  // "NAME=value", added to (or replacing in) environ
    std::string workdir;                 // empty: the current directory
    std::string stdout_path = "/dev/null";
    std::string stderr_path = "/dev/null";
};

struct ChildUsage {
    int exit_code = -1;  // 128 + signal when killed
    double wall_seconds = 0;
    double cpu_seconds = 0;  // user + system
    double user_seconds = 0;
    double system_seconds = 0;
    long peak_rss_kb = 0;           // VmHWM, polled every 2 ms until the child exits
    long voluntary_switches = 0;    // times it waited (for a socket, a lock, a timer)
    long involuntary_switches = 0;  // times it was preempted
};

// Runs the child to completion; throws when it cannot be started.
ChildUsage run_child(const ChildRun& run);

// What a command prints on stdout (for `job-sync sync --help`); empty when it cannot run.
std::string output_of(const std::vector<std::string>& argv);

// CPU time (user + system) this process has used so far, all threads.
double own_cpu_seconds();

// CPU time a cluster has used so far: the postmaster and its children (backends, the
// checkpointer, ...) while they run, plus what the postmaster collected from exited ones.
class ClusterCpu {
  public:
    explicit ClusterCpu(pid_t postmaster);
    double seconds() const;

  private:
    pid_t postmaster_;
};

std::string read_text_file(const std::string& path);

}  // namespace jobsync::bench
