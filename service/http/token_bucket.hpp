// The run's request rate, as pure arithmetic on time points (a GCRA token bucket): every
// JSearch request, retries included, takes one token, so N requests in flight together never
// pass `rate` per second. A 429 pauses the whole bucket, not one request. No clock and no
// sleeping in here: callers pass `now` and wait until the time point they are given.
#pragma once

#include <chrono>

namespace jobsync::http {

class TokenBucket {
  public:
    using TimePoint = std::chrono::system_clock::time_point;
    using Duration = std::chrono::nanoseconds;

    // `rate` tokens a second (> 0); up to `burst` (>= 1) may be taken at once after idling.
    TokenBucket(double rate, int burst);

    // Takes the next token: the time from which its request may be sent (`now` when one is
    // there). Later callers queue behind earlier ones, so tokens are granted in call order.
    TimePoint reserve(TimePoint now);

    // Grants nothing before `until` (e.g. a 429's Retry-After), then resumes at the steady
    // rate without a burst. A pause that ends earlier than one in force changes nothing.
    void pause_until(TimePoint until);

    Duration interval() const { return interval_; }
    TimePoint paused_until() const { return paused_until_; }

  private:
    Duration interval_;  // between two tokens at the steady rate
    Duration burst_;     // how far ahead of the steady rate tokens may be taken
    TimePoint next_{};   // the theoretical time of the next token at the steady rate
    TimePoint paused_until_{};
};

}  // namespace jobsync::http
