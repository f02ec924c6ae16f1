// How a run is stopped from outside its flow: SIGINT/SIGTERM (app's signal thread) or the
// run's deadline. Shared by the runner (no new query, batch or sweep once stopped), the
// clients' retry loops (no new attempt, waits cut short) and the transport (a request in
// flight is abandoned). Header-only and free of network code so every layer can hold one.
#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <functional>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>

namespace jobsync::sync {

enum class StopCause { none, deadline, interrupt, terminate };

inline std::string_view to_string(StopCause cause) {
    switch (cause) {
        case StopCause::none:
            return "none";
        case StopCause::deadline:
            return "deadline";
        case StopCause::interrupt:
            return "SIGINT";
        case StopCause::terminate:
            return "SIGTERM";
    }
    return "unknown";
}

class StopSource {
  public:
    using Now = std::function<std::chrono::system_clock::time_point()>;

    // The run's deadline on an injected clock; once `now()` reaches it, stop_requested() is
    // true with StopCause::deadline.
    void set_deadline(std::chrono::system_clock::time_point deadline, Now now) {
        std::lock_guard lock(mutex_);
        deadline_ = deadline;
        now_ = std::move(now);
    }
    std::optional<std::chrono::system_clock::time_point> deadline() const {
        std::lock_guard lock(mutex_);
        return deadline_;
    }

    // The first cause wins; later requests are ignored. Wakes every wait_for. Safe to call
    // from any thread (not from a signal handler: the app uses a signal thread).
    void request_stop(StopCause cause, std::string reason) {
        {
            std::lock_guard lock(mutex_);
            if (cause_ != StopCause::none || cause == StopCause::none) return;
            cause_ = cause;
            reason_ = std::move(reason);
            stopped_.store(true);
        }
        woken_.notify_all();
    }

    bool stop_requested() {
        if (stopped_.load()) return true;
        std::optional<std::chrono::system_clock::time_point> deadline;
        Now now;
        {
            std::lock_guard lock(mutex_);
            deadline = deadline_;
            now = now_;
        }
        if (deadline && now && now() >= *deadline) {
            request_stop(StopCause::deadline, "the run's deadline passed");
        }
        return stopped_.load();
    }

    StopCause cause() const {
        std::lock_guard lock(mutex_);
        return cause_;
    }
    std::string reason() const {
        std::lock_guard lock(mutex_);
        return reason_;
    }

    // Sleeps up to `duration`, or until a stop is requested; true when stopped.
    bool wait_for(std::chrono::milliseconds duration) {
        std::unique_lock lock(mutex_);
        woken_.wait_for(lock, duration, [this] { return stopped_.load(); });
        return stopped_.load();
    }

  private:
    mutable std::mutex mutex_;
    std::condition_variable woken_;
    std::atomic<bool> stopped_{false};
    StopCause cause_ = StopCause::none;
    std::string reason_;
    std::optional<std::chrono::system_clock::time_point> deadline_;
    Now now_;
};

}  // namespace jobsync::sync
