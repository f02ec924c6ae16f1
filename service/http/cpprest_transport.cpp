// The one file that includes cpprestsdk: it turns plain Requests into cpprest calls and every
// outcome (a status, or an exception) back into a plain Response.
#include <cpprest/http_client.h>
#include <cpprest/rawptrstream.h>
#include <pplx/threadpool.h>

#include <algorithm>
#include <cerrno>
#include <condition_variable>
#include <exception>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <system_error>
#include <vector>

#include "http/capped_sink.hpp"
#include "http/transport.hpp"
#include "text/strings.hpp"

namespace jobsync::http {

namespace {

namespace cp = web::http;

// Connection-level failures (nothing useful reached the server, or the link dropped) are
// told apart from timeouts so logs and summaries say what happened.
TransportError classify(const std::error_code& code, std::string_view message) {
    // A failed handshake or certificate check: cpprest reports it in the text ("SSL
    // handshake", "certificate verify failed"), with OpenSSL's codes, which collide with errno.
    for (std::string_view marker : {"ssl", "handshake", "certificate", "tls"}) {
        if (text::find_ignoring_case(message, marker) != std::string_view::npos) {
            return TransportError::tls;
        }
    }
    const int value = code.value();
    if (value == ETIMEDOUT) return TransportError::timeout;
    switch (value) {
        case ECONNREFUSED:
        case ECONNRESET:
        case ECONNABORTED:
        case EHOSTUNREACH:  // cpprest reports a refused connect as EHOSTUNREACH
        case ENETUNREACH:
        case EPIPE:
        case ENOTCONN:
            return TransportError::connect_failed;
        default:
            break;
    }
    // Resolver errors carry netdb codes that collide with errno values; the text is reliable.
    if (message.find("resolving") != std::string_view::npos ||
        message.find("Failed to connect") != std::string_view::npos) {
        return TransportError::connect_failed;
    }
    return TransportError::other;
}

std::string_view describe(TransportError error) {
    switch (error) {
        case TransportError::connect_failed:
            return "connection failed";
        case TransportError::timeout:
            return "timed out";
        case TransportError::other:
            return "request failed";
        case TransportError::tls:
            return "TLS handshake failed (certificate verification: an untrusted certificate, "
                   "or one for another host name; see --ca-file)";
        case TransportError::body_too_large:
            return "response body too large";
        case TransportError::cancelled:
            return "cancelled";
        case TransportError::none:
            break;
    }
    return "";
}

Response failure(TransportError error, std::string_view where, std::string_view what) {
    Response response;
    response.error = error;
    response.error_message =
        std::string(where) + ": " + std::string(describe(error)) + ": " + std::string(what);
    return response;
}

// "METHOD scheme://host:port/path", never the query or headers, for error messages.
std::string where(const Request& request, const web::uri& uri) {
    return request.method + " " + uri.scheme() + "://" + uri.host() +
           (uri.is_port_default() ? "" : ":" + std::to_string(uri.port())) + uri.path();
}

enum class WaitEnd { done, timed_out, cancelled };

// How often a wait looks at the caller's stop flag (set from a signal handler, so it cannot
// wake the waiter itself): well inside the 2 s a stop may take.
constexpr std::chrono::milliseconds kStopCheck{100};

// What one request's continuations hand the thread waiting in send(). They run on cpprest's
// threads and write it before `done`; the waiter reads it once `done` is set.
struct Exchange {
    std::mutex mutex;
    std::condition_variable changed;
    bool done = false;
    std::optional<cp::http_response> reply;  // the status and headers, once they arrived
    bool announced_over_cap = false;         // Content-Length over the cap: no body read
    std::exception_ptr error;                // the request or its body failed

    void finish(std::optional<cp::http_response> headers, std::exception_ptr failure,
                bool over_cap = false) {
        const std::lock_guard<std::mutex> lock(mutex);
        reply = std::move(headers);
        error = std::move(failure);
        announced_over_cap = over_cap;
        done = true;
        changed.notify_all();
    }
};

// Chains the whole exchange onto the request task, so send() waits once, for the body: when
// the headers arrive, a body announced over the cap is refused, else the sink is sized and
// the body awaited. The continuations use pplx's internal _Then, which runs them inline where
// the antecedent completes (the public then() would post each to the thread pool, one more
// hand-off each), and content_ready()'s task is skipped for the same reason: it is the
// response's data-available event with a then() on it. Nothing here may throw: an exception
// left in a continuation's task would be unobserved, which pplx reports with SIGTRAP.
void await_exchange(const pplx::task<cp::http_response>& sent,
                    const std::shared_ptr<Exchange>& exchange,
                    const std::shared_ptr<detail::CappedSink>& sink, std::size_t cap) {
    sent._Then(
        [exchange, sink, cap](const pplx::task<cp::http_response>& headers) {
            try {
                cp::http_response reply = headers.get();
                const auto announced = reply.headers().content_length();
                if (announced > cap) {
                    exchange->finish(std::move(reply), nullptr, true);
                    return;
                }
                sink->expect(static_cast<std::size_t>(announced));
                pplx::create_task(reply._get_impl()->_get_data_available())
                    ._Then(
                        [exchange, reply](const pplx::task<utility::size64_t>& body) {
                            std::exception_ptr failure;
                            try {
                                body.wait();
                            } catch (...) {
                                failure = std::current_exception();
                            }
                            exchange->finish(reply, failure);
                        },
                        nullptr);
            } catch (...) {
                exchange->finish(std::nullopt, std::current_exception());
            }
        },
        nullptr);
}

// Waits until the exchange is done, the request's whole-exchange deadline passes, or the
// caller stops. The last continuation wakes the waiter at once.
WaitEnd wait_for(Exchange& exchange, std::chrono::steady_clock::time_point deadline,
                 const std::function<bool()>& cancelled) {
    std::unique_lock<std::mutex> lock(exchange.mutex);
    while (!exchange.done) {
        if (cancelled && cancelled()) return WaitEnd::cancelled;
        const auto now = std::chrono::steady_clock::now();
        if (now >= deadline) return WaitEnd::timed_out;
        exchange.changed.wait_until(lock, std::min(deadline, now + kStopCheck));
    }
    return WaitEnd::done;
}

// An abandoned task still completes (with an error) once cpprest notices the cancellation;
// its exception must be observed or pplx terminates the process.
template <typename T>
void observe(const pplx::task<T>& task) {
    task.then([](pplx::task<T> finished) {
        try {
            finished.wait();
        } catch (...) {
        }
    });
}

// The stream cpprest reads a request body from: the Body's own text, not a copy. The stream
// buffer holds a share of the text, so an abandoned request's late reads stay valid.
concurrency::streams::istream body_stream(const Body& body) {
    struct Reader {
        std::shared_ptr<const std::string> text;  // declared first: outlives the buffer
        std::shared_ptr<concurrency::streams::details::basic_streambuf<uint8_t>> buffer;
    };
    static constexpr uint8_t kNothing = 0;
    auto text = body.share();
    const uint8_t* bytes = text ? reinterpret_cast<const uint8_t*>(text->data()) : &kNothing;
    const concurrency::streams::rawptr_buffer<uint8_t> raw(bytes, body.size());
    auto reader = std::make_shared<Reader>(Reader{std::move(text), raw.get_base()});
    // Aliasing: cpprest sees the buffer, and its handle owns the Reader.
    return concurrency::streams::streambuf<uint8_t>(
               std::shared_ptr<concurrency::streams::details::basic_streambuf<uint8_t>>(
                   reader, reader->buffer.get()))
        .create_istream();
}

std::string describe_size(std::size_t bytes) { return std::to_string(bytes) + " bytes"; }

class CpprestTransport final : public Transport {
  public:
    explicit CpprestTransport(TransportOptions options) : options_(std::move(options)) {}

    Response send(const Request& request) override {
        web::uri uri;
        try {
            uri = web::uri(request.url);
        } catch (const std::exception&) {
            return failure(TransportError::other, request.method, "invalid URL");
        }
        const std::string location = where(request, uri);
        const auto deadline = std::chrono::steady_clock::now() +
                              std::max(request.timeout, std::chrono::milliseconds(1));
        const std::string timed_out =
            "no complete response within " + std::to_string(request.timeout.count()) + " ms";
        try {
            auto client = client_for(uri);
            cp::http_request message(request.method);
            message.set_request_uri(uri.resource());
            std::string content_type;
            for (const auto& [name, value] : request.headers) {
                message.headers().add(name, value);
                if (content_type.empty() && text::equals_ignoring_case(name, "Content-Type")) {
                    content_type = value;
                }
            }
            if (!request.body.empty() || request.method == "POST" || request.method == "PATCH" ||
                request.method == "PUT") {
                // The caller's Content-Type is already in the headers, so cpprest keeps it.
                message.set_body(body_stream(request.body), request.body.size(),
                                 content_type.empty() ? "application/octet-stream" : content_type);
            }
            // The body goes into a buffer we own and cap, never into cpprest's unbounded one.
            auto sink = std::make_shared<detail::CappedSink>(request.max_body_bytes);
            message.set_response_stream(
                concurrency::streams::streambuf<uint8_t>(sink).create_ostream());

            pplx::cancellation_token_source cancel;
            auto sent = client->request(message, cancel.get_token());
            auto exchange = std::make_shared<Exchange>();
            await_exchange(sent, exchange, sink, request.max_body_bytes);
            if (auto end = wait_for(*exchange, deadline, request.cancelled); end != WaitEnd::done) {
                // The continuations observe whatever the cancelled tasks end with.
                cancel.cancel();
                return end == WaitEnd::cancelled
                           ? failure(TransportError::cancelled, location, "stopping")
                           : failure(TransportError::timeout, location, timed_out);
            }
            if (exchange->error) {
                if (sink->overflowed()) {
                    return failure(TransportError::body_too_large, location,
                                   "the body passed the cap of " +
                                       describe_size(request.max_body_bytes) +
                                       "; the rest was not read");
                }
                std::rethrow_exception(exchange->error);
            }
            const cp::http_response& reply = *exchange->reply;
            if (exchange->announced_over_cap) {
                // Refused on the header alone: not a byte of the body is read.
                auto rest = reply.content_ready();
                cancel.cancel();
                observe(rest);
                return failure(TransportError::body_too_large, location,
                               "Content-Length " + describe_size(reply.headers().content_length()) +
                                   " is over the cap of " + describe_size(request.max_body_bytes));
            }
            Response response;
            response.status = reply.status_code();
            for (const auto& [name, value] : reply.headers()) {
                response.headers.emplace_back(name, value);
            }
            response.body = sink->take();
            return response;
        } catch (const cp::http_exception& e) {
            return failure(classify(e.error_code(), e.what()), location, e.what());
        } catch (const std::exception& e) {
            return failure(TransportError::other, location, e.what());
        }
    }

  private:
    // http_client holds a connection pool, so one client per origin is reused across
    // requests. The map is locked; the clients themselves are safe to use concurrently.
    // cpprest's own timeout only bounds silence on the socket; send() bounds the whole
    // exchange, so the client's is set wide.
    std::shared_ptr<cp::client::http_client> client_for(const web::uri& uri) {
        web::uri_builder origin;
        origin.set_scheme(uri.scheme()).set_host(uri.host()).set_port(uri.port());
        const web::uri base = origin.to_uri();
        const std::string key = base.to_string();

        std::lock_guard<std::mutex> lock(mutex_);
        auto found = clients_.find(key);
        if (found != clients_.end()) return found->second;
        cp::client::http_client_config config;
        config.set_timeout(std::chrono::seconds(600));
        config.set_validate_certificates(true);
        if (!options_.ca_file.empty()) {
            config.set_ssl_context_callback(
                [ca_file = options_.ca_file](boost::asio::ssl::context& context) {
                    context.load_verify_file(ca_file);
                });
        }
        auto client = std::make_shared<cp::client::http_client>(base, config);
        clients_.emplace(key, client);
        return client;
    }

    TransportOptions options_;
    std::mutex mutex_;
    std::map<std::string, std::shared_ptr<cp::client::http_client>> clients_;
};

}  // namespace

std::unique_ptr<Transport> make_cpprest_transport(TransportOptions options) {
    return std::make_unique<CpprestTransport>(std::move(options));
}

void limit_transport_threads(std::size_t threads) {
    static std::once_flag once;
    std::call_once(once, [threads] {
        try {
            crossplat::threadpool::initialize_with_threads(std::max<std::size_t>(threads, 1));
        } catch (const std::exception&) {
            // Already running (a client was made first): it keeps its size.
        }
    });
}

}  // namespace jobsync::http
