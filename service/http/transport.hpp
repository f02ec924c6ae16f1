// The network seam. Everything above this header works on plain request/response values, so
// it is unit-tested without servers; only cpprest_transport.cpp includes cpprestsdk.
#pragma once

#include <chrono>
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

struct Request {
    std::string method;  // "GET", "POST", "PATCH"
    std::string url;     // absolute, already encoded
    Headers headers;     // may hold secrets: never log them (see logging/redact.hpp)
    std::string body;
    std::chrono::milliseconds timeout{std::chrono::seconds(30)};
};

// Transport failures are data, not exceptions, so retry decisions stay pure functions of a
// Response.
enum class TransportError { none, connect_failed, timeout, other };

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

// The production transport (cpprestsdk, HTTPS via OpenSSL).
std::unique_ptr<Transport> make_cpprest_transport();

}  // namespace jobsync::http
