// Runs build/job-sync as a real process (for signals, deadlines and its peak memory; see also
// job_sync_process.hpp, which has no signals or memory figure):
// stdout and stderr go to files, and the child's own peak resident size is its VmHWM, polled
// until it exits (support/process_memory.hpp: wait4's ru_maxrss would also count this test
// process's memory).
#pragma once

#include <fcntl.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include "support/child_environment.hpp"
#include "support/process_memory.hpp"

namespace jobsync::testing {

struct ChildResult {
    int exit_code = -1;  // 128 + signal when killed by one
    std::string out;
    std::string err;
    long peak_rss_kib = 0;
    std::chrono::milliseconds elapsed{0};
    std::chrono::milliseconds since_signal{0};  // from interrupt()'s signal to the exit
};

class MeasuredRun {
  public:
    MeasuredRun(const std::vector<std::string>& args, const std::map<std::string, std::string>& env)
        : dir_(std::filesystem::temp_directory_path() /
               ("job-sync-child-" + std::to_string(::getpid()) + "-" +
                std::to_string(counter()++))) {
        std::filesystem::create_directories(dir_);
        std::vector<std::string> words{std::string(JOBSYNC_BINARY_DIR) + "/job-sync", "sync"};
        words.insert(words.end(), args.begin(), args.end());
        std::vector<std::string> environment = child_environment(env);
        std::vector<char*> argv;
        for (auto& word : words) argv.push_back(word.data());
        argv.push_back(nullptr);
        std::vector<char*> envp;
        for (auto& entry : environment) envp.push_back(entry.data());
        envp.push_back(nullptr);
        const std::string out = (dir_ / "out").string();
        const std::string err = (dir_ / "err").string();
        // Opened before fork: the child (of a threaded parent) only calls dup2/chdir/execve.
        const int out_fd = ::open(out.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
        const int err_fd = ::open(err.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
        const std::string dir = dir_.string();
        // Closed by the child's exec: the constructor returns once the child is job-sync, so
        // its memory figures are never the forked copy of this process's.
        int exec_done[2];
        if (::pipe2(exec_done, O_CLOEXEC) != 0) throw std::runtime_error("pipe2 failed");
        started_ = std::chrono::steady_clock::now();
        pid_ = ::fork();
        if (pid_ < 0) {
            ::close(exec_done[0]);
            ::close(exec_done[1]);
            throw std::runtime_error("fork failed");
        }
        if (pid_ == 0) {
            // No .env from the test's working directory may leak in.
            if (::chdir(dir.c_str()) != 0 || ::dup2(out_fd, 1) < 0 || ::dup2(err_fd, 2) < 0) {
                ::_exit(126);
            }
            ::execve(argv[0], argv.data(), envp.data());
            ::_exit(127);
        }
        ::close(exec_done[1]);
        char ignored = 0;
        while (::read(exec_done[0], &ignored, 1) < 0 && errno == EINTR) {
        }
        ::close(exec_done[0]);
        ::close(out_fd);
        ::close(err_fd);
    }

    ~MeasuredRun() {
        if (pid_ > 0 && !reaped_) {
            ::kill(pid_, SIGKILL);
            ::waitpid(pid_, nullptr, 0);
        }
        std::error_code ignored;
        std::filesystem::remove_all(dir_, ignored);
    }

    void signal(int number) { ::kill(pid_, number); }

    // Sends signal `number`, then waits as wait() does; since_signal is how long it took.
    ChildResult interrupt(int number, std::chrono::milliseconds limit) {
        const auto sent = std::chrono::steady_clock::now();
        signal(number);
        ChildResult result = wait(limit);
        result.since_signal =
            result.elapsed - std::chrono::duration_cast<std::chrono::milliseconds>(sent - started_);
        return result;
    }

    // Waits up to `limit`; kills the child (and fails) past it.
    ChildResult wait(std::chrono::milliseconds limit) {
        ChildResult result;
        int status = 0;
        const auto until = std::chrono::steady_clock::now() + limit;
        long peak_kib = 0;
        while (true) {
            peak_kib = std::max(peak_kib, high_water_kib(pid_));
            const pid_t done = ::waitpid(pid_, &status, WNOHANG);
            if (done == pid_) break;
            if (std::chrono::steady_clock::now() > until) {
                ::kill(pid_, SIGKILL);
                ::waitpid(pid_, &status, 0);
                reaped_ = true;
                throw std::runtime_error("job-sync did not exit within the limit");
            }
            std::this_thread::sleep_for(std::chrono::milliseconds(5));
        }
        reaped_ = true;
        result.elapsed = std::chrono::duration_cast<std::chrono::milliseconds>(
            std::chrono::steady_clock::now() - started_);
        result.exit_code = WIFEXITED(status) ? WEXITSTATUS(status)
                                             : 128 + (WIFSIGNALED(status) ? WTERMSIG(status) : 0);
        result.peak_rss_kib = peak_kib;
        result.out = slurp(dir_ / "out");
        result.err = slurp(dir_ / "err");
        return result;
    }

  private:
    static int& counter() {
        static int value = 0;
        return value;
    }
    static std::string slurp(const std::filesystem::path& path) {
        std::ifstream file(path);
        std::stringstream text;
        text << file.rdbuf();
        return text.str();
    }

    std::filesystem::path dir_;
    pid_t pid_ = -1;
    bool reaped_ = false;
    std::chrono::steady_clock::time_point started_;
};

}  // namespace jobsync::testing
