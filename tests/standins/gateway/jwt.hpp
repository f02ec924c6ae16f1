// HS256 JSON Web Tokens: signing (for the keys the gateway mints and tests use) and
// verification with PostgREST's error codes and messages (notes 4.3, 5.1; PostgREST
// Auth/Jwt.hs): PGRST301 when the token cannot be decoded or verified, PGRST303 when its
// claims are invalid. Only HS256 with the shared secret is accepted.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace jobsync::testing::gateway {

std::string base64url_encode(std::string_view bytes);
std::optional<std::string> base64url_decode(std::string_view text);

// header.payload.signature for `claims_json` (a JSON object), header {"alg":"HS256","typ":"JWT"}.
std::string sign_hs256(const std::string& secret, const std::string& claims_json);

struct JwtFailure {
    std::string code;     // PGRST301 or PGRST303
    std::string message;  // PostgREST's text, e.g. "JWT expired"
};

struct VerifiedJwt {
    std::string claims_json;          // the payload as sent (a JSON object)
    std::optional<std::string> role;  // the `role` claim; nullopt when absent
};

struct JwtCheck {
    std::optional<VerifiedJwt> jwt;  // set when valid
    JwtFailure failure;              // set when not
    bool ok() const { return jwt.has_value(); }
};

// Verifies signature, then exp/nbf/iat with PostgREST's 30 s skew against `now_seconds`.
JwtCheck verify_hs256(std::string_view token, const std::string& secret, std::int64_t now_seconds);

// Signature check only (the gateway's "is this one of the project's keys?").
bool has_valid_hs256_signature(std::string_view token, const std::string& secret);

}  // namespace jobsync::testing::gateway
