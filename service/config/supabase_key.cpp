#include "config/supabase_key.hpp"

#include <rapidjson/document.h>

#include "text/strings.hpp"
#include "text/timestamps.hpp"

namespace jobsync::config {

namespace {

constexpr const char* kWhereToFind =
    "Supabase dashboard: Project Settings > API Keys, the secret key (sb_secret_...) or the "
    "legacy service_role key";

// The claims of header.payload.signature, read without verifying anything; nullopt when the
// payload is not a base64url JSON object (padding and what follows it are ignored: the parse
// rejects a truncated payload).
std::optional<rapidjson::Document> jwt_claims(std::string_view token) {
    constexpr std::string_view kAlphabet =
        "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
    const auto first_dot = token.find('.');
    const auto second_dot = token.find('.', first_dot + 1);
    if (first_dot == std::string_view::npos || second_dot == std::string_view::npos) {
        return std::nullopt;
    }
    const auto payload = token.substr(first_dot + 1, second_dot - first_dot - 1);
    std::string bytes;
    std::uint32_t buffer = 0;
    int bits = 0;
    for (const char c : payload.substr(0, payload.find('='))) {
        const auto value = kAlphabet.find(c);
        if (value == std::string_view::npos) return std::nullopt;
        buffer = (buffer << 6) | static_cast<std::uint32_t>(value);
        bits += 6;
        if (bits >= 8) {
            bits -= 8;
            bytes += static_cast<char>((buffer >> bits) & 0xFF);
        }
    }
    rapidjson::Document claims;
    claims.Parse(bytes.data(), bytes.size());
    if (claims.HasParseError() || !claims.IsObject()) return std::nullopt;
    return claims;
}

}  // namespace

std::optional<std::string> jwt_lifetime_problem(std::string_view token, std::int64_t now_seconds,
                                                std::int64_t skew_seconds) {
    const auto claims = jwt_claims(token);
    if (!claims) return std::nullopt;
    const auto exp = claims->FindMember("exp");
    if (exp == claims->MemberEnd() || !exp->value.IsNumber()) return std::nullopt;
    const double seconds = exp->value.GetDouble();
    if (!(seconds > -1e12 && seconds < 1e12)) return std::nullopt;
    const auto expiry = static_cast<std::int64_t>(seconds);
    if (expiry + skew_seconds >= now_seconds) return std::nullopt;
    return "SUPABASE_SERVICE_ROLE_KEY has expired (exp " +
           text::format_utc(expiry, "%Y-%m-%d %H:%M:%S UTC") +
           "): Supabase would refuse it; copy the current key from the " + kWhereToFind;
}

KeyCheck classify_supabase_key(std::string_view key) {
    if (text::starts_with(key, "sb_secret_")) return {SupabaseKeyKind::secret_key, {}};
    if (text::starts_with(key, "sb_publishable_")) {
        return {std::nullopt,
                std::string("is a publishable key, which cannot write; use the secret key or "
                            "the legacy service_role key (") +
                    kWhereToFind + ")"};
    }
    const auto claims = jwt_claims(key);
    if (!claims) {
        return {std::nullopt,
                std::string("is neither a JWT nor an sb_secret_ key; copy it again from the ") +
                    kWhereToFind};
    }
    const auto role = claims->FindMember("role");
    if (role == claims->MemberEnd() || !role->value.IsString()) {
        return {std::nullopt, std::string("is a JWT without a role claim, not the service_role "
                                          "key; use the ") +
                                  kWhereToFind};
    }
    const std::string_view name(role->value.GetString(), role->value.GetStringLength());
    if (name == "service_role") return {SupabaseKeyKind::legacy_jwt, {}};
    // The role is a claim name like "anon", not a secret; keep it short in case it is junk.
    std::string shown(name.substr(0, 32));
    for (char& c : shown) {
        if (c < 0x20 || c > 0x7E) c = '?';
    }
    if (name.size() > shown.size()) shown += "...";
    return {std::nullopt, "is a JWT for the role '" + shown +
                              "', which cannot write the jobs table; use the " + kWhereToFind};
}

}  // namespace jobsync::config
