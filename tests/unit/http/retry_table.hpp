// A client's retry rule as a table (the JSearch and the PostgREST rules' tests): each answer,
// whether the rule retries it, and the failure class the client gives it.
#pragma once

#include <string>
#include <vector>

#include "ports/ports.hpp"
#include "unit/http/fakes.hpp"

namespace jobsync::testing {

struct RetryRow {
    std::string what;
    http::Response response;
    bool retried;
    sync::Failure failure;
};

// What every client decides alike: the transport's failures, then `rows`, the client's own.
inline std::vector<RetryRow> transport_failures_and(std::vector<RetryRow> rows) {
    using http::TransportError;
    using sync::Failure;
    std::vector<RetryRow> table = {
        {"connection refused", FakeTransport::failure(TransportError::connect_failed, "refused"),
         true, Failure::transient},
        {"timeout", FakeTransport::failure(TransportError::timeout, "slow"), true,
         Failure::transient},
        {"TLS verification", FakeTransport::failure(TransportError::tls, "verify failed"), false,
         Failure::tls},
        {"body over the cap", FakeTransport::failure(TransportError::body_too_large, "big"), false,
         Failure::bad_response},
        {"cancelled", FakeTransport::failure(TransportError::cancelled, "stop"), false,
         Failure::cancelled},
    };
    table.insert(table.end(), rows.begin(), rows.end());
    return table;
}

}  // namespace jobsync::testing
