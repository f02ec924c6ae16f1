#include <boost/test/unit_test.hpp>
#include <cstdint>
#include <string>
#include <vector>

#include "config/supabase_key.hpp"
#include "jwt_maker.hpp"

using jobsync::SupabaseKeyKind;
using jobsync::config::classify_supabase_key;
using jobsync::config::jwt_lifetime_problem;
using jobsync::testing::make_jwt;

BOOST_AUTO_TEST_SUITE(supabase_key)

BOOST_AUTO_TEST_CASE(a_service_role_jwt_is_a_legacy_key) {
    const auto check = classify_supabase_key(jobsync::testing::service_role_jwt());
    BOOST_TEST_REQUIRE(check.kind.has_value());
    BOOST_TEST((*check.kind == SupabaseKeyKind::legacy_jwt));
    BOOST_TEST(check.problem.empty());
}

BOOST_AUTO_TEST_CASE(an_sb_secret_key_is_a_secret_key) {
    const auto check = classify_supabase_key("sb_secret_AbCdEf0123456789_xyz");
    BOOST_TEST_REQUIRE(check.kind.has_value());
    BOOST_TEST((*check.kind == SupabaseKeyKind::secret_key));
}

BOOST_AUTO_TEST_CASE(a_publishable_key_is_refused_because_it_cannot_write) {
    const auto check = classify_supabase_key("sb_publishable_AbCdEf0123456789");
    BOOST_TEST(!check.kind.has_value());
    BOOST_TEST(check.problem.find("publishable key, which cannot write; use the secret key or "
                                  "the legacy service_role key") != std::string::npos);
    BOOST_TEST(check.problem.find("AbCdEf") == std::string::npos);
}

BOOST_AUTO_TEST_CASE(an_anon_jwt_is_refused_naming_its_role) {
    const auto check = classify_supabase_key(jobsync::testing::anon_jwt());
    BOOST_TEST(!check.kind.has_value());
    BOOST_TEST(check.problem.find("is a JWT for the role 'anon'") == 0u);
}

BOOST_AUTO_TEST_CASE(an_authenticated_user_token_is_refused_naming_its_role) {
    const auto check = classify_supabase_key(make_jwt(R"({"role":"authenticated","sub":"u1"})"));
    BOOST_TEST(!check.kind.has_value());
    BOOST_TEST(check.problem.find("'authenticated'") != std::string::npos);
}

BOOST_AUTO_TEST_CASE(a_jwt_without_a_role_is_refused) {
    const auto check = classify_supabase_key(make_jwt(R"({"sub":"x","role":42})"));
    BOOST_TEST(!check.kind.has_value());
    BOOST_TEST(check.problem.find("JWT without a role claim") == 5u);
}

BOOST_AUTO_TEST_CASE(a_strange_role_is_shown_printable_and_short) {
    const auto check = classify_supabase_key(
        make_jwt(R"({"role":"r\u0001olexxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"})"));
    BOOST_TEST(check.problem.find("'r?olexxxxxxxxxxxxxxxxxxxxxxxxxxx...'") != std::string::npos,
               check.problem);
}

BOOST_AUTO_TEST_CASE(text_that_is_neither_is_refused) {
    for (const std::string& key :
         std::vector<std::string>{"just-some-random-text", "a.b", "a.b.c.d", "..", "eyJ!.eyJ.sig",
                                  make_jwt("not json"), make_jwt("[1,2]"), "sb_something_else"}) {
        const auto check = classify_supabase_key(key);
        BOOST_TEST(!check.kind.has_value(), key);
        BOOST_TEST(check.problem.find("is neither a JWT nor an sb_secret_ key") == 0u, key);
    }
}

BOOST_AUTO_TEST_SUITE_END()

// The lifetime checked before any request, so an expired key costs no JSearch request.
BOOST_AUTO_TEST_SUITE(jwt_lifetime)

constexpr std::int64_t kNow = 1'750'000'000;

BOOST_AUTO_TEST_CASE(an_expired_key_is_found_before_any_request) {
    const auto key = jobsync::testing::make_jwt(R"({"role":"service_role","exp":1749999000})");
    const auto problem = jwt_lifetime_problem(key, kNow);
    BOOST_TEST_REQUIRE(problem.has_value());
    BOOST_TEST(problem->find("SUPABASE_SERVICE_ROLE_KEY has expired (exp 2025-06-15") == 0u,
               *problem);
    BOOST_TEST(problem->find(key) == std::string::npos);
}

BOOST_AUTO_TEST_CASE(the_skew_allowance_is_sixty_seconds) {
    const auto exp = [](std::int64_t at) {
        return jobsync::testing::make_jwt(R"({"role":"service_role","exp":)" + std::to_string(at) +
                                          "}");
    };
    BOOST_TEST(!jwt_lifetime_problem(exp(kNow - 60), kNow).has_value());
    BOOST_TEST(jwt_lifetime_problem(exp(kNow - 61), kNow).has_value());
}

BOOST_AUTO_TEST_CASE(keys_without_times_and_non_jwts_pass) {
    BOOST_TEST(!jwt_lifetime_problem(jobsync::testing::service_role_jwt(), kNow).has_value());
    BOOST_TEST(!jwt_lifetime_problem("sb_secret_abc", kNow).has_value());
    BOOST_TEST(!jwt_lifetime_problem(
                    jobsync::testing::make_jwt(R"({"role":"service_role","exp":"never"})"), kNow)
                    .has_value());
}

BOOST_AUTO_TEST_SUITE_END()
