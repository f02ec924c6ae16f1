// What every PostgREST client of the service holds (the job store, the run ledger, the
// operators' reader): the transport, the endpoint with its key, the retry policy and
// environment, and the one way to keep the key out of a server's text.
#pragma once

#include <string>
#include <utility>

#include "http/retry.hpp"
#include "http/transport.hpp"
#include "logging/redact.hpp"
#include "postgrest/request.hpp"

namespace jobsync::postgrest {

struct Connection {
    Connection(http::Transport& transport_in, Endpoint endpoint_in, http::RetryPolicy policy_in,
               http::RetryEnvironment environment_in)
        : transport(transport_in),
          endpoint(std::move(endpoint_in)),
          policy(std::move(policy_in)),
          environment(std::move(environment_in)) {}

    // Removes the key from text that came from a server, which might echo it back.
    std::string scrub(std::string message) const {
        return logging::redact_value(std::move(message), endpoint.key.reveal());
    }

    http::Transport& transport;
    Endpoint endpoint;
    http::RetryPolicy policy;
    http::RetryEnvironment environment;
};

}  // namespace jobsync::postgrest
