// In-memory stand-ins for the network seam and the retry environment: scripted responses,
// a fixed clock, a sleeper that only records, a fixed jitter. Shared with the postgrest tests.
#pragma once

#include <chrono>
#include <deque>
#include <string>
#include <utility>
#include <vector>

#include "http/retry.hpp"
#include "http/transport.hpp"

namespace jobsync::testing {

// Answers with the scripted responses in order (the last one repeats) and records requests.
class FakeTransport final : public http::Transport {
  public:
    FakeTransport() = default;
    explicit FakeTransport(std::vector<http::Response> script)
        : script_(script.begin(), script.end()) {}

    void push(http::Response response) { script_.push_back(std::move(response)); }

    http::Response send(const http::Request& request) override {
        requests.push_back(request);
        if (script_.empty()) return reply(200);
        http::Response next = script_.front();
        if (script_.size() > 1) script_.pop_front();
        return next;
    }

    std::vector<http::Request> requests;

    static http::Response reply(int status, std::string body = {}, http::Headers headers = {}) {
        http::Response response;
        response.status = status;
        response.body = std::move(body);
        response.headers = std::move(headers);
        return response;
    }

    static http::Response failure(http::TransportError error, std::string message) {
        http::Response response;
        response.error = error;
        response.error_message = std::move(message);
        return response;
    }

  private:
    std::deque<http::Response> script_;
};

class FixedClock final : public http::Clock {
  public:
    explicit FixedClock(std::chrono::system_clock::time_point now) : now_(now) {}
    std::chrono::system_clock::time_point now() override { return now_; }

  private:
    std::chrono::system_clock::time_point now_;
};

class RecordingSleeper final : public http::Sleeper {
  public:
    void sleep(std::chrono::milliseconds duration) override { sleeps.push_back(duration.count()); }
    std::vector<long long> sleeps;  // milliseconds
};

class FixedJitter final : public http::JitterSource {
  public:
    explicit FixedJitter(double value) : value_(value) {}
    double next() override { return value_; }

  private:
    double value_;
};

// Sun, 06 Nov 1994 08:49:37 GMT: the date RFC 9110 uses in its examples.
inline std::chrono::system_clock::time_point rfc_example_time() {
    return std::chrono::system_clock::time_point(std::chrono::seconds(784111777));
}

// A clock, a recording sleeper and zero jitter, bundled for send_with_retry.
struct FakeRetryEnvironment {
    FixedClock clock{rfc_example_time()};
    RecordingSleeper sleeper;
    FixedJitter jitter{0.0};

    http::RetryEnvironment env() { return {clock, sleeper, jitter}; }
};

}  // namespace jobsync::testing
