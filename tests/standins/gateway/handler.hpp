// One `/rest/v1/<table>` request, end to end: gateway key check, role, parsing, then one
// transaction on a pooled authenticator connection, then the reply PostgREST would send.
#pragma once

#include <cstdint>

#include "standins/gateway/connection_pool.hpp"
#include "standins/gateway/gateway.hpp"

namespace jobsync::testing::gateway {

// Never throws: every failure becomes the reply the real stack would give.
Reply handle_request(const GatewayOptions& options, ConnectionPool& pool,
                     const RecordedRequest& request, std::int64_t now_seconds);

}  // namespace jobsync::testing::gateway
