#include "relay.hpp"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cstdint>
#include <stdexcept>

#include "http_head.hpp"
#include "support/raw_server.hpp"

namespace jobsync::bench {

namespace {

// One direction of a connection: bytes read but not yet used stay in `buffered`.
struct Reader {
    int fd;
    std::string buffered;

    // Reads until `buffered` holds at least `size` bytes; false when the peer closed first
    // or the relay is stopping.
    bool fill(std::size_t size, const testing::RawServer& server) {
        char chunk[64 * 1024];
        while (buffered.size() < size) {
            if (server.stopping()) return false;
            pollfd ready{fd, POLLIN, 0};
            const int polled = ::poll(&ready, 1, 50);
            if (polled == 0) continue;
            if (polled < 0) return false;
            const ssize_t n = ::recv(fd, chunk, sizeof chunk, 0);
            if (n <= 0) return false;
            buffered.append(chunk, static_cast<std::size_t>(n));
        }
        return true;
    }

    // One message: its head (through the blank line) and its Content-Length body; empty when
    // the peer closed, the relay is stopping, or the body has no length.
    std::string message(const testing::RawServer& server) {
        std::size_t end = 0;
        while ((end = buffered.find("\r\n\r\n")) == std::string::npos) {
            if (!fill(buffered.size() + 1, server)) return "";
        }
        const std::size_t head_size = end + 4;
        const long body = content_length(std::string_view(buffered).substr(0, head_size));
        if (body < 0) return "";
        const std::size_t total = head_size + static_cast<std::size_t>(body);
        if (!fill(total, server)) return "";
        std::string whole = buffered.substr(0, total);
        buffered.erase(0, total);
        return whole;
    }
};

int connect_to(const std::string& url) {
    const std::string prefix = "http://127.0.0.1:";
    if (url.compare(0, prefix.size(), prefix) != 0) {
        throw std::invalid_argument("the relay only reaches http://127.0.0.1:<port>, not " + url);
    }
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    addr.sin_port = htons(static_cast<std::uint16_t>(std::stoi(url.substr(prefix.size()))));
    const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
    if (fd < 0) return -1;
    if (::connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0) {
        ::close(fd);
        return -1;
    }
    return fd;
}

}  // namespace

WholeBodyRelay::WholeBodyRelay(const std::string& upstream) {
    // Fail here, not on job-sync's first request, when the upstream cannot be reached.
    const int probe = connect_to(upstream);
    if (probe < 0) throw std::runtime_error("the relay cannot reach " + upstream);
    ::close(probe);
    server_ = std::make_unique<testing::RawServer>(
        [upstream](int client_fd, const testing::RawServer& server) {
            const int upstream_fd = connect_to(upstream);
            if (upstream_fd < 0) return;
            Reader client{client_fd, {}};
            Reader answers{upstream_fd, {}};
            for (;;) {
                const std::string request = client.message(server);
                if (request.empty() || !server.send_all(upstream_fd, request)) break;
                const std::string answer = answers.message(server);
                // One send of the whole answer: the kernel cuts it into segments as large as
                // the loopback MTU and the socket buffer allow.
                if (answer.empty() || !server.send_all(client_fd, answer)) break;
            }
            ::close(upstream_fd);
        });
}

WholeBodyRelay::~WholeBodyRelay() = default;

std::string WholeBodyRelay::base_url() const { return server_->base_url(); }

}  // namespace jobsync::bench
