// What retries wait with: the clock, the sleeper and the jitter source, injected so the
// schedule is tested exactly and no test ever sleeps; and the real ones.
#pragma once

#include <chrono>
#include <memory>

namespace jobsync::http {

class Clock {
  public:
    virtual ~Clock() = default;
    virtual std::chrono::system_clock::time_point now() = 0;
};

class Sleeper {
  public:
    virtual ~Sleeper() = default;
    virtual void sleep(std::chrono::milliseconds duration) = 0;
};

// Returns a value in [-1, 1]; scaled by jitter_fraction.
class JitterSource {
  public:
    virtual ~JitterSource() = default;
    virtual double next() = 0;
};

// Real implementations (system clock, this_thread::sleep_for, a seeded mt19937).
Clock& system_clock();
Sleeper& real_sleeper();
std::unique_ptr<JitterSource> make_random_jitter();

}  // namespace jobsync::http
