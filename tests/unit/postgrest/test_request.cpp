#include <boost/test/unit_test.hpp>
#include <string>

#include "postgrest/request.hpp"

using jobsync::Secret;
using jobsync::SupabaseKeyKind;
using jobsync::http::Headers;
using jobsync::postgrest::auth_headers;
using jobsync::postgrest::build_count_request;
using jobsync::postgrest::build_rpc_request;
using jobsync::postgrest::build_sweep_request;
using jobsync::postgrest::build_touch_requests;
using jobsync::postgrest::build_upsert_request;
using jobsync::postgrest::Endpoint;
using jobsync::postgrest::sweep_filter;

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

}  // namespace

namespace jobsync::http {
// The value of a request header, "" when absent.
inline std::string header_of(const Request& request, std::string_view name) {
    return find_header(request.headers, name).value_or("");
}
}  // namespace jobsync::http

namespace {

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
    BOOST_TEST(request.body.view() == "[{}]");
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

BOOST_AUTO_TEST_CASE(sweep_reaches_null_last_seen_and_rows_seen_before_the_run) {
    const auto request =
        build_sweep_request(endpoint(SupabaseKeyKind::legacy_jwt), "2024-05-01T10:00:00+00:00");
    BOOST_TEST(request.method == "PATCH");
    // or=(last_seen.is.null,last_seen.lt."2024-05-01T10:00:00+00:00"), the value quoted and
    // the whole parameter percent-encoded ('"' as %22, '+' as %2B).
    BOOST_TEST(request.url ==
               "https://ref.supabase.co/rest/v1/jobs?is_active=eq.true&"
               "or=%28last_seen.is.null%2Clast_seen.lt.%222024-05-01T10%3A00%3A00%2B00%3A00%22%29");
    BOOST_TEST(request.body.view() == R"({"is_active":false})");
    BOOST_TEST(request.url.find('+') == std::string::npos);
    BOOST_TEST(request.url.find('"') == std::string::npos);
}

BOOST_AUTO_TEST_CASE(sweep_with_a_utc_z_timestamp_and_fractional_seconds) {
    const auto request =
        build_sweep_request(endpoint(SupabaseKeyKind::secret_key), "2024-05-01T10:00:00.123Z");
    BOOST_TEST(request.url ==
               "https://ref.supabase.co/rest/v1/jobs?is_active=eq.true&"
               "or=%28last_seen.is.null%2Clast_seen.lt.%222024-05-01T10%3A00%3A00.123Z%22%29");
}

BOOST_AUTO_TEST_CASE(the_sweep_filter_decodes_to_postgrest_grammar) {
    const auto filter = sweep_filter("2024-05-01T10:00:00.123456+00:00");
    BOOST_TEST_REQUIRE(filter.size() == 2u);
    BOOST_TEST(filter[0].first == "is_active");
    BOOST_TEST(filter[0].second == "eq.true");
    BOOST_TEST(filter[1].first == "or");
    BOOST_TEST(filter[1].second ==
               "(last_seen.is.null,last_seen.lt.\"2024-05-01T10:00:00.123456+00:00\")");
}

BOOST_AUTO_TEST_CASE(a_quote_or_backslash_inside_a_quoted_value_is_escaped) {
    const auto filter = sweep_filter("a\"b\\c");
    BOOST_TEST(filter[1].second == "(last_seen.is.null,last_seen.lt.\"a\\\"b\\\\c\")");
}

BOOST_AUTO_TEST_CASE(a_guarded_sweep_asks_postgrest_to_refuse_more_than_the_limit) {
    const auto request =
        build_sweep_request(endpoint(SupabaseKeyKind::secret_key), "t", std::optional<long>(12));
    BOOST_TEST(jobsync::http::header_of(request, "Prefer") ==
               "return=minimal,count=exact,handling=strict,max-affected=12");
}

BOOST_AUTO_TEST_CASE(count_requests_ask_for_no_rows_and_an_exact_count) {
    const auto request =
        build_count_request(endpoint(SupabaseKeyKind::secret_key), sweep_filter("2024-05-01Z"));
    BOOST_TEST(request.method == "GET");
    BOOST_TEST(request.url ==
               "https://ref.supabase.co/rest/v1/jobs?select=job_id&is_active=eq.true&"
               "or=%28last_seen.is.null%2Clast_seen.lt.%222024-05-01Z%22%29&limit=0");
    BOOST_TEST(jobsync::http::header_of(request, "Prefer") == "count=exact");
    BOOST_TEST(request.body.empty());
}

BOOST_AUTO_TEST_CASE(touch_stamps_refused_jobs_by_quoted_id_in_short_urls) {
    std::vector<std::string> ids;
    for (int i = 0; i < 300; ++i) ids.push_back("job,\"" + std::to_string(i) + "\"==");
    const auto requests = build_touch_requests(endpoint(SupabaseKeyKind::secret_key), ids,
                                               "2024-05-01T10:00:00+00:00", 2000);
    BOOST_TEST_REQUIRE(requests.size() > 1u);
    std::string all;
    for (const auto& request : requests) {
        BOOST_TEST(request.method == "PATCH");
        BOOST_TEST(request.url.size() <= 2000u);
        BOOST_TEST(request.body.view() ==
                   R"({"last_seen":"2024-05-01T10:00:00+00:00","is_active":true})");
        BOOST_TEST(request.url.find('+') == std::string::npos);
        BOOST_TEST(request.url.rfind("https://ref.supabase.co/rest/v1/jobs?job_id=in.%28", 0) ==
                   0u);
        all += request.url;
    }
    // Every id is sent once, quoted, its '"' escaped: "job,\"7\"==" ->
    // %22job%2C%5C%227%5C%22%3D%3D%22
    for (int i = 0; i < 300; ++i) {
        const std::string encoded = "%22job%2C%5C%22" + std::to_string(i) + "%5C%22%3D%3D%22";
        BOOST_TEST_INFO(i);
        BOOST_TEST(all.find(encoded) != std::string::npos);
    }
}

BOOST_AUTO_TEST_CASE(rpc_calls_post_named_arguments_to_rest_v1_rpc) {
    const auto request = build_rpc_request(endpoint(SupabaseKeyKind::legacy_jwt), "job_sync_begin",
                                           R"({"p_run_id":"r1"})");
    BOOST_TEST(request.method == "POST");
    BOOST_TEST(request.url == "https://ref.supabase.co/rest/v1/rpc/job_sync_begin");
    BOOST_TEST(request.body.view() == R"({"p_run_id":"r1"})");
    BOOST_TEST(jobsync::http::header_of(request, "Content-Type") == "application/json");
    BOOST_TEST(jobsync::http::header_of(request, "apikey") == kLegacyKey);
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
