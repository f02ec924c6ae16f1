// Smoke tests of the real transport: a closed port, a socket that accepts connections but
// never answers, and a raw server whose body passes the cap. Full request/response behaviour
// is covered by the integration tests against the loopback stand-ins. cpprest's pool has the
// size job-sync gives it (a global fixture), so a task that waits on the pool shows here.
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <boost/test/unit_test.hpp>
#include <chrono>
#include <string>

#include "http/transport.hpp"
#include "support/raw_server.hpp"

using jobsync::http::make_cpprest_transport;
using jobsync::http::Request;
using jobsync::http::TransportError;
using jobsync::testing::RawServer;

namespace {

// A TCP socket bound to 127.0.0.1 on a free port; listening only when asked.
class LocalSocket {
  public:
    explicit LocalSocket(bool listening) : fd_(::socket(AF_INET, SOCK_STREAM, 0)) {
        BOOST_TEST_REQUIRE(fd_ >= 0);
        sockaddr_in address{};
        address.sin_family = AF_INET;
        address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
        address.sin_port = 0;
        BOOST_TEST_REQUIRE(::bind(fd_, reinterpret_cast<sockaddr*>(&address), sizeof address) == 0);
        socklen_t length = sizeof address;
        BOOST_TEST_REQUIRE(::getsockname(fd_, reinterpret_cast<sockaddr*>(&address), &length) == 0);
        port_ = ntohs(address.sin_port);
        if (listening) BOOST_TEST_REQUIRE(::listen(fd_, 4) == 0);
    }
    ~LocalSocket() { ::close(fd_); }
    LocalSocket(const LocalSocket&) = delete;
    LocalSocket& operator=(const LocalSocket&) = delete;

    std::string url(const std::string& path) const {
        return "http://127.0.0.1:" + std::to_string(port_) + path;
    }

  private:
    int fd_;
    int port_ = 0;
};

Request post_to(std::string url) {
    Request request;
    request.method = "POST";
    request.url = std::move(url);
    request.headers = {{"apikey", "sb_secret_never_in_messages"},
                       {"Content-Type", "application/json"}};
    request.body = "[]";
    request.timeout = std::chrono::milliseconds(300);
    return request;
}

// Before any client exists, as in job-sync (app.cpp): the pool is made with the first client.
struct PoolAsInProduction {
    PoolAsInProduction() {
        jobsync::http::limit_transport_threads(jobsync::http::kTransportThreads);
    }
};

// GET /endless: a body that never ends. Anything else: "[]".
void endless_or_small(int fd, const RawServer& server) {
    const std::string head = RawServer::read_head(fd);
    if (head.rfind("GET /endless ", 0) != 0) {
        server.send_all(fd,
                        "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n"
                        "Content-Length: 2\r\nConnection: close\r\n\r\n[]");
        return;
    }
    server.send_endless_body(fd, "[");
}

Request get(std::string url, std::size_t cap) {
    Request request;
    request.method = "GET";
    request.url = std::move(url);
    request.timeout = std::chrono::seconds(10);
    request.max_body_bytes = cap;
    return request;
}

}  // namespace

BOOST_TEST_GLOBAL_FIXTURE(PoolAsInProduction);

BOOST_AUTO_TEST_SUITE(cpprest_transport)

// cpprest waits on its pool thread for the response buffer to close after a refused write; a
// close that posted work to the pool would leave it waiting for itself, and every later request
// would time out.
BOOST_AUTO_TEST_CASE(a_body_over_the_cap_fails_its_request_and_the_pool_keeps_serving) {
    RawServer server(endless_or_small);
    auto transport = make_cpprest_transport();
    // Were the pool stuck, both requests would end by their 10 s timeout instead.
    const auto refused = transport->send(get(server.base_url() + "/endless", 256 * 1024));
    BOOST_TEST(static_cast<int>(refused.error) == static_cast<int>(TransportError::body_too_large),
               refused.error_message);
    BOOST_TEST(refused.error_message.find("passed the cap of 262144 bytes") != std::string::npos,
               refused.error_message);
    const auto after = transport->send(get(server.base_url() + "/small", 256 * 1024));
    BOOST_TEST(static_cast<int>(after.error) == static_cast<int>(TransportError::none),
               after.error_message);
    BOOST_TEST(after.status == 200);
    BOOST_TEST(after.body == "[]");
}

BOOST_AUTO_TEST_CASE(a_closed_port_is_a_connect_failure_without_headers_in_the_message) {
    LocalSocket bound_not_listening(false);
    auto transport = make_cpprest_transport();
    const auto response = transport->send(post_to(bound_not_listening.url("/rest/v1/jobs?x=1")));
    BOOST_TEST(response.transport_failed());
    BOOST_TEST(static_cast<int>(response.error) == static_cast<int>(TransportError::connect_failed),
               response.error_message);
    BOOST_TEST(response.status == 0);
    BOOST_TEST(response.error_message.find("/rest/v1/jobs") != std::string::npos);
    BOOST_TEST(response.error_message.find("sb_secret_") == std::string::npos);
    BOOST_TEST(response.error_message.find("x=1") == std::string::npos);
}

BOOST_AUTO_TEST_CASE(a_server_that_never_answers_is_a_timeout) {
    LocalSocket silent(true);
    auto transport = make_cpprest_transport();
    const auto started = std::chrono::steady_clock::now();
    const auto response = transport->send(post_to(silent.url("/rest/v1/jobs")));
    const auto took = std::chrono::steady_clock::now() - started;
    BOOST_TEST(static_cast<int>(response.error) == static_cast<int>(TransportError::timeout),
               response.error_message);
    BOOST_TEST(std::chrono::duration_cast<std::chrono::milliseconds>(took).count() < 5000);
}

BOOST_AUTO_TEST_CASE(an_invalid_url_is_reported_not_thrown) {
    auto transport = make_cpprest_transport();
    const auto response = transport->send(post_to("http://exa mple.com/x"));
    BOOST_TEST(static_cast<int>(response.error) == static_cast<int>(TransportError::other));
    BOOST_TEST(!response.error_message.empty());
}

BOOST_AUTO_TEST_SUITE_END()
