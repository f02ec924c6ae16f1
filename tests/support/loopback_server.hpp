// A real HTTP server on 127.0.0.1 (cpprestsdk's listener) for the stand-ins: it turns each
// request into plain data, records it, and answers with whatever the handler returns. Tests
// then assert the exact method, path, query, headers and body a client sent.
#pragma once

#include <chrono>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "http/transport.hpp"

namespace jobsync::testing {

struct RecordedRequest {
    std::string method;
    std::string path;       // decoded path, e.g. "/rest/v1/jobs"
    std::string raw_query;  // as sent, still percent-encoded, without '?'
    http::Headers headers;  // names as the client sent them
    std::string body;
    std::chrono::steady_clock::time_point received_at;  // when its head had arrived

    std::optional<std::string> header(std::string_view name) const {
        return http::find_header(headers, name);
    }
};

struct Reply {
    int status = 200;
    http::Headers headers;
    std::string body;
};

// A certificate chain and its private key (PEM files) for serving HTTPS.
struct TlsFiles {
    std::string certificate_file;
    std::string private_key_file;
};

class LoopbackServer {
  public:
    using Handler = std::function<Reply(const RecordedRequest&)>;

    // Listens on 127.0.0.1:`port` (0 picks a free port) until destroyed; over HTTPS with
    // `tls`.
    explicit LoopbackServer(Handler handler, int port = 0, std::optional<TlsFiles> tls = {});
    ~LoopbackServer();
    LoopbackServer(const LoopbackServer&) = delete;
    LoopbackServer& operator=(const LoopbackServer&) = delete;

    int port() const { return port_; }
    std::string base_url() const;  // "http://127.0.0.1:<port>" ("https://" with TLS)

    std::vector<RecordedRequest> requests() const;
    void clear_requests();
    // false: the log keeps each request without its body (a long bench run would hold every
    // upsert body it sent). The handler still gets the body.
    void set_record_bodies(bool record);

  private:
    struct Impl;
    std::unique_ptr<Impl> impl_;
    int port_ = 0;
    bool tls_ = false;
    mutable std::mutex mutex_;
    std::vector<RecordedRequest> requests_;
    bool record_bodies_ = true;
};

// A TCP port on 127.0.0.1 that was free a moment ago.
int find_free_port();

}  // namespace jobsync::testing
