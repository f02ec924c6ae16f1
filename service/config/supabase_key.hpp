// Tells what kind of Supabase key the user gave, so the client sends it the way Supabase
// expects and a key that cannot write fails before any network call.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "config/settings.hpp"

namespace jobsync::config {

struct KeyCheck {
    std::optional<SupabaseKeyKind> kind;  // set when the key can be used by the sync
    std::string problem;                  // otherwise: why not and what to use (no key text)
};

// `sb_secret_...` -> secret_key; `sb_publishable_...` -> refused; anything else must be a JWT
// whose `role` claim is service_role -> legacy_jwt. The JWT signature is not verified: the
// point is to catch the wrong key early, Supabase does the real check.
KeyCheck classify_supabase_key(std::string_view key);

// Clock skew allowed when checking exp and nbf (PostgREST itself allows 30 s).
inline constexpr std::int64_t kJwtSkewSeconds = 60;

// The problem with a JWT's lifetime at `now_seconds` (Unix time): "has expired on ..." when
// exp + skew has passed, "is not valid before ..." when nbf - skew is still ahead; nullopt when
// fine or when the token carries neither claim (or is not a JWT). Never quotes the token.
std::optional<std::string> jwt_lifetime_problem(std::string_view token, std::int64_t now_seconds,
                                                std::int64_t skew_seconds = kJwtSkewSeconds);

// The `role` claim of a JWT's payload, read without verifying anything. nullopt when `token`
// is not three base64url parts with a JSON object payload; "" when there is no string role.
std::optional<std::string> jwt_role_claim(std::string_view token);

}  // namespace jobsync::config
