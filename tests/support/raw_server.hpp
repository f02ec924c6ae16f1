// A raw TCP server on 127.0.0.1 for answers no well-behaved HTTP server gives: a body that
// never ends, a Content-Length of 4 GiB, bytes trickled one at a time, or no answer at all.
// Each connection runs `serve` on a thread of its own; `stopping()` turns true when the server
// is destroyed, so a handler that hangs can end.
#pragma once

#include <atomic>
#include <functional>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

namespace jobsync::testing {

class RawServer {
  public:
    using Serve = std::function<void(int fd, const RawServer& server)>;

    explicit RawServer(Serve serve);
    ~RawServer();
    RawServer(const RawServer&) = delete;
    RawServer& operator=(const RawServer&) = delete;

    std::string base_url() const;  // "http://127.0.0.1:<port>"
    bool stopping() const { return stopping_.load(); }
    int connections() const { return connections_.load(); }
    long long bytes_sent() const { return bytes_sent_.load(); }

    // Helpers for handlers: read the request head; write all of `data` (false once the peer
    // is gone); sleep in small steps until `ms` passed or the server stops.
    static std::string read_head(int fd);
    bool send_all(int fd, const std::string& data) const;
    void pause(int ms) const;
    // A 200 JSON answer with no length: `start`, then spaces, 64 KiB at a time, until the peer
    // hangs up or the server stops. The body that never ends, for size caps.
    void send_endless_body(int fd, const std::string& start) const;

  private:
    void accept_loop();

    Serve serve_;
    int listen_fd_ = -1;
    int port_ = 0;
    std::atomic<bool> stopping_{false};
    std::atomic<int> connections_{0};
    mutable std::atomic<long long> bytes_sent_{0};
    std::thread acceptor_;
    std::mutex mutex_;
    std::vector<std::thread> handlers_;
};

}  // namespace jobsync::testing
