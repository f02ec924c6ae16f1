#include "http/token_bucket.hpp"

#include <algorithm>
#include <cmath>
#include <stdexcept>

namespace jobsync::http {

TokenBucket::TokenBucket(double rate, int burst) {
    if (!(rate > 0.0) || !std::isfinite(rate) || burst < 1) {
        throw std::invalid_argument("token bucket: rate must be > 0 and burst >= 1");
    }
    const double nanos = 1e9 / rate;
    interval_ = Duration(std::max<long long>(1, std::llround(std::min(nanos, 1e15))));
    burst_ = interval_ * (burst - 1);
}

TokenBucket::TimePoint TokenBucket::reserve(TimePoint now) {
    const TimePoint at = std::max({now, next_ - burst_, paused_until_});
    next_ = std::max(next_, at) + interval_;
    return at;
}

void TokenBucket::pause_until(TimePoint until) {
    if (until <= paused_until_) return;
    paused_until_ = until;
    // No burst of saved-up tokens the moment the pause ends: the steady rate starts there.
    next_ = std::max(next_, until + burst_);
}

}  // namespace jobsync::http
