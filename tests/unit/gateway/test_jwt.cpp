#include <boost/test/unit_test.hpp>

#include "standins/gateway/gateway.hpp"
#include "standins/gateway/jwt.hpp"

using namespace jobsync::testing;
using namespace jobsync::testing::gateway;

namespace {

constexpr std::int64_t kNow = 1'700'000'000;
const std::string kSecret = "super-secret-jwt-token-with-at-least-32-characters";

std::string token_with(const std::string& claims) { return sign_hs256(kSecret, claims); }

}  // namespace

BOOST_AUTO_TEST_SUITE(gateway_jwt)

BOOST_AUTO_TEST_CASE(base64url_round_trips_without_padding) {
    BOOST_TEST(base64url_encode("\xfb\xff") == "-_8");
    BOOST_TEST(base64url_decode("-_8").value() == "\xfb\xff");
    BOOST_TEST(base64url_encode("abc") == "YWJj");
    BOOST_TEST(!base64url_decode("a*b").has_value());
}

BOOST_AUTO_TEST_CASE(hs256_signature_matches_the_rfc7515_example) {
    // RFC 7515 appendix A.1: header/payload bytes and key from the spec.
    const std::string key = base64url_decode(
                                "AyM1SysPpbyDfgZld3umj1qzKObwVMkoqQ-EstJQLr_T-"
                                "1qS0gZH75aKtMN3Yj0iPS4hcgUuTwjAzZr1Z9CAow")
                                .value();
    const std::string signing_input =
        "eyJ0eXAiOiJKV1QiLA0KICJhbGciOiJIUzI1NiJ9."
        "eyJpc3MiOiJqb2UiLA0KICJleHAiOjEzMDA4MTkzODAsDQogImh0dHA6Ly9leGFtcGxlLmNvbS9pc19yb290Ijp0cn"
        "VlfQ";
    const std::string token = signing_input + ".dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk";
    BOOST_TEST(has_valid_hs256_signature(token, key));
    BOOST_TEST(!has_valid_hs256_signature(token, key + "x"));
}

BOOST_AUTO_TEST_CASE(a_valid_token_yields_its_claims_and_role) {
    const JwtCheck check =
        verify_hs256(token_with(R"({"role":"service_role","exp":1700000100})"), kSecret, kNow);
    BOOST_TEST_REQUIRE(check.ok());
    BOOST_TEST(check.jwt->role.value() == "service_role");
    BOOST_TEST(check.jwt->claims_json == R"({"role":"service_role","exp":1700000100})");
}

BOOST_AUTO_TEST_CASE(a_token_without_a_role_claim_has_no_role) {
    const JwtCheck check = verify_hs256(token_with(R"({"sub":"x"})"), kSecret, kNow);
    BOOST_TEST_REQUIRE(check.ok());
    BOOST_TEST(!check.jwt->role.has_value());
}

BOOST_AUTO_TEST_CASE(a_tampered_payload_fails_the_signature) {
    const std::string token = token_with(R"({"role":"anon"})");
    const std::size_t first = token.find('.'), second = token.find('.', first + 1);
    const std::string forged = token.substr(0, first + 1) +
                               base64url_encode(R"({"role":"service_role"})") +
                               token.substr(second);
    const JwtCheck check = verify_hs256(forged, kSecret, kNow);
    BOOST_TEST(!check.ok());
    BOOST_TEST(check.failure.code == "PGRST301");
    BOOST_TEST(check.failure.message == "JWT cryptographic operation failed");
}

BOOST_AUTO_TEST_CASE(a_token_signed_with_another_secret_is_rejected) {
    const JwtCheck check =
        verify_hs256(sign_hs256("another-secret", R"({"role":"anon"})"), kSecret, kNow);
    BOOST_TEST(!check.ok());
    BOOST_TEST(check.failure.code == "PGRST301");
}

BOOST_AUTO_TEST_CASE(alg_none_is_rejected_even_without_a_signature) {
    const std::string token = base64url_encode(R"({"alg":"none","typ":"JWT"})") + "." +
                              base64url_encode(R"({"role":"service_role"})") + ".";
    const JwtCheck check = verify_hs256(token, kSecret, kNow);
    BOOST_TEST(!check.ok());
    BOOST_TEST(check.failure.message == "Wrong or unsupported encoding algorithm");
    BOOST_TEST(!has_valid_hs256_signature(token, kSecret));
}

BOOST_AUTO_TEST_CASE(an_expired_token_is_pgrst303_after_the_30_second_skew) {
    BOOST_TEST(verify_hs256(token_with(R"({"exp":1699999980})"), kSecret, kNow).ok());
    const JwtCheck check = verify_hs256(token_with(R"({"exp":1699999960})"), kSecret, kNow);
    BOOST_TEST(!check.ok());
    BOOST_TEST(check.failure.code == "PGRST303");
    BOOST_TEST(check.failure.message == "JWT expired");
}

BOOST_AUTO_TEST_CASE(future_nbf_and_iat_and_non_numeric_exp_are_rejected) {
    BOOST_TEST(verify_hs256(token_with(R"({"nbf":1700000100})"), kSecret, kNow).failure.message ==
               "JWT not yet valid");
    BOOST_TEST(verify_hs256(token_with(R"({"iat":1700000100})"), kSecret, kNow).failure.message ==
               "JWT issued at future");
    BOOST_TEST(verify_hs256(token_with(R"({"exp":"soon"})"), kSecret, kNow).failure.message ==
               "The JWT 'exp' claim must be a number");
}

BOOST_AUTO_TEST_CASE(tokens_without_three_parts_report_the_count) {
    const JwtCheck check = verify_hs256("sb_secret_abc", kSecret, kNow);
    BOOST_TEST(check.failure.message == "Expected 3 parts in JWT; got 1");
    BOOST_TEST(verify_hs256("", kSecret, kNow).failure.message ==
               "Empty JWT is sent in Authorization header");
}

BOOST_AUTO_TEST_CASE(minted_tokens_verify_and_carry_role_issuer_and_expiry) {
    const std::string token = mint_jwt(kSecret, "anon", std::chrono::seconds(60));
    const auto now = std::chrono::duration_cast<std::chrono::seconds>(
                         std::chrono::system_clock::now().time_since_epoch())
                         .count();
    const JwtCheck check = verify_hs256(token, kSecret, now);
    BOOST_TEST_REQUIRE(check.ok());
    BOOST_TEST(check.jwt->role.value() == "anon");
    BOOST_TEST(check.jwt->claims_json.find(R"("iss":"supabase-local")") != std::string::npos);
    BOOST_TEST(!verify_hs256(token, kSecret, now + 120).ok());
}

BOOST_AUTO_TEST_SUITE_END()
