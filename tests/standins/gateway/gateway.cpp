#include "standins/gateway/gateway.hpp"

#include <algorithm>
#include <chrono>
#include <deque>
#include <mutex>

#include "standins/gateway/handler.hpp"
#include "standins/gateway/http_mapping.hpp"

namespace jobsync::testing {

namespace {

struct Fault {
    std::string method;  // empty matches any
    int remaining = 0;
    Reply reply;
};

std::int64_t now_seconds() {
    return std::chrono::duration_cast<std::chrono::seconds>(
               std::chrono::system_clock::now().time_since_epoch())
        .count();
}

// What nginx compares with client_max_body_size: the declared length, else the body read.
std::size_t body_size(const RecordedRequest& request) {
    std::size_t size = request.body.size();
    if (const auto declared = request.header("Content-Length")) {
        try {
            size = std::max<std::size_t>(size, std::stoull(*declared));
        } catch (const std::exception&) {
            // A malformed Content-Length: the body read is what counts.
        }
    }
    return size;
}

}  // namespace

struct RestGateway::State {
    explicit State(GatewayOptions opts) : options(std::move(opts)), pool(options.conninfo) {}

    const GatewayOptions options;
    gateway::ConnectionPool pool;
    std::mutex mutex;
    std::deque<Fault> faults;
    std::function<void(const RecordedRequest&)> before_request;

    std::optional<Reply> take_fault(const std::string& method) {
        std::lock_guard lock(mutex);
        for (auto it = faults.begin(); it != faults.end(); ++it) {
            if (!it->method.empty() && it->method != method) continue;
            Reply reply = it->reply;
            if (--it->remaining <= 0) faults.erase(it);
            return reply;
        }
        return std::nullopt;
    }

    Reply handle(const RecordedRequest& request) {
        std::function<void(const RecordedRequest&)> hook;
        {
            std::lock_guard lock(mutex);
            hook = before_request;
        }
        if (hook) hook(request);
        if (options.max_body_bytes > 0 && body_size(request) > options.max_body_bytes) {
            return gateway::body_too_large_reply();
        }
        if (auto fault = take_fault(request.method)) return *fault;
        return gateway::handle_request(options, pool, request, now_seconds());
    }
};

RestGateway::RestGateway(GatewayOptions options)
    : state_(std::make_shared<State>(std::move(options))) {
    // The handler holds the state, not `this`, so a request in flight during destruction
    // never touches a destroyed gateway.
    server_ = std::make_unique<LoopbackServer>(
        [state = state_](const RecordedRequest& request) { return state->handle(request); },
        state_->options.port);
    server_->set_record_bodies(state_->options.record_bodies);
}

RestGateway::~RestGateway() = default;

std::string RestGateway::base_url() const { return server_->base_url(); }

std::vector<RecordedRequest> RestGateway::requests() const { return server_->requests(); }

void RestGateway::clear_requests() { server_->clear_requests(); }

void RestGateway::inject_fault(std::string method, int count, Reply reply) {
    if (count <= 0) return;
    std::lock_guard lock(state_->mutex);
    state_->faults.push_back(Fault{std::move(method), count, std::move(reply)});
}

void RestGateway::set_before_request(std::function<void(const RecordedRequest&)> hook) {
    std::lock_guard lock(state_->mutex);
    state_->before_request = std::move(hook);
}

}  // namespace jobsync::testing
