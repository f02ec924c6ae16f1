#include "support/serve_until_stopped.hpp"

#include <pthread.h>
#include <unistd.h>

#include <csignal>
#include <cstdio>
#include <stdexcept>
#include <thread>

namespace jobsync::testing {

namespace {

sigset_t stop_signals() {
    sigset_t signals;
    sigemptyset(&signals);
    sigaddset(&signals, SIGINT);
    sigaddset(&signals, SIGTERM);
    return signals;
}

}  // namespace

void block_stop_signals() {
    const sigset_t signals = stop_signals();
    pthread_sigmask(SIG_BLOCK, &signals, nullptr);
}

void serve_until_stopped(bool watch_stdin) {
    // Unblocked, a signal would kill the process (or reach another thread) instead of sigwait.
    sigset_t blocked;
    pthread_sigmask(SIG_BLOCK, nullptr, &blocked);
    if (!sigismember(&blocked, SIGINT) || !sigismember(&blocked, SIGTERM)) {
        throw std::logic_error("serve_until_stopped: call block_stop_signals() first");
    }
    if (watch_stdin) {
        std::thread([] {
            char buffer[256];
            while (std::fread(buffer, 1, sizeof buffer, stdin) > 0) {
            }
            kill(getpid(), SIGTERM);
        }).detach();
    }
    const sigset_t signals = stop_signals();
    int signal = 0;
    sigwait(&signals, &signal);
}

}  // namespace jobsync::testing
