// Reads for the operators' commands (`check`, `status`, `sync --dry-run`): GETs on a table
// and RPC calls, with the same retries as the sync's writes. Reads are safe to repeat.
#pragma once

#include <string>
#include <string_view>
#include <utility>

#include "http/retry.hpp"
#include "http/transport.hpp"
#include "http/url.hpp"
#include "postgrest/connection.hpp"
#include "postgrest/request.hpp"

namespace jobsync::postgrest {

class PostgrestReader {
  public:
    PostgrestReader(http::Transport& transport, Endpoint endpoint, http::RetryPolicy policy,
                    http::RetryEnvironment environment);

    http::RetriedResponse get(std::string_view table, const http::QueryParams& params,
                              std::string_view prefer = {}) const;
    http::RetriedResponse rpc(std::string_view function, std::string json_arguments) const;

    // Removes the key from text that came from a server, which might echo it back.
    std::string scrub(std::string message) const { return connection_.scrub(std::move(message)); }
    const Endpoint& endpoint() const { return connection_.endpoint; }

  private:
    http::RetriedResponse send(const http::Request& request, std::string_view what) const;

    Connection connection_;
};

}  // namespace jobsync::postgrest
