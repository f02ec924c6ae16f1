#include "http/retry.hpp"

#include <algorithm>
#include <array>
#include <cctype>
#include <cmath>
#include <cstdint>
#include <mutex>
#include <random>
#include <thread>

#include "text/strings.hpp"

namespace jobsync::http {

namespace {

using std::chrono::milliseconds;
using std::chrono::seconds;

// Longer than any sane Retry-After; keeps the arithmetic far from overflow.
constexpr std::int64_t kMaxDeltaSeconds = 365LL * 24 * 3600;

bool all_digits(std::string_view text) {
    return !text.empty() &&
           std::all_of(text.begin(), text.end(), [](char c) { return c >= '0' && c <= '9'; });
}

// Reads exactly `width` digits (width 0: one or more) from the front of `text`.
bool take_number(std::string_view& text, std::size_t width, int& out) {
    std::size_t n = 0;
    while (n < text.size() && text[n] >= '0' && text[n] <= '9' && (width == 0 || n < width)) ++n;
    if (n == 0 || (width != 0 && n != width) || n > 9) return false;
    out = 0;
    for (std::size_t i = 0; i < n; ++i) out = out * 10 + (text[i] - '0');
    text.remove_prefix(n);
    return true;
}

bool take_literal(std::string_view& text, std::string_view literal) {
    if (text.substr(0, literal.size()) != literal) return false;
    text.remove_prefix(literal.size());
    return true;
}

bool take_spaces(std::string_view& text) {
    if (text.empty() || text.front() != ' ') return false;
    while (!text.empty() && text.front() == ' ') text.remove_prefix(1);
    return true;
}

bool take_month(std::string_view& text, int& month) {
    static constexpr std::array<std::string_view, 12> kMonths = {
        "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
    for (std::size_t i = 0; i < kMonths.size(); ++i) {
        if (take_literal(text, kMonths[i])) {
            month = static_cast<int>(i) + 1;
            return true;
        }
    }
    return false;
}

// "hh:mm:ss"
bool take_time(std::string_view& text, int& hour, int& minute, int& second) {
    return take_number(text, 2, hour) && take_literal(text, ":") && take_number(text, 2, minute) &&
           take_literal(text, ":") && take_number(text, 2, second);
}

// Skips the day name: "Sun," (IMF-fixdate), "Sunday," (RFC 850) or "Sun" (asctime).
bool take_day_name(std::string_view& text) {
    std::size_t n = 0;
    while (n < text.size() && std::isalpha(static_cast<unsigned char>(text[n]))) ++n;
    if (n < 3) return false;
    text.remove_prefix(n);
    return true;
}

struct CivilTime {
    int year = 0, month = 0, day = 0, hour = 0, minute = 0, second = 0;
};

// Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's days_from_civil).
std::int64_t days_from_civil(std::int64_t y, int m, int d) {
    y -= m <= 2;
    const std::int64_t era = (y >= 0 ? y : y - 399) / 400;
    const auto yoe = static_cast<unsigned>(y - era * 400);
    const unsigned doy =
        (153 * static_cast<unsigned>(m + (m > 2 ? -3 : 9)) + 2) / 5 + static_cast<unsigned>(d) - 1;
    const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + static_cast<std::int64_t>(doe) - 719468;
}

bool valid(const CivilTime& t) {
    return t.year >= 1900 && t.year <= 9999 && t.month >= 1 && t.month <= 12 && t.day >= 1 &&
           t.day <= 31 && t.hour <= 23 && t.minute <= 59 && t.second <= 60;
}

// The three HTTP-date forms of RFC 9110 section 5.6.7 (senders use only the first):
//   IMF-fixdate  "Sun, 06 Nov 1994 08:49:37 GMT"
//   RFC 850      "Sunday, 06-Nov-94 08:49:37 GMT"
//   asctime      "Sun Nov  6 08:49:37 1994"
std::optional<CivilTime> parse_http_date(std::string_view text) {
    CivilTime t;
    if (!take_day_name(text)) return std::nullopt;
    if (take_literal(text, ",")) {
        if (!take_spaces(text) || !take_number(text, 2, t.day)) return std::nullopt;
        if (take_literal(text, "-")) {  // RFC 850
            int two_digit_year = 0;
            if (!take_month(text, t.month) || !take_literal(text, "-") ||
                !take_number(text, 2, two_digit_year)) {
                return std::nullopt;
            }
            t.year = two_digit_year + (two_digit_year < 70 ? 2000 : 1900);
        } else if (!take_spaces(text) || !take_month(text, t.month) || !take_spaces(text) ||
                   !take_number(text, 4, t.year)) {
            return std::nullopt;
        }
        if (!take_spaces(text) || !take_time(text, t.hour, t.minute, t.second) ||
            !take_spaces(text) || !take_literal(text, "GMT") || !text.empty()) {
            return std::nullopt;
        }
    } else {  // asctime: the day is space-padded ("Nov  6")
        if (!take_spaces(text) || !take_month(text, t.month) || !take_spaces(text) ||
            !take_number(text, 0, t.day) || !take_spaces(text) ||
            !take_time(text, t.hour, t.minute, t.second) || !take_spaces(text) ||
            !take_number(text, 4, t.year) || !text.empty()) {
            return std::nullopt;
        }
    }
    if (!valid(t)) return std::nullopt;
    return t;
}

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
    if (all_digits(value)) {
        std::int64_t delta = 0;
        for (char c : value) {
            delta = delta * 10 + (c - '0');
            if (delta > kMaxDeltaSeconds) {
                delta = kMaxDeltaSeconds;
                break;
            }
        }
        return std::chrono::duration_cast<milliseconds>(seconds(delta));
    }
    const auto date = parse_http_date(value);
    if (!date) return std::nullopt;
    const std::int64_t epoch_seconds = days_from_civil(date->year, date->month, date->day) * 86400 +
                                       std::int64_t{date->hour} * 3600 +
                                       std::int64_t{date->minute} * 60 + date->second;
    const auto at = std::chrono::system_clock::time_point(seconds(epoch_seconds));
    if (at <= now) return milliseconds::zero();
    return std::chrono::duration_cast<milliseconds>(at - now);
}

namespace {

Response not_sent(std::string_view why) {
    Response response;
    response.error = TransportError::cancelled;
    response.error_message = std::string(why);
    return response;
}

}  // namespace

RetriedResponse send_with_retry(
    Transport& transport, const Request& request, const RetryPolicy& policy, RetryEnvironment env,
    const std::function<void(int attempt, const Response&, std::chrono::milliseconds wait)>&
        on_retry,
    const std::function<bool(const Response&)>& retryable, const std::function<bool()>& may_send) {
    const int max_attempts = std::max(1, policy.max_attempts);
    // This call's rule, else the client's, else the generic one.
    const RetryRule rule =
        retryable ? retryable : (policy.retryable ? policy.retryable : RetryRule(is_retryable));
    const auto stopping = [&env] { return env.stop_requested && env.stop_requested(); };
    const auto past_deadline = [&env] { return env.deadline && env.clock.now() >= *env.deadline; };
    RetriedResponse result;
    auto halt = [&result](Halt why, std::string_view message) {
        result.halt = why;
        if (result.attempts == 0) result.response = not_sent(message);
        return result;
    };

    Request attempt_request = request;
    if (env.stop_requested && !attempt_request.cancelled) {
        attempt_request.cancelled = env.stop_requested;
    }
    for (int attempt = 1;; ++attempt) {
        // The deadline first: past it, the stop source reports a stop too.
        if (past_deadline()) return halt(Halt::deadline, "not sent: the run's deadline passed");
        if (stopping()) return halt(Halt::stopped, "not sent: the run is stopping");
        if (may_send && !may_send()) return halt(Halt::refused, "not sent: over the budget");
        if (env.deadline) {
            const auto left =
                std::chrono::duration_cast<milliseconds>(*env.deadline - env.clock.now());
            attempt_request.timeout =
                std::clamp(left, milliseconds(1), std::max(request.timeout, milliseconds(1)));
        }
        result.response = transport.send(attempt_request);
        result.attempts = attempt;
        const bool cut = result.response.error == TransportError::cancelled ||
                         result.response.error == TransportError::timeout;
        if (cut && past_deadline()) {
            result.halt = Halt::deadline;
            return result;
        }
        if (result.response.error == TransportError::cancelled && stopping()) {
            result.halt = Halt::stopped;
            return result;
        }
        if (!rule(result.response) || attempt >= max_attempts) return result;

        std::optional<milliseconds> wait;
        if (const auto header = result.response.header("Retry-After")) {
            wait = parse_retry_after(*header, env.clock.now());
            if (wait) wait = std::min(*wait, policy.max_retry_after);
        }
        if (!wait) wait = backoff_delay(policy, attempt - 1, env.jitter.next());
        // A wait that would end past the deadline is not worth starting.
        if (env.deadline && env.clock.now() + *wait >= *env.deadline) {
            result.halt = Halt::deadline;
            return result;
        }
        if (on_retry) on_retry(attempt, result.response, *wait);
        env.sleeper.sleep(*wait);
    }
}

}  // namespace jobsync::http
