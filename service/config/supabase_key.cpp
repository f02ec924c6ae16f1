#include "config/supabase_key.hpp"

#include <rapidjson/document.h>

#include "config/base64url.hpp"
#include "text/strings.hpp"

namespace jobsync::config {

namespace {

constexpr const char* kWhereToFind =
    "Supabase dashboard: Project Settings > API Keys, the secret key (sb_secret_...) or the "
    "legacy service_role key";

}  // namespace

std::optional<std::string> jwt_role_claim(std::string_view token) {
    const auto first_dot = token.find('.');
    if (first_dot == std::string_view::npos) return std::nullopt;
    const auto second_dot = token.find('.', first_dot + 1);
    if (second_dot == std::string_view::npos) return std::nullopt;
    if (token.find('.', second_dot + 1) != std::string_view::npos) return std::nullopt;
    if (first_dot == 0 || second_dot == first_dot + 1) return std::nullopt;
    if (!decode_base64url(token.substr(0, first_dot))) return std::nullopt;
    if (!decode_base64url(token.substr(second_dot + 1))) return std::nullopt;

    const auto payload = decode_base64url(token.substr(first_dot + 1, second_dot - first_dot - 1));
    if (!payload) return std::nullopt;
    rapidjson::Document claims;
    claims.Parse(payload->data(), payload->size());
    if (claims.HasParseError() || !claims.IsObject()) return std::nullopt;
    const auto role = claims.FindMember("role");
    if (role == claims.MemberEnd() || !role->value.IsString()) return std::string();
    return std::string(role->value.GetString(), role->value.GetStringLength());
}

KeyCheck classify_supabase_key(std::string_view key) {
    if (text::starts_with(key, "sb_secret_")) return {SupabaseKeyKind::secret_key, {}};
    if (text::starts_with(key, "sb_publishable_")) {
        return {std::nullopt,
                std::string("is a publishable key, which cannot write; use the secret key or "
                            "the legacy service_role key (") +
                    kWhereToFind + ")"};
    }
    const auto role = jwt_role_claim(key);
    if (!role) {
        return {std::nullopt,
                std::string("is neither a JWT nor an sb_secret_ key; copy it again from the ") +
                    kWhereToFind};
    }
    if (*role == "service_role") return {SupabaseKeyKind::legacy_jwt, {}};
    if (role->empty()) {
        return {std::nullopt, std::string("is a JWT without a role claim, not the service_role "
                                          "key; use the ") +
                                  kWhereToFind};
    }
    // The role is a claim name like "anon", not a secret; keep it short in case it is junk.
    std::string shown = role->substr(0, 32);
    for (char& c : shown) {
        if (c < 0x20 || c > 0x7E) c = '?';
    }
    if (role->size() > shown.size()) shown += "...";
    return {std::nullopt, "is a JWT for the role '" + shown +
                              "', which cannot write the jobs table; use the " + kWhereToFind};
}

}  // namespace jobsync::config
