#include "standins/gateway/jwt.hpp"

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <rapidjson/document.h>
#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include <array>
#include <chrono>
#include <vector>

#include "standins/gateway/gateway.hpp"

namespace jobsync::testing {

namespace gateway {

namespace {

constexpr char kAlphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
constexpr std::int64_t kAllowedSkewSeconds = 30;

int sextet(char c) {
    if (c >= 'A' && c <= 'Z') return c - 'A';
    if (c >= 'a' && c <= 'z') return c - 'a' + 26;
    if (c >= '0' && c <= '9') return c - '0' + 52;
    if (c == '-') return 62;
    if (c == '_') return 63;
    return -1;
}

std::string hmac_sha256(const std::string& key, std::string_view data) {
    std::array<unsigned char, EVP_MAX_MD_SIZE> digest{};
    unsigned int length = 0;
    HMAC(EVP_sha256(), key.data(), static_cast<int>(key.size()),
         reinterpret_cast<const unsigned char*>(data.data()), data.size(), digest.data(), &length);
    return std::string(reinterpret_cast<const char*>(digest.data()), length);
}

std::vector<std::string_view> split_dots(std::string_view token) {
    std::vector<std::string_view> parts;
    while (true) {
        const std::size_t dot = token.find('.');
        parts.push_back(token.substr(0, dot));
        if (dot == std::string_view::npos) break;
        token.remove_prefix(dot + 1);
    }
    return parts;
}

bool signature_matches(const std::vector<std::string_view>& parts, const std::string& secret) {
    const auto signature = base64url_decode(parts[2]);
    if (!signature) return false;
    const std::size_t signed_length = parts[0].size() + 1 + parts[1].size();
    const std::string_view signed_part(parts[0].data(), signed_length);
    const std::string expected = hmac_sha256(secret, signed_part);
    return signature->size() == expected.size() &&
           CRYPTO_memcmp(signature->data(), expected.data(), expected.size()) == 0;
}

JwtCheck failed(const char* code, const char* message) {
    JwtCheck check;
    check.failure = {code, message};
    return check;
}

// The claim `name`: nullopt when absent or null (skipped), ok=false when not a number.
struct TimeClaim {
    bool ok = true;
    std::optional<std::int64_t> value;
};

TimeClaim time_claim(const rapidjson::Value& claims, const char* name) {
    const auto it = claims.FindMember(name);
    if (it == claims.MemberEnd() || it->value.IsNull()) return {};
    if (!it->value.IsNumber()) return {false, std::nullopt};
    return {true, static_cast<std::int64_t>(it->value.GetDouble())};
}

}  // namespace

std::string base64url_encode(std::string_view bytes) {
    std::string out;
    out.reserve((bytes.size() + 2) / 3 * 4);
    std::size_t i = 0;
    for (; i + 2 < bytes.size(); i += 3) {
        const unsigned n = (static_cast<unsigned char>(bytes[i]) << 16) |
                           (static_cast<unsigned char>(bytes[i + 1]) << 8) |
                           static_cast<unsigned char>(bytes[i + 2]);
        out += kAlphabet[(n >> 18) & 63];
        out += kAlphabet[(n >> 12) & 63];
        out += kAlphabet[(n >> 6) & 63];
        out += kAlphabet[n & 63];
    }
    if (i + 1 == bytes.size()) {
        const unsigned n = static_cast<unsigned char>(bytes[i]) << 16;
        out += kAlphabet[(n >> 18) & 63];
        out += kAlphabet[(n >> 12) & 63];
    } else if (i + 2 == bytes.size()) {
        const unsigned n = (static_cast<unsigned char>(bytes[i]) << 16) |
                           (static_cast<unsigned char>(bytes[i + 1]) << 8);
        out += kAlphabet[(n >> 18) & 63];
        out += kAlphabet[(n >> 12) & 63];
        out += kAlphabet[(n >> 6) & 63];
    }
    return out;
}

std::optional<std::string> base64url_decode(std::string_view text) {
    while (!text.empty() && text.back() == '=') text.remove_suffix(1);
    if (text.size() % 4 == 1) return std::nullopt;
    std::string out;
    unsigned buffer = 0;
    int bits = 0;
    for (char c : text) {
        const int value = sextet(c);
        if (value < 0) return std::nullopt;
        buffer = (buffer << 6) | static_cast<unsigned>(value);
        bits += 6;
        if (bits >= 8) {
            bits -= 8;
            out += static_cast<char>((buffer >> bits) & 0xFF);
        }
    }
    return out;
}

std::string sign_hs256(const std::string& secret, const std::string& claims_json) {
    const std::string signing_input =
        base64url_encode(R"({"alg":"HS256","typ":"JWT"})") + "." + base64url_encode(claims_json);
    return signing_input + "." + base64url_encode(hmac_sha256(secret, signing_input));
}

bool has_valid_hs256_signature(std::string_view token, const std::string& secret) {
    const auto parts = split_dots(token);
    if (parts.size() != 3) return false;
    const auto header_json = base64url_decode(parts[0]);
    if (!header_json) return false;
    rapidjson::Document header;
    if (header.Parse(header_json->c_str()).HasParseError() || !header.IsObject()) return false;
    const auto alg = header.FindMember("alg");
    if (alg == header.MemberEnd() || !alg->value.IsString() ||
        std::string_view(alg->value.GetString()) != "HS256") {
        return false;
    }
    return signature_matches(parts, secret);
}

JwtCheck verify_hs256(std::string_view token, const std::string& secret, std::int64_t now_seconds) {
    if (token.empty()) return failed("PGRST301", "Empty JWT is sent in Authorization header");
    const auto parts = split_dots(token);
    if (parts.size() != 3) {
        JwtCheck check;
        check.failure = {"PGRST301",
                         "Expected 3 parts in JWT; got " + std::to_string(parts.size())};
        return check;
    }
    const auto header_json = base64url_decode(parts[0]);
    rapidjson::Document header;
    if (!header_json || header.Parse(header_json->c_str()).HasParseError() || !header.IsObject()) {
        return failed("PGRST301", "JWT cryptographic operation failed");
    }
    const auto alg = header.FindMember("alg");
    // alg "none", RS256 & co. are refused: the shared secret only verifies HS256.
    if (alg == header.MemberEnd() || !alg->value.IsString() ||
        std::string_view(alg->value.GetString()) != "HS256") {
        return failed("PGRST301", "Wrong or unsupported encoding algorithm");
    }
    if (!signature_matches(parts, secret)) {
        return failed("PGRST301", "JWT cryptographic operation failed");
    }
    const auto payload = base64url_decode(parts[1]);
    rapidjson::Document claims;
    if (!payload || claims.Parse(payload->c_str()).HasParseError() || !claims.IsObject()) {
        return failed("PGRST303", "Parsing claims failed");
    }
    const TimeClaim exp = time_claim(claims, "exp");
    if (!exp.ok) return failed("PGRST303", "The JWT 'exp' claim must be a number");
    if (exp.value && now_seconds - kAllowedSkewSeconds > *exp.value) {
        return failed("PGRST303", "JWT expired");
    }
    const TimeClaim nbf = time_claim(claims, "nbf");
    if (!nbf.ok) return failed("PGRST303", "The JWT 'nbf' claim must be a number");
    if (nbf.value && now_seconds + kAllowedSkewSeconds < *nbf.value) {
        return failed("PGRST303", "JWT not yet valid");
    }
    const TimeClaim iat = time_claim(claims, "iat");
    if (!iat.ok) return failed("PGRST303", "The JWT 'iat' claim must be a number");
    if (iat.value && now_seconds + kAllowedSkewSeconds < *iat.value) {
        return failed("PGRST303", "JWT issued at future");
    }
    VerifiedJwt jwt;
    jwt.claims_json = *payload;
    const auto role = claims.FindMember("role");
    if (role != claims.MemberEnd() && !role->value.IsNull()) {
        if (role->value.IsString()) {
            jwt.role = std::string(role->value.GetString(), role->value.GetStringLength());
        } else {  // PostgREST uses the JSON text of a non-string role claim
            rapidjson::StringBuffer buffer;
            rapidjson::Writer<rapidjson::StringBuffer> writer(buffer);
            role->value.Accept(writer);
            jwt.role = buffer.GetString();
        }
    }
    JwtCheck check;
    check.jwt = std::move(jwt);
    return check;
}

}  // namespace gateway

std::string mint_jwt(const std::string& secret, const std::string& role, std::chrono::seconds ttl) {
    const auto now = std::chrono::duration_cast<std::chrono::seconds>(
                         std::chrono::system_clock::now().time_since_epoch())
                         .count();
    rapidjson::StringBuffer buffer;
    rapidjson::Writer<rapidjson::StringBuffer> writer(buffer);
    writer.StartObject();
    writer.Key("role");
    writer.String(role.c_str(), static_cast<rapidjson::SizeType>(role.size()));
    writer.Key("iss");
    writer.String("supabase-local");
    writer.Key("iat");
    writer.Int64(now);
    writer.Key("exp");
    writer.Int64(now + ttl.count());
    writer.EndObject();
    return gateway::sign_hs256(secret, buffer.GetString());
}

}  // namespace jobsync::testing
