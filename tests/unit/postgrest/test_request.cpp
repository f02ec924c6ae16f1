#include <boost/test/unit_test.hpp>
#include <string>

#include "postgrest/request.hpp"

using jobsync::config::Secret;
using jobsync::config::SupabaseKeyKind;
using jobsync::http::Headers;
using jobsync::postgrest::auth_headers;
using jobsync::postgrest::build_sweep_request;
using jobsync::postgrest::build_upsert_request;
using jobsync::postgrest::Endpoint;

namespace {

constexpr const char* kLegacyKey = "eyJhbGciOiJIUzI1NiJ9.eyJyb2xlIjoic2VydmljZV9yb2xlIn0.sig";
constexpr const char* kSecretKey = "sb_secret_abcdefghijklmnop";

Endpoint endpoint(SupabaseKeyKind kind) {
    Endpoint e;
    e.base_url = "https://ref.supabase.co/";
    e.table = "jobs";
    e.kind = kind;
    e.key = Secret(kind == SupabaseKeyKind::legacy_jwt ? kLegacyKey : kSecretKey);
    return e;
}

const std::string kColumns =
    "job_id,job_title,employer_name,employer_logo,employer_website,job_publisher,"
    "job_employment_type,job_employment_types,job_apply_link,job_apply_is_direct,apply_options,"
    "job_description,job_is_remote,job_location,job_city,job_state,job_country,job_latitude,"
    "job_longitude,job_posted_at_datetime_utc,job_min_salary,job_max_salary,"
    "job_salary_currency,job_salary_period,job_highlights,job_benefits,job_google_link,"
    "is_active,last_seen";

}  // namespace

BOOST_AUTO_TEST_SUITE(request)

BOOST_AUTO_TEST_CASE(upsert_posts_to_the_table_with_conflict_target_and_columns) {
    const auto request = build_upsert_request(endpoint(SupabaseKeyKind::legacy_jwt), "[{}]");
    BOOST_TEST(request.method == "POST");
    BOOST_TEST(request.url ==
               "https://ref.supabase.co/rest/v1/jobs?on_conflict=job_id&columns=" + kColumns);
    BOOST_TEST(request.body == "[{}]");
}

BOOST_AUTO_TEST_CASE(upsert_with_a_legacy_jwt_sends_apikey_and_bearer) {
    const auto request = build_upsert_request(endpoint(SupabaseKeyKind::legacy_jwt), "[]");
    const Headers expected = {
        {"apikey", kLegacyKey},
        {"Authorization", std::string("Bearer ") + kLegacyKey},
        {"Content-Type", "application/json"},
        {"Prefer", "resolution=merge-duplicates,return=minimal"},
    };
    BOOST_TEST((request.headers == expected));
}

BOOST_AUTO_TEST_CASE(upsert_with_a_secret_key_sends_apikey_only) {
    const auto request = build_upsert_request(endpoint(SupabaseKeyKind::secret_key), "[]");
    const Headers expected = {
        {"apikey", kSecretKey},
        {"Content-Type", "application/json"},
        {"Prefer", "resolution=merge-duplicates,return=minimal"},
    };
    BOOST_TEST((request.headers == expected));
    BOOST_TEST(!jobsync::http::find_header(request.headers, "authorization").has_value());
}

BOOST_AUTO_TEST_CASE(auth_headers_follow_the_key_kind) {
    const Headers legacy = auth_headers(endpoint(SupabaseKeyKind::legacy_jwt));
    const Headers secret = auth_headers(endpoint(SupabaseKeyKind::secret_key));
    BOOST_TEST(legacy.size() == 2u);
    BOOST_TEST(secret.size() == 1u);
    BOOST_TEST(secret.front().first == "apikey");
}

BOOST_AUTO_TEST_CASE(sweep_patches_active_rows_seen_before_the_run_with_plus_encoded) {
    const auto request =
        build_sweep_request(endpoint(SupabaseKeyKind::legacy_jwt), "2024-05-01T10:00:00+00:00");
    BOOST_TEST(request.method == "PATCH");
    BOOST_TEST(request.url ==
               "https://ref.supabase.co/rest/v1/jobs?is_active=eq.true&"
               "last_seen=lt.2024-05-01T10%3A00%3A00%2B00%3A00");
    BOOST_TEST(request.body == R"({"is_active":false})");
    BOOST_TEST(request.url.find('+') == std::string::npos);
}

BOOST_AUTO_TEST_CASE(sweep_with_a_utc_z_timestamp_and_fractional_seconds) {
    const auto request =
        build_sweep_request(endpoint(SupabaseKeyKind::secret_key), "2024-05-01T10:00:00.123Z");
    BOOST_TEST(request.url ==
               "https://ref.supabase.co/rest/v1/jobs?is_active=eq.true&"
               "last_seen=lt.2024-05-01T10%3A00%3A00.123Z");
}

BOOST_AUTO_TEST_CASE(sweep_asks_for_an_exact_count_and_sends_json) {
    const auto request = build_sweep_request(endpoint(SupabaseKeyKind::secret_key), "t");
    const Headers expected = {
        {"apikey", kSecretKey},
        {"Content-Type", "application/json"},
        {"Prefer", "return=minimal,count=exact"},
    };
    BOOST_TEST((request.headers == expected));
}

BOOST_AUTO_TEST_CASE(the_timeout_and_table_come_from_the_endpoint) {
    Endpoint custom = endpoint(SupabaseKeyKind::legacy_jwt);
    custom.base_url = "http://127.0.0.1:54321";
    custom.table = "job board";
    custom.timeout = std::chrono::seconds(7);
    const auto upsert = build_upsert_request(custom, "[]");
    const auto sweep = build_sweep_request(custom, "t");
    BOOST_TEST(upsert.url.rfind("http://127.0.0.1:54321/rest/v1/job%20board?on_conflict=", 0) == 0);
    BOOST_TEST(sweep.url.rfind("http://127.0.0.1:54321/rest/v1/job%20board?is_active=", 0) == 0);
    BOOST_TEST(upsert.timeout.count() == 7000);
    BOOST_TEST(sweep.timeout.count() == 7000);
}

BOOST_AUTO_TEST_SUITE_END()
