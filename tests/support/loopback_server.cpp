#include "support/loopback_server.hpp"

#include <arpa/inet.h>
#include <cpprest/http_listener.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <stdexcept>

namespace jobsync::testing {

namespace web_http = web::http;

struct LoopbackServer::Impl {
    std::unique_ptr<web_http::experimental::listener::http_listener> listener;
};

int find_free_port() {
    int fd = ::socket(AF_INET, SOCK_STREAM, 0);
    if (fd < 0) throw std::runtime_error("socket() failed");
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    addr.sin_port = 0;
    if (::bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0) {
        ::close(fd);
        throw std::runtime_error("bind() to a free loopback port failed");
    }
    socklen_t len = sizeof addr;
    ::getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len);
    ::close(fd);
    return ntohs(addr.sin_port);
}

namespace {

RecordedRequest without_body(const RecordedRequest& request) {
    RecordedRequest kept;
    kept.received_at = request.received_at;
    kept.method = request.method;
    kept.path = request.path;
    kept.raw_query = request.raw_query;
    kept.headers = request.headers;
    return kept;
}

}  // namespace

LoopbackServer::LoopbackServer(Handler handler, int port, std::optional<TlsFiles> tls)
    : impl_(std::make_unique<Impl>()),
      port_(port == 0 ? find_free_port() : port),
      tls_(tls.has_value()) {
    web_http::experimental::listener::http_listener_config config;
    if (tls) {
        config.set_ssl_context_callback([files = *tls](boost::asio::ssl::context& context) {
            context.use_certificate_chain_file(files.certificate_file);
            context.use_private_key_file(files.private_key_file, boost::asio::ssl::context::pem);
        });
    }
    impl_->listener =
        std::make_unique<web_http::experimental::listener::http_listener>(base_url(), config);
    impl_->listener->support([this, handler = std::move(handler)](web_http::http_request req) {
        RecordedRequest recorded;
        recorded.received_at = std::chrono::steady_clock::now();
        recorded.method = req.method();
        recorded.path = web::uri::decode(req.relative_uri().path());
        recorded.raw_query = req.relative_uri().query();
        for (const auto& [name, value] : req.headers()) recorded.headers.emplace_back(name, value);
        try {
            recorded.body = req.extract_string(true).get();
        } catch (const std::exception&) {
            recorded.body.clear();
        }
        {
            std::lock_guard lock(mutex_);
            requests_.push_back(record_bodies_ ? recorded : without_body(recorded));
        }
        Reply reply;
        try {
            reply = handler(recorded);
        } catch (const std::exception& e) {
            reply = Reply{
                500, {{"Content-Type", "text/plain"}}, std::string("handler threw: ") + e.what()};
        }
        web_http::http_response response(static_cast<web_http::status_code>(reply.status));
        for (const auto& [name, value] : reply.headers) response.headers().add(name, value);
        if (!reply.body.empty()) {
            std::string content_type = "application/octet-stream";
            if (auto ct = http::find_header(reply.headers, "Content-Type")) content_type = *ct;
            response.set_body(std::move(reply.body), content_type);
        }
        req.reply(response).wait();
    });
    impl_->listener->open().wait();
}

LoopbackServer::~LoopbackServer() {
    try {
        impl_->listener->close().wait();
    } catch (...) {
    }
}

std::string LoopbackServer::base_url() const {
    return (tls_ ? "https://127.0.0.1:" : "http://127.0.0.1:") + std::to_string(port_);
}

std::vector<RecordedRequest> LoopbackServer::requests() const {
    std::lock_guard lock(mutex_);
    return requests_;
}

void LoopbackServer::clear_requests() {
    std::lock_guard lock(mutex_);
    requests_.clear();
}

void LoopbackServer::set_record_bodies(bool record) {
    std::lock_guard lock(mutex_);
    record_bodies_ = record;
}

}  // namespace jobsync::testing
