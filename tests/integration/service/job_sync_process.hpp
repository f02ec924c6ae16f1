// The real `build/job-sync` binary as a child process (posix_spawn), for tests that need two
// runs at once or a run killed with SIGKILL. Its stdout and stderr go to files read after it
// ends; a process still running when the object dies is killed.
#pragma once

#include <sys/types.h>

#include <chrono>
#include <condition_variable>
#include <mutex>
#include <string>
#include <vector>

#include "config/config.hpp"

namespace jobsync::testing {

class JobSyncProcess {
  public:
    // Starts `job-sync sync <args>` with exactly `environment` (and a sanitizer build's
    // options: support/child_environment.hpp), in an empty directory (so no stray ./.env is
    // read).
    JobSyncProcess(const std::vector<std::string>& args, const config::EnvMap& environment);
    ~JobSyncProcess();
    JobSyncProcess(const JobSyncProcess&) = delete;
    JobSyncProcess& operator=(const JobSyncProcess&) = delete;

    pid_t pid() const { return pid_; }
    // The exit code, or 128 + signal; kills the process after `limit` (and returns -1).
    int wait(std::chrono::seconds limit = std::chrono::seconds(60));
    void kill_now();  // SIGKILL, then reap
    std::string out() const;
    std::string err() const;

  private:
    std::string dir_;
    pid_t pid_ = -1;
    int status_ = -1;
    bool reaped_ = false;
};

// A one-shot signal between a gateway hook (on a listener thread) and the test thread.
class Flag {
  public:
    void raise();
    bool raised();
    // True when raised within `limit`.
    bool wait(std::chrono::milliseconds limit = std::chrono::seconds(20));

  private:
    std::mutex mutex_;
    std::condition_variable changed_;
    bool raised_ = false;
};

}  // namespace jobsync::testing
