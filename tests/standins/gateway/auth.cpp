#include "standins/gateway/auth.hpp"

#include <rapidjson/document.h>
#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include "standins/gateway/http_mapping.hpp"
#include "standins/gateway/jwt.hpp"
#include "text/strings.hpp"

namespace jobsync::testing::gateway {

namespace {

std::string claims_with_role(const std::string& claims_json, const std::string& role) {
    rapidjson::Document claims;
    if (claims.Parse(claims_json.c_str()).HasParseError() || !claims.IsObject()) {
        claims.SetObject();
    }
    auto& allocator = claims.GetAllocator();
    rapidjson::Value role_value(role.c_str(), static_cast<rapidjson::SizeType>(role.size()),
                                allocator);
    if (auto it = claims.FindMember("role"); it != claims.MemberEnd()) {
        it->value = role_value;
    } else {
        claims.AddMember("role", role_value, allocator);
    }
    rapidjson::StringBuffer buffer;
    rapidjson::Writer<rapidjson::StringBuffer> writer(buffer);
    claims.Accept(writer);
    return buffer.GetString();
}

Identity identity_for(const std::string& role, const std::string& claims_json) {
    return Identity{role, claims_with_role(claims_json, role), role != kAnonRole};
}

}  // namespace

AuthOutcome authenticate(const GatewayOptions& options, const http::Headers& headers,
                         const std::optional<std::string>& apikey_param, std::int64_t now_seconds) {
    std::optional<std::string> apikey = http::find_header(headers, "apikey");
    if (!apikey || apikey->empty()) apikey = apikey_param;
    if (!apikey || apikey->empty()) return {std::nullopt, missing_api_key_reply()};

    const bool is_secret = *apikey == options.secret_key;
    const bool is_publishable = *apikey == options.publishable_key;
    if (!is_secret && !is_publishable && !has_valid_hs256_signature(*apikey, options.jwt_secret)) {
        return {std::nullopt, invalid_api_key_reply()};
    }

    // The CLI gateway's BearerToken rule (notes 5.2): an Authorization header that is not an
    // sb_ key goes to PostgREST unchanged; otherwise the apikey decides.
    const std::optional<std::string> authorization = http::find_header(headers, "Authorization");
    std::optional<std::string> forwarded;
    if (authorization && !text::starts_with_ignoring_case(*authorization, "Bearer sb_")) {
        forwarded = *authorization;
    } else if (is_secret) {
        return {identity_for("service_role", R"({"iss":"supabase-local"})"), std::nullopt};
    } else if (is_publishable) {
        return {identity_for(kAnonRole, R"({"iss":"supabase-local"})"), std::nullopt};
    } else {
        forwarded = "Bearer " + *apikey;
    }

    // PostgREST: only the Bearer scheme carries a token; any other scheme is anonymous.
    const std::size_t space = forwarded->find(' ');
    const std::string scheme = forwarded->substr(0, space);
    if (scheme.size() != 6 || !text::starts_with_ignoring_case(scheme, "Bearer")) {
        return {identity_for(kAnonRole, "{}"), std::nullopt};
    }
    std::string token = space == std::string::npos ? "" : forwarded->substr(space + 1);
    while (!token.empty() && token.front() == ' ') token.erase(0, 1);

    const JwtCheck check = verify_hs256(token, options.jwt_secret, now_seconds);
    if (!check.ok()) {
        const ApiError error(401, check.failure.code, check.failure.message);
        return {std::nullopt,
                error_reply(error, "Bearer error=\"invalid_token\", error_description=\"" +
                                       check.failure.message + "\"")};
    }
    const std::string role = check.jwt->role.value_or(kAnonRole);
    return {identity_for(role, check.jwt->claims_json), std::nullopt};
}

}  // namespace jobsync::testing::gateway
