// What kind of Supabase key the user gave, so the client sends it the way Supabase expects and
// a key that cannot write fails before any network call; and whether a legacy JWT has expired,
// so the run stops (exit 3) before JSearch is billed. Nothing is verified: the signature and
// everything else are Supabase's job, and its 401 says more than we could.
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
// whose `role` claim is service_role -> legacy_jwt.
KeyCheck classify_supabase_key(std::string_view key);

// Clock skew allowed when checking exp (PostgREST itself allows 30 s).
inline constexpr std::int64_t kJwtSkewSeconds = 60;

// "has expired ..." when a JWT's exp + skew is before `now_seconds` (Unix time); nullopt when
// it has not, or the token carries no exp (or is not a JWT). Never quotes the token.
std::optional<std::string> jwt_lifetime_problem(std::string_view token, std::int64_t now_seconds,
                                                std::int64_t skew_seconds = kJwtSkewSeconds);

}  // namespace jobsync::config
