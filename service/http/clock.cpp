#include "http/clock.hpp"

#include <mutex>
#include <random>
#include <thread>

namespace jobsync::http {

namespace {

using std::chrono::milliseconds;

class SystemClock final : public Clock {
  public:
    std::chrono::system_clock::time_point now() override {
        return std::chrono::system_clock::now();
    }
};

class ThreadSleeper final : public Sleeper {
  public:
    void sleep(milliseconds duration) override {
        if (duration > milliseconds::zero()) std::this_thread::sleep_for(duration);
    }
};

// Locked so one source may serve concurrent senders.
class RandomJitter final : public JitterSource {
  public:
    RandomJitter() : engine_(std::random_device{}()) {}
    double next() override {
        std::lock_guard<std::mutex> lock(mutex_);
        return distribution_(engine_);
    }

  private:
    std::mutex mutex_;
    std::mt19937 engine_;
    std::uniform_real_distribution<double> distribution_{-1.0, 1.0};
};

}  // namespace

Clock& system_clock() {
    static SystemClock clock;
    return clock;
}

Sleeper& real_sleeper() {
    static ThreadSleeper sleeper;
    return sleeper;
}

std::unique_ptr<JitterSource> make_random_jitter() { return std::make_unique<RandomJitter>(); }

}  // namespace jobsync::http
