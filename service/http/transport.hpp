// The network seam. Everything above this header works on plain request/response values, so
// it is unit-tested without servers; only cpprest_transport.cpp includes cpprestsdk.
#pragma once

#include <chrono>
#include <cstddef>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace jobsync::http {

using Headers = std::vector<std::pair<std::string, std::string>>;

// Case-insensitive lookup; header names are case-insensitive in HTTP.
std::optional<std::string> find_header(const Headers& headers, std::string_view name);

// A JSearch page of 50x10 jobs is a few MB; nothing we read is anywhere near this.
// A request that has not answered in this time fails (--http-timeout-seconds).
inline constexpr std::chrono::seconds kDefaultTimeout{30};

inline constexpr std::size_t kDefaultMaxBodyBytes = std::size_t{64} * 1024 * 1024;

namespace detail {
struct BodyText;  // the text and, when its last holder lets go, its way back to the pool
}

// A request body: its text is fixed once made and shared by every copy, so a retry resends the
// same bytes and the transport reads them where they are (an upsert batch is about 1 MB; no
// attempt copies it). The text goes back to the buffer pool (buffer_pool.hpp) when its last
// holder, possibly the transport's stream of an abandoned request, lets go, unless its maker
// takes it back first (release()).
class Body {
  public:
    Body() = default;
    Body(std::string text);  // a body is its text: `request.body = std::move(json)`
    Body(const char* text) : Body(std::string(text)) {}

    std::string_view view() const;
    const char* data() const { return view().data(); }
    std::size_t size() const { return view().size(); }
    bool empty() const { return size() == 0; }
    // The text with its owner, for a reader that may outlive every Request (cpprestsdk's
    // stream of an abandoned request). Null for an empty Body.
    std::shared_ptr<const std::string> share() const;

    // The text back, for a caller that lent it (an upsert lends the runner's batch): moved out
    // when this is its last holder, else copied (a retained Request, the stream of an abandoned
    // request still reading it). This Body is then empty.
    std::string release() &&;

  private:
    std::shared_ptr<detail::BodyText> text_;
};

struct Request {
    std::string method;  // "GET", "POST", "PATCH"
    std::string url;     // absolute, already encoded
    Headers headers;     // may hold secrets: never log them (see logging/redact.hpp)
    Body body;
    // The whole exchange (connect, TLS, headers, body), not only silence between bytes.
    std::chrono::milliseconds timeout{kDefaultTimeout};
    // A longer body (announced by Content-Length or read so far) is refused at once.
    std::size_t max_body_bytes = kDefaultMaxBodyBytes;
    // Polled while the request is in flight; true abandons it (TransportError::cancelled).
    std::function<bool()> cancelled = nullptr;
};

// Transport failures are data, not exceptions, so retry decisions stay pure functions of a
// Response.
// tls: the handshake or certificate verification failed (never retried: an attacker or a
// misconfiguration, not a hiccup). body_too_large: refused at the cap, the rest not read.
// cancelled: the caller stopped (signal, deadline) while the request was in flight.
enum class TransportError { none, connect_failed, timeout, other, tls, body_too_large, cancelled };

struct Response {
    int status = 0;  // 0 when error != none
    Headers headers;
    std::string body;
    TransportError error = TransportError::none;
    std::string error_message;  // human text for a transport failure

    bool transport_failed() const { return error != TransportError::none; }
    std::optional<std::string> header(std::string_view name) const {
        return find_header(headers, name);
    }
};

class Transport {
  public:
    virtual ~Transport() = default;
    virtual Response send(const Request& request) = 0;
};

struct TransportOptions {
    // PEM file of extra CA certificates to trust (e.g. a self-hosted Supabase's private CA),
    // on top of the system's. OpenSSL also honours SSL_CERT_FILE for the system set.
    std::string ca_file;
};

// The production transport (cpprestsdk, HTTPS via OpenSSL; certificates and host names are
// verified).
std::unique_ptr<Transport> make_cpprest_transport(TransportOptions options = {});

// Caps cpprestsdk's I/O thread pool (40 threads by default) to `threads`. Takes effect only
// before the first client is made, once per process; later calls change nothing.
void limit_transport_threads(std::size_t threads);

// The pool size job-sync runs with. The pool only drives sockets and runs cpprest's
// continuations, several per 64 KB of every body; each one posted wakes an idle pool thread if
// there is one (a futex wake and a thread switch), so one thread does it all, whatever the
// concurrency. Nothing run on the pool may wait for another of its tasks: the transport's
// continuations never block, and its response buffer closes at once (http/capped_sink.hpp).
// One thread against two, under `perf stat` with `make bench`'s binary: half the context
// switches, a lower task clock, the same walls (docs/performance.md).
inline constexpr std::size_t kTransportThreads = 1;

}  // namespace jobsync::http
