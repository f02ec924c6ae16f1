#include "config/supabase_key.hpp"

#include <rapidjson/document.h>

#include <ctime>

#include "text/strings.hpp"

namespace jobsync::config {

namespace {

constexpr const char* kWhereToFind =
    "Supabase dashboard: Project Settings > API Keys, the secret key (sb_secret_...) or the "
    "legacy service_role key";

// Padding and anything after it are ignored: the JSON parse below rejects a truncated payload.
std::optional<std::string> decode_base64url(std::string_view text) {
    constexpr std::string_view kAlphabet =
        "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
    std::string bytes;
    std::uint32_t buffer = 0;
    int bits = 0;
    for (const char c : text.substr(0, text.find('='))) {
        const auto value = kAlphabet.find(c);
        if (value == std::string_view::npos) return std::nullopt;
        buffer = (buffer << 6) | static_cast<std::uint32_t>(value);
        bits += 6;
        if (bits >= 8) {
            bits -= 8;
            bytes += static_cast<char>((buffer >> bits) & 0xFF);
        }
    }
    return bytes;
}

// The claims of header.payload.signature, read without verifying anything; nullopt when the
// payload is not a base64url JSON object.
std::optional<rapidjson::Document> jwt_claims(std::string_view token) {
    const auto first_dot = token.find('.');
    if (first_dot == std::string_view::npos) return std::nullopt;
    const auto second_dot = token.find('.', first_dot + 1);
    if (second_dot == std::string_view::npos) return std::nullopt;
    const auto payload = decode_base64url(token.substr(first_dot + 1, second_dot - first_dot - 1));
    if (!payload) return std::nullopt;
    rapidjson::Document claims;
    claims.Parse(payload->data(), payload->size());
    if (claims.HasParseError() || !claims.IsObject()) return std::nullopt;
    return claims;
}

std::optional<std::int64_t> time_claim(const rapidjson::Document& claims, const char* name) {
    const auto found = claims.FindMember(name);
    if (found == claims.MemberEnd() || !found->value.IsNumber()) return std::nullopt;
    const double value = found->value.GetDouble();
    if (!(value > -1e12 && value < 1e12)) return std::nullopt;
    return static_cast<std::int64_t>(value);
}

std::string utc(std::int64_t seconds) {
    const auto time = static_cast<std::time_t>(seconds);
    std::tm parts{};
    gmtime_r(&time, &parts);
    char text[64];
    std::strftime(text, sizeof text, "%Y-%m-%d %H:%M:%S UTC", &parts);
    return text;
}

}  // namespace

std::optional<std::string> jwt_lifetime_problem(std::string_view token, std::int64_t now_seconds,
                                                std::int64_t skew_seconds) {
    const auto claims = jwt_claims(token);
    if (!claims) return std::nullopt;
    if (const auto exp = time_claim(*claims, "exp"); exp && *exp + skew_seconds < now_seconds) {
        return "SUPABASE_SERVICE_ROLE_KEY has expired (exp " + utc(*exp) +
               "): Supabase would refuse it; copy the current key from the " + kWhereToFind;
    }
    if (const auto nbf = time_claim(*claims, "nbf"); nbf && *nbf - skew_seconds > now_seconds) {
        return "SUPABASE_SERVICE_ROLE_KEY is not valid before " + utc(*nbf) +
               " (nbf): check this machine's clock, or the key";
    }
    return std::nullopt;
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
