#include "process.hpp"

#include <fcntl.h>
#include <spawn.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <stdexcept>
#include <thread>

#include "support/process_memory.hpp"

extern char** environ;

namespace jobsync::bench {

namespace {

namespace fs = std::filesystem;

double seconds_of(const timeval& time) {
    return static_cast<double>(time.tv_sec) + static_cast<double>(time.tv_usec) * 1e-6;
}

std::string name_of(const std::string& variable) { return variable.substr(0, variable.find('=')); }

std::vector<std::string> environment_with(const std::vector<std::string>& variables) {
    std::vector<std::string> result;
    for (char** entry = environ; *entry != nullptr; ++entry) {
        const std::string existing(*entry);
        bool replaced = false;
        for (const auto& variable : variables) replaced |= name_of(variable) == name_of(existing);
        if (!replaced) result.push_back(existing);
    }
    result.insert(result.end(), variables.begin(), variables.end());
    return result;
}

struct ProcStat {
    pid_t parent = 0;
    unsigned long long ticks = 0;  // utime + stime + cutime + cstime
};

// /proc/<pid>/stat, fields 4 (ppid) and 14-17 (times in clock ticks).
bool read_proc_stat(const std::string& path, ProcStat& stat) {
    std::ifstream file(path);
    std::string line;
    if (!std::getline(file, line)) return false;
    const auto after_name = line.rfind(") ");  // the name may hold spaces and parentheses
    if (after_name == std::string::npos) return false;
    std::istringstream fields(line.substr(after_name + 2));
    std::string state;
    long long value = 0;
    fields >> state >> stat.parent;
    for (int field = 5; field <= 13; ++field) fields >> value;
    long long utime = 0, stime = 0, cutime = 0, cstime = 0;
    fields >> utime >> stime >> cutime >> cstime;
    if (!fields) return false;
    stat.ticks = static_cast<unsigned long long>(utime + stime + cutime + cstime);
    return true;
}

}  // namespace

ChildUsage run_child(const ChildRun& run) {
    std::vector<std::string> env_strings = environment_with(run.variables);
    std::vector<char*> argv;
    argv.reserve(run.argv.size() + 1);
    for (const auto& arg : run.argv) argv.push_back(const_cast<char*>(arg.c_str()));
    argv.push_back(nullptr);
    std::vector<char*> envp;
    envp.reserve(env_strings.size() + 1);
    for (auto& entry : env_strings) envp.push_back(entry.data());
    envp.push_back(nullptr);

    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    if (!run.workdir.empty()) posix_spawn_file_actions_addchdir_np(&actions, run.workdir.c_str());
    posix_spawn_file_actions_addopen(&actions, STDIN_FILENO, "/dev/null", O_RDONLY, 0);
    posix_spawn_file_actions_addopen(&actions, STDOUT_FILENO, run.stdout_path.c_str(),
                                     O_WRONLY | O_CREAT | O_TRUNC, 0644);
    posix_spawn_file_actions_addopen(&actions, STDERR_FILENO, run.stderr_path.c_str(),
                                     O_WRONLY | O_CREAT | O_TRUNC, 0644);
    const auto started = std::chrono::steady_clock::now();
    pid_t pid = 0;
    const int error = ::posix_spawnp(&pid, argv[0], &actions, nullptr, argv.data(), envp.data());
    posix_spawn_file_actions_destroy(&actions);
    if (error != 0) {
        throw std::runtime_error("cannot start " + run.argv.front() + ": " + std::strerror(error));
    }
    // Its peak memory: VmHWM, polled (support/process_memory.hpp says why not ru_maxrss).
    long peak_kb = 0;
    int status = 0;
    rusage usage{};
    for (;;) {
        peak_kb = std::max(peak_kb, testing::high_water_kib(pid));
        const pid_t done = ::wait4(pid, &status, WNOHANG, &usage);
        if (done == pid) break;
        if (done < 0 && errno != EINTR) {
            throw std::runtime_error("wait4 failed: " + std::string(std::strerror(errno)));
        }
        std::this_thread::sleep_for(std::chrono::milliseconds(2));
    }
    ChildUsage result;
    result.wall_seconds =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
    result.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
    result.user_seconds = seconds_of(usage.ru_utime);
    result.system_seconds = seconds_of(usage.ru_stime);
    result.cpu_seconds = result.user_seconds + result.system_seconds;
    result.peak_rss_kb = peak_kb;
    result.voluntary_switches = usage.ru_nvcsw;
    result.involuntary_switches = usage.ru_nivcsw;
    return result;
}

std::string output_of(const std::vector<std::string>& argv) {
    const fs::path path =
        fs::temp_directory_path() / ("job-sync-bench-" + std::to_string(::getpid()) + ".out");
    ChildRun run;
    run.argv = argv;
    run.stdout_path = path.string();
    std::string output;
    try {
        if (run_child(run).exit_code == 0) output = read_text_file(path.string());
    } catch (const std::exception&) {
    }
    std::error_code ignored;
    fs::remove(path, ignored);
    return output;
}

double own_cpu_seconds() {
    rusage usage{};
    ::getrusage(RUSAGE_SELF, &usage);
    return seconds_of(usage.ru_utime) + seconds_of(usage.ru_stime);
}

ClusterCpu::ClusterCpu(pid_t postmaster) : postmaster_(postmaster) {}

double ClusterCpu::seconds() const {
    unsigned long long ticks = 0;
    ProcStat stat;
    if (read_proc_stat("/proc/" + std::to_string(postmaster_) + "/stat", stat)) ticks += stat.ticks;
    std::error_code ec;
    for (const auto& entry : fs::directory_iterator("/proc", ec)) {
        const std::string name = entry.path().filename().string();
        if (name.empty() || name.find_first_not_of("0123456789") != std::string::npos) continue;
        if (read_proc_stat(entry.path().string() + "/stat", stat) && stat.parent == postmaster_) {
            ticks += stat.ticks;
        }
    }
    return static_cast<double>(ticks) / static_cast<double>(::sysconf(_SC_CLK_TCK));
}

std::string read_text_file(const std::string& path) {
    std::ifstream file(path, std::ios::binary);
    std::ostringstream text;
    text << file.rdbuf();
    return text.str();
}

}  // namespace jobsync::bench
