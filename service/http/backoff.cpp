#include "http/backoff.hpp"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstdint>

#include "text/strings.hpp"
#include "text/timestamps.hpp"

namespace jobsync::http {

namespace {

using std::chrono::milliseconds;
using std::chrono::seconds;

// Longer than any sane Retry-After; keeps the arithmetic far from overflow.
constexpr std::uint64_t kMaxDeltaSeconds = 365ULL * 24 * 3600;

}  // namespace

bool is_retryable(const Response& response) {
    switch (response.error) {
        case TransportError::none:
            break;
        case TransportError::connect_failed:
        case TransportError::timeout:
        case TransportError::other:
            return true;
        case TransportError::tls:
        case TransportError::body_too_large:
        case TransportError::cancelled:
            return false;
    }
    return response.status == 408 || response.status == 429 ||
           (response.status >= 500 && response.status <= 599);
}

milliseconds backoff_delay(const RetryPolicy& policy, int retry, double jitter) {
    if (!std::isfinite(jitter)) jitter = 0.0;
    jitter = std::clamp(jitter, -1.0, 1.0);
    retry = std::clamp(retry, 0, 30);  // 2^30 * base is already absurd; avoids overflow
    const double base = static_cast<double>(policy.base_delay.count()) * std::ldexp(1.0, retry);
    const double scaled = base * (1.0 + policy.jitter_fraction * jitter);
    return milliseconds(std::max<std::int64_t>(0, std::llround(scaled)));
}

std::optional<milliseconds> parse_retry_after(std::string_view value,
                                              std::chrono::system_clock::time_point now) {
    value = text::trim(value);
    std::uint64_t delta = 0;  // unsigned: "-5" is not a number here
    const auto [end, error] = std::from_chars(value.data(), value.data() + value.size(), delta);
    if (end == value.data() + value.size() && !value.empty()) {
        if (error == std::errc::result_out_of_range || delta > kMaxDeltaSeconds) {
            delta = kMaxDeltaSeconds;
        }
        return std::chrono::duration_cast<milliseconds>(seconds(delta));
    }
    const auto epoch_seconds = text::parse_http_date(value);
    if (!epoch_seconds) return std::nullopt;
    const auto at = std::chrono::system_clock::time_point(seconds(*epoch_seconds));
    if (at <= now) return milliseconds::zero();
    return std::chrono::duration_cast<milliseconds>(at - now);
}

}  // namespace jobsync::http
