#include "http/rate_limited_transport.hpp"

#include <spdlog/spdlog.h>

#include <algorithm>

namespace jobsync::http {

namespace {

Response halted_response(const Request& request) {
    Response response;
    // As a connection that never reached the server: nothing was sent, nothing billed.
    response.error = TransportError::connect_failed;
    response.error_message = request.method + ": not sent: the run stopped fetching";
    return response;
}

}  // namespace

RateLimitedTransport::RateLimitedTransport(Transport& inner, RateLimit limit, Clock& clock,
                                           Sleeper& sleeper)
    : inner_(inner),
      limit_(limit),
      clock_(clock),
      sleeper_(sleeper),
      // Unlimited: a bucket too fast to ever make anyone wait, kept for the 429 pause.
      bucket_(limit.requests_per_second > 0 ? limit.requests_per_second : 1e9,
              std::max(limit.burst, 1)) {}

Response RateLimitedTransport::send(const Request& request) {
    const auto now = clock_.now();
    TokenBucket::TimePoint at;
    {
        std::lock_guard lock(mutex_);
        if (halted_) return halted_response(request);
        at = limit_.requests_per_second > 0 ? bucket_.reserve(now)
                                            : std::max(now, bucket_.paused_until());
        ++requests_;
    }
    if (at > now) {
        // Rounded up: waking a little late keeps the rate, waking early would pass it.
        sleeper_.sleep(std::chrono::ceil<std::chrono::milliseconds>(at - now));
    }
    {
        std::lock_guard lock(mutex_);  // halted while waiting for the token
        if (halted_) return halted_response(request);
    }
    if (request.cancelled && request.cancelled()) {
        // The run stopped while this request waited for its token: it is not sent.
        Response response;
        response.error = TransportError::cancelled;
        response.error_message = request.method + ": not sent: the run is stopping";
        return response;
    }
    Response response = inner_.send(request);
    if (response.status == 429) {
        const auto answered = clock_.now();
        std::chrono::milliseconds pause = limit_.pause_after_429;
        if (auto header = response.header("Retry-After")) {
            if (auto told = parse_retry_after(*header, answered)) pause = *told;
        }
        pause = std::clamp(pause, std::chrono::milliseconds(0), limit_.max_pause);
        std::lock_guard lock(mutex_);
        if (answered + pause > bucket_.paused_until()) {
            bucket_.pause_until(answered + pause);
            ++pauses_;
            spdlog::warn("JSearch answered 429: no request is sent for {} ms", pause.count());
        }
    }
    return response;
}

void RateLimitedTransport::halt() {
    std::lock_guard lock(mutex_);
    halted_ = true;
}

long RateLimitedTransport::requests() const {
    std::lock_guard lock(mutex_);
    return requests_;
}

long RateLimitedTransport::pauses() const {
    std::lock_guard lock(mutex_);
    return pauses_;
}

}  // namespace jobsync::http
