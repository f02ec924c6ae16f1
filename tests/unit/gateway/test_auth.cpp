#include <boost/test/unit_test.hpp>

#include "standins/gateway/auth.hpp"
#include "standins/gateway/jwt.hpp"

using namespace jobsync::testing;
using namespace jobsync::testing::gateway;

namespace {

constexpr std::int64_t kNow = 1'700'000'000;

GatewayOptions options() {
    GatewayOptions o;
    o.jwt_secret = "super-secret-jwt-token-with-at-least-32-characters";
    return o;
}

std::string jwt(const std::string& claims) { return sign_hs256(options().jwt_secret, claims); }

AuthOutcome auth(const jobsync::http::Headers& headers,
                 std::optional<std::string> apikey_param = std::nullopt) {
    return authenticate(options(), headers, apikey_param, kNow);
}

}  // namespace

BOOST_AUTO_TEST_SUITE(gateway_auth)

BOOST_AUTO_TEST_CASE(a_request_without_an_apikey_gets_the_gateways_401) {
    const AuthOutcome outcome = auth({{"Authorization", "Bearer " + jwt(R"({"role":"anon"})")}});
    BOOST_TEST_REQUIRE(outcome.refusal.has_value());
    BOOST_TEST(outcome.refusal->status == 401);
    BOOST_TEST(outcome.refusal->body.find("No API key found in request") != std::string::npos);
}

BOOST_AUTO_TEST_CASE(an_unknown_apikey_gets_invalid_api_key) {
    const AuthOutcome outcome = auth({{"apikey", "sb_secret_somebody_elses"}});
    BOOST_TEST_REQUIRE(outcome.refusal.has_value());
    BOOST_TEST(outcome.refusal->body.find("Invalid API key") != std::string::npos);
    const AuthOutcome forged = auth({{"apikey", sign_hs256("other", R"({"role":"anon"})")}});
    BOOST_TEST(forged.refusal.has_value());
}

BOOST_AUTO_TEST_CASE(the_secret_key_runs_as_service_role) {
    const AuthOutcome outcome = auth({{"apikey", options().secret_key}});
    BOOST_TEST_REQUIRE(outcome.identity.has_value());
    BOOST_TEST(outcome.identity->role == "service_role");
    BOOST_TEST(outcome.identity->authed);
    BOOST_TEST(outcome.identity->claims_json.find(R"("role":"service_role")") != std::string::npos);
}

BOOST_AUTO_TEST_CASE(the_publishable_key_runs_as_anon_and_is_not_authed) {
    const AuthOutcome outcome = auth({{"apikey", options().publishable_key}});
    BOOST_TEST_REQUIRE(outcome.identity.has_value());
    BOOST_TEST(outcome.identity->role == "anon");
    BOOST_TEST(!outcome.identity->authed);
}

BOOST_AUTO_TEST_CASE(the_apikey_may_come_from_the_query_string) {
    const AuthOutcome outcome = auth({}, options().secret_key);
    BOOST_TEST_REQUIRE(outcome.identity.has_value());
    BOOST_TEST(outcome.identity->role == "service_role");
}

BOOST_AUTO_TEST_CASE(a_legacy_jwt_apikey_alone_is_used_as_the_bearer_token) {
    const AuthOutcome outcome = auth({{"apikey", jwt(R"({"role":"service_role"})")}});
    BOOST_TEST_REQUIRE(outcome.identity.has_value());
    BOOST_TEST(outcome.identity->role == "service_role");
}

BOOST_AUTO_TEST_CASE(a_user_jwt_in_authorization_wins_over_the_apikey) {
    const AuthOutcome outcome =
        auth({{"apikey", options().publishable_key},
              {"Authorization", "Bearer " + jwt(R"({"role":"authenticated","sub":"u1"})")}});
    BOOST_TEST_REQUIRE(outcome.identity.has_value());
    BOOST_TEST(outcome.identity->role == "authenticated");
    BOOST_TEST(outcome.identity->claims_json.find(R"("sub":"u1")") != std::string::npos);
}

BOOST_AUTO_TEST_CASE(an_sb_key_in_authorization_is_replaced_by_the_apikeys_role) {
    const AuthOutcome outcome = auth(
        {{"apikey", options().secret_key}, {"Authorization", "Bearer " + options().secret_key}});
    BOOST_TEST_REQUIRE(outcome.identity.has_value());
    BOOST_TEST(outcome.identity->role == "service_role");
}

BOOST_AUTO_TEST_CASE(a_jwt_with_a_wrong_signature_is_pgrst301_with_www_authenticate) {
    const AuthOutcome outcome =
        auth({{"apikey", options().publishable_key},
              {"Authorization", "Bearer " + sign_hs256("wrong", R"({"role":"service_role"})")}});
    BOOST_TEST_REQUIRE(outcome.refusal.has_value());
    BOOST_TEST(outcome.refusal->status == 401);
    BOOST_TEST(outcome.refusal->body.find(R"("code":"PGRST301")") != std::string::npos);
    BOOST_TEST(
        jobsync::http::find_header(outcome.refusal->headers, "WWW-Authenticate").value() ==
        R"(Bearer error="invalid_token", error_description="JWT cryptographic operation failed")");
}

BOOST_AUTO_TEST_CASE(an_expired_user_jwt_is_pgrst303) {
    const AuthOutcome outcome =
        auth({{"apikey", options().publishable_key},
              {"Authorization", "Bearer " + jwt(R"({"role":"authenticated","exp":1600000000})")}});
    BOOST_TEST_REQUIRE(outcome.refusal.has_value());
    BOOST_TEST(outcome.refusal->body.find(R"("code":"PGRST303")") != std::string::npos);
    BOOST_TEST(outcome.refusal->body.find("JWT expired") != std::string::npos);
}

BOOST_AUTO_TEST_CASE(a_jwt_without_role_claim_runs_as_anon_with_role_added_to_claims) {
    const AuthOutcome outcome = auth({{"apikey", jwt(R"({"sub":"x"})")}});
    BOOST_TEST_REQUIRE(outcome.identity.has_value());
    BOOST_TEST(outcome.identity->role == "anon");
    BOOST_TEST(outcome.identity->claims_json == R"({"sub":"x","role":"anon"})");
}

BOOST_AUTO_TEST_CASE(a_non_bearer_authorization_is_anonymous) {
    const AuthOutcome outcome =
        auth({{"apikey", options().secret_key}, {"Authorization", "Basic dXNlcjpwYXNz"}});
    BOOST_TEST_REQUIRE(outcome.identity.has_value());
    BOOST_TEST(outcome.identity->role == "anon");
}

BOOST_AUTO_TEST_SUITE_END()
