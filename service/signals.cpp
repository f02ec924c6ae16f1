#include "signals.hpp"

#include <spdlog/spdlog.h>
#include <unistd.h>

#include <csignal>
#include <cstdlib>
#include <string>

namespace jobsync {

namespace {

// SIGUSR1 only wakes the watcher when it is being closed.
sigset_t watched_signals() {
    sigset_t set;
    sigemptyset(&set);
    sigaddset(&set, SIGINT);
    sigaddset(&set, SIGTERM);
    sigaddset(&set, SIGUSR1);
    return set;
}

}  // namespace

SignalWatcher::SignalWatcher(sync::StopSource& stop) : stop_(stop) {
    const sigset_t set = watched_signals();
    pthread_sigmask(SIG_BLOCK, &set, nullptr);
    thread_ = std::thread([this] { watch(); });
}

SignalWatcher::~SignalWatcher() {
    closing_.store(true);
    pthread_kill(thread_.native_handle(), SIGUSR1);
    thread_.join();
}

void SignalWatcher::watch() {
    const sigset_t set = watched_signals();
    bool stopping = false;
    while (true) {
        int signal_number = 0;
        if (sigwait(&set, &signal_number) != 0) continue;
        if (signal_number == SIGUSR1) {
            if (closing_.load()) return;
            continue;
        }
        const char* name = signal_number == SIGINT ? "SIGINT" : "SIGTERM";
        if (stopping) {
            const std::string line =
                std::string("job-sync: second ") + name + ": exiting at once\n";
            [[maybe_unused]] auto written = ::write(STDERR_FILENO, line.data(), line.size());
            std::_Exit(128 + signal_number);
        }
        stopping = true;
        // spdlog::warn would read the default logger through a raw pointer, unlocked; this
        // thread starts before main sets up logging, which replaces that logger. The shared
        // copy is taken under the registry's lock and keeps the logger alive while in use.
        spdlog::default_logger()->warn(
            "{} received: stopping; the sweep will not start (send it again to exit at once)",
            name);
        stop_.request_stop(
            signal_number == SIGINT ? sync::StopCause::interrupt : sync::StopCause::terminate,
            std::string("stopped by ") + name);
    }
}

}  // namespace jobsync
