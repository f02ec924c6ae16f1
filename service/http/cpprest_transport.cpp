// The one file that includes cpprestsdk: it turns plain Requests into cpprest calls and every
// outcome (a status, or an exception) back into a plain Response.
#include <cpprest/http_client.h>

#include <algorithm>
#include <cerrno>
#include <map>
#include <mutex>
#include <string>
#include <system_error>
#include <vector>

#include "http/transport.hpp"
#include "text/strings.hpp"

namespace jobsync::http {

namespace {

namespace cp = web::http;

// Connection-level failures (nothing useful reached the server, or the link dropped) are
// told apart from timeouts so logs and summaries say what happened.
TransportError classify(const std::error_code& code, std::string_view message) {
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

class CpprestTransport final : public Transport {
  public:
    Response send(const Request& request) override {
        web::uri uri;
        try {
            uri = web::uri(request.url);
        } catch (const std::exception&) {
            return failure(TransportError::other, request.method, "invalid URL");
        }
        const std::string location = where(request, uri);
        try {
            auto client = client_for(uri, request.timeout);
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
                message.set_body(request.body,
                                 content_type.empty() ? "application/octet-stream" : content_type);
            }

            cp::http_response reply = client->request(message).get();
            Response response;
            response.status = reply.status_code();
            for (const auto& [name, value] : reply.headers()) {
                response.headers.emplace_back(name, value);
            }
            const std::vector<unsigned char> bytes = reply.extract_vector().get();
            response.body.assign(bytes.begin(), bytes.end());
            return response;
        } catch (const cp::http_exception& e) {
            return failure(classify(e.error_code(), e.what()), location, e.what());
        } catch (const std::exception& e) {
            return failure(TransportError::other, location, e.what());
        }
    }

  private:
    // http_client holds a connection pool, so one client per origin (and timeout, which is
    // fixed per client) is reused across requests. The map is locked; the clients themselves
    // are safe to use concurrently. Note: cpprest's timeout restarts on every socket
    // operation, so it bounds silence rather than the whole exchange.
    std::shared_ptr<cp::client::http_client> client_for(const web::uri& uri,
                                                        std::chrono::milliseconds timeout) {
        web::uri_builder origin;
        origin.set_scheme(uri.scheme()).set_host(uri.host()).set_port(uri.port());
        const web::uri base = origin.to_uri();
        const std::string key = base.to_string() + "|" + std::to_string(timeout.count());

        std::lock_guard<std::mutex> lock(mutex_);
        auto found = clients_.find(key);
        if (found != clients_.end()) return found->second;
        cp::client::http_client_config config;
        config.set_timeout(std::max(timeout, std::chrono::milliseconds(1)));
        auto client = std::make_shared<cp::client::http_client>(base, config);
        clients_.emplace(key, client);
        return client;
    }

    std::mutex mutex_;
    std::map<std::string, std::shared_ptr<cp::client::http_client>> clients_;
};

}  // namespace

std::unique_ptr<Transport> make_cpprest_transport() { return std::make_unique<CpprestTransport>(); }

}  // namespace jobsync::http
