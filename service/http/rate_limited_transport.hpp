// A Transport that sends through a shared TokenBucket: every request (a retry too) waits for
// its token, and a 429 pauses the bucket for its Retry-After (or `pause_after_429` when it has
// none), so one throttled answer slows every request of the run instead of each one learning
// it separately. Safe to use from several threads.
#pragma once

#include <chrono>
#include <mutex>

#include "http/retry.hpp"
#include "http/token_bucket.hpp"
#include "http/transport.hpp"

namespace jobsync::http {

struct RateLimit {
    double requests_per_second = 5.0;  // 0: no limit (a 429 still pauses every request)
    int burst = 1;
    std::chrono::milliseconds pause_after_429{std::chrono::seconds(1)};
    std::chrono::milliseconds max_pause{std::chrono::seconds(60)};  // cap on Retry-After
};

class RateLimitedTransport final : public Transport {
  public:
    // `clock` and `sleeper` are the run's (the app's sleeper wakes when the run stops).
    RateLimitedTransport(Transport& inner, RateLimit limit, Clock& clock, Sleeper& sleeper);

    Response send(const Request& request) override;

    // From now on nothing is sent: every request fails at once as a transport failure (the run
    // stopped fetching while queries were in flight, e.g. the key was refused).
    void halt();

    // Tokens taken and 429 pauses so far, for the summary's log line and tests.
    long requests() const;
    long pauses() const;

  private:
    Transport& inner_;
    RateLimit limit_;
    Clock& clock_;
    Sleeper& sleeper_;
    mutable std::mutex mutex_;
    TokenBucket bucket_;
    long requests_ = 0;
    long pauses_ = 0;
    bool halted_ = false;
};

}  // namespace jobsync::http
