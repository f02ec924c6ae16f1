#include "support/raw_server.hpp"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <chrono>
#include <stdexcept>

namespace jobsync::testing {

RawServer::RawServer(Serve serve) : serve_(std::move(serve)) {
    listen_fd_ = ::socket(AF_INET, SOCK_STREAM, 0);
    if (listen_fd_ < 0) throw std::runtime_error("socket() failed");
    const int yes = 1;
    ::setsockopt(listen_fd_, SOL_SOCKET, SO_REUSEADDR, &yes, sizeof yes);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (::bind(listen_fd_, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0 ||
        ::listen(listen_fd_, 16) != 0) {
        ::close(listen_fd_);
        throw std::runtime_error("bind/listen on loopback failed");
    }
    socklen_t len = sizeof addr;
    ::getsockname(listen_fd_, reinterpret_cast<sockaddr*>(&addr), &len);
    port_ = ntohs(addr.sin_port);
    acceptor_ = std::thread([this] { accept_loop(); });
}

RawServer::~RawServer() {
    stopping_.store(true);
    acceptor_.join();
    std::lock_guard lock(mutex_);
    for (auto& handler : handlers_) handler.join();
    ::close(listen_fd_);
}

std::string RawServer::base_url() const { return "http://127.0.0.1:" + std::to_string(port_); }

void RawServer::accept_loop() {
    while (!stopping_.load()) {
        pollfd ready{listen_fd_, POLLIN, 0};
        if (::poll(&ready, 1, 20) <= 0) continue;
        const int fd = ::accept(listen_fd_, nullptr, nullptr);
        if (fd < 0) continue;
        ++connections_;
        std::lock_guard lock(mutex_);
        handlers_.emplace_back([this, fd] {
            serve_(fd, *this);
            ::close(fd);
        });
    }
}

std::string RawServer::read_head(int fd) {
    std::string head;
    char buffer[4096];
    while (head.find("\r\n\r\n") == std::string::npos) {
        pollfd ready{fd, POLLIN, 0};
        if (::poll(&ready, 1, 2000) <= 0) break;
        const ssize_t n = ::recv(fd, buffer, sizeof buffer, 0);
        if (n <= 0) break;
        head.append(buffer, static_cast<std::size_t>(n));
    }
    return head;
}

bool RawServer::send_all(int fd, const std::string& data) const {
    std::size_t sent = 0;
    while (sent < data.size()) {
        if (stopping_.load()) return false;
        pollfd ready{fd, POLLOUT, 0};
        if (::poll(&ready, 1, 50) <= 0) continue;
        const ssize_t n = ::send(fd, data.data() + sent, data.size() - sent, MSG_NOSIGNAL);
        if (n <= 0) return false;
        sent += static_cast<std::size_t>(n);
        bytes_sent_ += n;
    }
    return true;
}

void RawServer::send_endless_body(int fd, const std::string& start) const {
    if (!send_all(fd,
                  "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n"
                  "Connection: close\r\n\r\n" +
                      start)) {
        return;
    }
    const std::string chunk(64 * 1024, ' ');
    while (send_all(fd, chunk)) {
    }
}

void RawServer::pause(int ms) const {
    const auto until = std::chrono::steady_clock::now() + std::chrono::milliseconds(ms);
    while (!stopping_.load() && std::chrono::steady_clock::now() < until) {
        std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
}

}  // namespace jobsync::testing
