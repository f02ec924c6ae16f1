#include <boost/test/unit_test.hpp>

#include "standins/gateway/http_mapping.hpp"

using namespace jobsync::testing;
using namespace jobsync::testing::gateway;

BOOST_AUTO_TEST_SUITE(gateway_http_mapping)

BOOST_AUTO_TEST_CASE(sqlstates_map_to_postgrests_statuses) {
    BOOST_TEST(http_status_for_sqlstate("23505", "duplicate key", true) == 409);
    BOOST_TEST(http_status_for_sqlstate("23503", "fk", true) == 409);
    BOOST_TEST(http_status_for_sqlstate("42P10", "no unique constraint", true) == 400);
    BOOST_TEST(http_status_for_sqlstate("57014", "canceling statement", true) == 500);
    BOOST_TEST(http_status_for_sqlstate("57P01", "terminating connection", true) == 503);
    BOOST_TEST(http_status_for_sqlstate("08006", "connection failure", true) == 503);
    BOOST_TEST(http_status_for_sqlstate("53300", "too many connections", true) == 503);
    BOOST_TEST(http_status_for_sqlstate("53400", "config limit", true) == 500);
    BOOST_TEST(http_status_for_sqlstate("54000", "too complex", true) == 500);
    BOOST_TEST(http_status_for_sqlstate("42P01", "undefined table", true) == 404);
    BOOST_TEST(http_status_for_sqlstate("22007", "invalid datetime", true) == 400);
    BOOST_TEST(http_status_for_sqlstate("PT402", "payment", true) == 402);
    BOOST_TEST(http_status_for_sqlstate("P0001", "raise", true) == 400);
}

BOOST_AUTO_TEST_CASE(cardinality_violation_is_500_unless_it_is_safeupdate) {
    BOOST_TEST(
        http_status_for_sqlstate(
            "21000", "ON CONFLICT DO UPDATE command cannot affect row a second time", true) == 500);
    BOOST_TEST(http_status_for_sqlstate("21000", "UPDATE requires a WHERE clause", true) == 400);
}

BOOST_AUTO_TEST_CASE(insufficient_privilege_is_403_for_authed_roles_and_401_for_anon) {
    BOOST_TEST(http_status_for_sqlstate("42501", "permission denied", true) == 403);
    BOOST_TEST(http_status_for_sqlstate("42501", "permission denied", false) == 401);
}

BOOST_AUTO_TEST_CASE(a_missing_jwt_role_is_401_and_other_22023_are_400) {
    BOOST_TEST(http_status_for_sqlstate("22023", "role \"ghost\" does not exist", true) == 401);
    BOOST_TEST(http_status_for_sqlstate("22023", "invalid value", true) == 400);
}

BOOST_AUTO_TEST_CASE(content_range_follows_postgrests_formats) {
    BOOST_TEST(content_range(0, 9, 42) == "0-9/42");
    BOOST_TEST(content_range(0, 9, std::nullopt) == "0-9/*");
    BOOST_TEST(content_range(0, -1, 0) == "*/0");
    BOOST_TEST(content_range(0, -1, std::nullopt) == "*/*");
    BOOST_TEST(content_range(1, 0, 3) == "*/3");  // POST and DELETE
    BOOST_TEST(content_range(0, 0, std::nullopt) == "0-0/*");
}

BOOST_AUTO_TEST_CASE(error_bodies_always_carry_all_four_keys) {
    BOOST_TEST(
        error_body(ApiError(400, "PGRST102", "All object keys must match")) ==
        R"({"code":"PGRST102","details":null,"hint":null,"message":"All object keys must match"})");
    BOOST_TEST(error_body(ApiError(409, "23505", "dup \"k\"", "Key (k)=(1) already exists.")) ==
               R"({"code":"23505","details":"Key (k)=(1) already exists.",)"
               R"("hint":null,"message":"dup \"k\""})");
}

BOOST_AUTO_TEST_CASE(error_replies_are_json_with_proxy_status_and_401s_ask_for_a_bearer) {
    const Reply reply = error_reply(ApiError(401, "42501", "permission denied for table jobs"));
    BOOST_TEST(reply.status == 401);
    BOOST_TEST(jobsync::http::find_header(reply.headers, "Content-Type").value() ==
               "application/json; charset=utf-8");
    BOOST_TEST(jobsync::http::find_header(reply.headers, "Proxy-Status").value() ==
               "PostgREST; error=42501");
    BOOST_TEST(jobsync::http::find_header(reply.headers, "WWW-Authenticate").value() == "Bearer");
}

BOOST_AUTO_TEST_CASE(a_lost_connection_is_503_pgrst001) {
    const ApiError error =
        api_error_from(PgError("08001", "server closed the connection", "", ""), true);
    BOOST_TEST(error.status == 503);
    BOOST_TEST(error.code == "PGRST001");
    BOOST_TEST(error.message == "Database client error. Retrying the connection.");
}

BOOST_AUTO_TEST_CASE(postgres_errors_pass_through_with_empty_fields_as_null) {
    const ApiError error = api_error_from(
        PgError("23505", "duplicate key value violates unique constraint \"jobs_job_id_key\"",
                "Key (job_id)=(a) already exists.", ""),
        true);
    BOOST_TEST(error.status == 409);
    BOOST_TEST(error.details.value() == "Key (job_id)=(a) already exists.");
    BOOST_TEST(!error.hint.has_value());
}

BOOST_AUTO_TEST_CASE(gateway_key_errors_have_supabases_two_field_shape) {
    const Reply missing = missing_api_key_reply();
    BOOST_TEST(missing.status == 401);
    BOOST_TEST(missing.body == R"({"message":"No API key found in request",)"
                               R"("hint":"No `apikey` request header or url param was found."})");
    BOOST_TEST(invalid_api_key_reply().body ==
               R"({"message":"Invalid API key",)"
               R"("hint":"Double check your Supabase `anon` or `service_role` API key."})");
}

BOOST_AUTO_TEST_SUITE_END()
