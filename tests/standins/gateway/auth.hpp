// Who a request runs as: the gateway's API-key check, then the role the CLI's Kong config and
// PostgREST derive from the key and the Authorization header (notes 5.1, 5.2). Pure.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "standins/gateway/gateway.hpp"

namespace jobsync::testing::gateway {

struct Identity {
    std::string role;         // the database role to SET LOCAL ROLE to
    std::string claims_json;  // request.jwt.claims: the JWT claims with `role` filled in
    bool authed = false;      // PostgREST's "role != anon": 42501 -> 403 instead of 401
};

struct AuthOutcome {
    std::optional<Identity> identity;
    std::optional<Reply> refusal;  // the 401 to send when identity is empty
};

AuthOutcome authenticate(const GatewayOptions& options, const http::Headers& headers,
                         const std::optional<std::string>& apikey_param, std::int64_t now_seconds);

inline constexpr const char* kAnonRole = "anon";

}  // namespace jobsync::testing::gateway
