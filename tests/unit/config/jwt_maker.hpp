// Hand-made JWTs for the config tests: unsigned in substance (the signature is junk), which is
// all the key-kind detection looks at.
#pragma once

#include <string>
#include <string_view>

namespace jobsync::testing {

inline std::string encode_base64url(std::string_view bytes) {
    static constexpr char alphabet[] =
        "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
    std::string out;
    unsigned buffer = 0;
    int bits = 0;
    for (unsigned char byte : bytes) {
        buffer = (buffer << 8) | byte;
        bits += 8;
        while (bits >= 6) {
            bits -= 6;
            out += alphabet[(buffer >> bits) & 0x3F];
        }
    }
    if (bits > 0) out += alphabet[(buffer << (6 - bits)) & 0x3F];
    return out;
}

inline std::string make_jwt(std::string_view payload_json) {
    return encode_base64url(R"({"alg":"HS256","typ":"JWT"})") + "." +
           encode_base64url(payload_json) + "." + encode_base64url("not-a-real-signature");
}

inline std::string service_role_jwt() {
    return make_jwt(R"({"iss":"supabase","ref":"abcdefgh","role":"service_role","iat":1700000000,)"
                    R"("exp":2000000000})");
}

inline std::string anon_jwt() {
    return make_jwt(R"({"iss":"supabase","ref":"abcdefgh","role":"anon","iat":1700000000})");
}

}  // namespace jobsync::testing
