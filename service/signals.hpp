// SIGINT and SIGTERM, handled by a thread of their own (sigwait), so no work is done in a
// signal handler: the first signal asks the run to stop (no new request, in-flight ones
// cancelled, no sweep; the summary is still written), a second exits at once with 128+signo.
#pragma once

#include <pthread.h>

#include <atomic>
#include <thread>

#include "sync/stop.hpp"

namespace jobsync {

class SignalWatcher {
  public:
    // Blocks the signals in the calling thread, which every thread started later inherits,
    // so construct it in main() before anything starts a thread.
    explicit SignalWatcher(sync::StopSource& stop);
    ~SignalWatcher();
    SignalWatcher(const SignalWatcher&) = delete;
    SignalWatcher& operator=(const SignalWatcher&) = delete;

  private:
    void watch();

    sync::StopSource& stop_;
    std::atomic<bool> closing_{false};
    std::thread thread_;
};

}  // namespace jobsync
