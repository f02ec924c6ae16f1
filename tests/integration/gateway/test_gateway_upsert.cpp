// POST /rest/v1/jobs as PostgREST answers it (postgrest-notes.md section 1).
#include <boost/test/unit_test.hpp>

#include "gateway_stack.hpp"

namespace jobsync::testing {
namespace {

const std::string kUpsert = "/rest/v1/jobs?on_conflict=job_id";
const http::Headers kMerge = {{"Prefer", "resolution=merge-duplicates,return=minimal"}};

std::string header(const http::Response& response, const char* name) {
    return response.header(name).value_or("<none>");
}

}  // namespace

BOOST_AUTO_TEST_SUITE(gateway_upsert)

BOOST_AUTO_TEST_CASE(merge_duplicates_is_201_when_it_inserts_and_200_when_it_only_updates) {
    GatewayStack stack;
    const std::string rows = R"([{"job_id":"a","job_title":"A"},{"job_id":"b","job_title":"B"}])";
    const auto first = stack.send_as_service("POST", kUpsert, rows, kMerge);
    BOOST_TEST(first.status == 201);
    BOOST_TEST(first.body.empty());
    BOOST_TEST(!first.header("Content-Type").has_value());
    BOOST_TEST(header(first, "Content-Range") == "*/*");
    BOOST_TEST(header(first, "Preference-Applied") ==
               "resolution=merge-duplicates, return=minimal");

    const auto again = stack.send_as_service(
        "POST", kUpsert, R"([{"job_id":"a","job_title":"A2"},{"job_id":"b","job_title":"B"}])",
        kMerge);
    BOOST_TEST(again.status == 200);
    BOOST_TEST(stack.scalar("SELECT job_title FROM jobs WHERE job_id = 'a'") == "A2");

    const auto mixed = stack.send_as_service(
        "POST", kUpsert, R"([{"job_id":"a","job_title":"A3"},{"job_id":"c","job_title":"C"}])",
        kMerge);
    BOOST_TEST(mixed.status == 201);
    BOOST_TEST(stack.scalar("SELECT count(*) FROM jobs") == "3");
}

BOOST_AUTO_TEST_CASE(an_upsert_updates_only_the_payload_columns_and_keeps_engagement_data) {
    GatewayStack stack;
    stack.superuser().exec(
        "INSERT INTO jobs (job_id, job_title, employer_name, click_count, lane) "
        "VALUES ('a', 'Old', 'Acme', 7, 'applied')");
    const auto response = stack.send_as_service(
        "POST", kUpsert, R"([{"job_id":"a","job_title":"New","is_active":true}])", kMerge);
    BOOST_TEST(response.status == 200);
    BOOST_TEST(stack.scalar("SELECT job_title || '|' || employer_name || '|' || click_count || "
                            "'|' || lane FROM jobs WHERE job_id = 'a'") == "New|Acme|7|applied");
}

BOOST_AUTO_TEST_CASE(objects_with_different_keys_are_rejected_with_pgrst102) {
    GatewayStack stack;
    const auto response = stack.send_as_service(
        "POST", kUpsert, R"([{"job_id":"a"},{"job_id":"b","job_title":"B"}])", kMerge);
    BOOST_TEST(response.status == 400);
    BOOST_TEST(
        response.body ==
        R"({"code":"PGRST102","details":null,"hint":null,"message":"All object keys must match"})");
    BOOST_TEST(header(response, "Content-Type") == "application/json; charset=utf-8");
    BOOST_TEST(stack.scalar("SELECT count(*) FROM jobs") == "0");
}

BOOST_AUTO_TEST_CASE(an_unknown_column_is_pgrst204_in_the_body_and_in_columns) {
    GatewayStack stack;
    const auto in_body =
        stack.send_as_service("POST", "/rest/v1/jobs", R"({"job_id":"a","helicopter":1})");
    BOOST_TEST(in_body.status == 400);
    BOOST_TEST(in_body.body.find(R"("code":"PGRST204")") != std::string::npos);
    BOOST_TEST(in_body.body.find("Could not find the 'helicopter' column of 'jobs' in the "
                                 "schema cache") != std::string::npos);
    const auto in_columns =
        stack.send_as_service("POST", "/rest/v1/jobs?columns=job_id,rotor", R"([{"job_id":"a"}])");
    BOOST_TEST(in_columns.status == 400);
    BOOST_TEST(in_columns.body.find("'rotor' column") != std::string::npos);
}

BOOST_AUTO_TEST_CASE(columns_ignores_extra_keys_and_nulls_or_defaults_missing_ones) {
    GatewayStack stack;
    const auto nulls =
        stack.send_as_service("POST", "/rest/v1/jobs?columns=%22job_id%22,%22job_title%22",
                              R"([{"job_id":"a","job_title":"A","bogus":1},{"job_id":"b"}])");
    BOOST_TEST(nulls.status == 201);
    BOOST_TEST(stack.scalar("SELECT coalesce(job_title, 'NULL') FROM jobs WHERE job_id='b'") ==
               "NULL");
    // A missing key is NULL, not the column default: NOT NULL is_active then refuses it.
    const auto not_null = stack.send_as_service("POST", "/rest/v1/jobs?columns=job_id,is_active",
                                                R"([{"job_id":"c"}])");
    BOOST_TEST(not_null.status == 400);
    BOOST_TEST(not_null.body.find(R"("code":"23502")") != std::string::npos);
    const auto defaults =
        stack.send_as_service("POST", "/rest/v1/jobs?columns=job_id,is_active,click_count",
                              R"([{"job_id":"c"}])", {{"Prefer", "missing=default"}});
    BOOST_TEST(defaults.status == 201);
    BOOST_TEST(header(defaults, "Preference-Applied") == "missing=default");
    BOOST_TEST(stack.scalar("SELECT is_active::text || click_count FROM jobs WHERE job_id='c'") ==
               "true0");
}

BOOST_AUTO_TEST_CASE(on_conflict_without_a_resolution_is_a_plain_insert_and_a_duplicate_is_409) {
    GatewayStack stack;
    BOOST_TEST(stack.send_as_service("POST", kUpsert, R"({"job_id":"a"})").status == 201);
    const auto duplicate = stack.send_as_service("POST", kUpsert, R"({"job_id":"a"})");
    BOOST_TEST(duplicate.status == 409);
    BOOST_TEST(
        duplicate.body ==
        R"({"code":"23505","details":"Key (job_id)=(a) already exists.","hint":null,)"
        R"("message":"duplicate key value violates unique constraint \"jobs_job_id_key\""})");
}

BOOST_AUTO_TEST_CASE(the_same_key_twice_in_one_merge_upsert_is_500_21000_and_inserts_nothing) {
    GatewayStack stack;
    const auto response = stack.send_as_service(
        "POST", kUpsert, R"([{"job_id":"a","job_title":"1"},{"job_id":"a","job_title":"2"}])",
        kMerge);
    BOOST_TEST(response.status == 500);
    BOOST_TEST(response.body.find(R"("code":"21000")") != std::string::npos);
    BOOST_TEST(response.body.find("cannot affect row a second time") != std::string::npos);
    BOOST_TEST(stack.scalar("SELECT count(*) FROM jobs") == "0");
}

BOOST_AUTO_TEST_CASE(ignore_duplicates_skips_existing_rows_and_is_always_201) {
    GatewayStack stack;
    stack.superuser().exec("INSERT INTO jobs (job_id, job_title) VALUES ('a', 'Kept')");
    const auto response = stack.send_as_service(
        "POST", kUpsert, R"([{"job_id":"a","job_title":"X"},{"job_id":"a","job_title":"Y"}])",
        {{"Prefer", "resolution=ignore-duplicates, count=exact"}});
    BOOST_TEST(response.status == 201);
    BOOST_TEST(header(response, "Content-Range") == "*/0");
    BOOST_TEST(stack.scalar("SELECT job_title FROM jobs WHERE job_id = 'a'") == "Kept");
}

BOOST_AUTO_TEST_CASE(on_conflict_on_a_column_without_a_unique_index_is_400_42p10) {
    GatewayStack stack;
    const auto response = stack.send_as_service("POST", "/rest/v1/jobs?on_conflict=lane",
                                                R"([{"job_id":"a","lane":"x"}])", kMerge);
    BOOST_TEST(response.status == 400);
    BOOST_TEST(response.body.find(R"("code":"42P10")") != std::string::npos);
}

BOOST_AUTO_TEST_CASE(return_representation_is_an_array_shaped_by_select_and_counted) {
    GatewayStack stack;
    const auto response =
        stack.send_as_service("POST", "/rest/v1/jobs?select=job_id,title:job_title",
                              R"([{"job_id":"a","job_title":"A"},{"job_id":"b","job_title":"B"}])",
                              {{"Prefer", "return=representation"}, {"Prefer", "count=exact"}});
    BOOST_TEST(response.status == 201);
    BOOST_TEST(response.body == R"([{"job_id":"a","title":"A"}, )"
                                "\n"
                                R"( {"job_id":"b","title":"B"}])");
    BOOST_TEST(header(response, "Content-Range") == "*/2");
    BOOST_TEST(header(response, "Preference-Applied") == "return=representation, count=exact");
}

BOOST_AUTO_TEST_CASE(headers_only_gives_the_location_of_a_single_inserted_row) {
    GatewayStack stack;
    const auto response = stack.send_as_service("POST", "/rest/v1/jobs", R"({"job_id":"a"})",
                                                {{"Prefer", "return=headers-only"}});
    BOOST_TEST(response.status == 201);
    BOOST_TEST(header(response, "Location") == "/jobs?id=eq.1");
}

BOOST_AUTO_TEST_CASE(invalid_json_is_pgrst102_and_an_unknown_table_is_pgrst205) {
    GatewayStack stack;
    const auto invalid = stack.send_as_service("POST", "/rest/v1/jobs", "[{\"job_id\":");
    BOOST_TEST(invalid.status == 400);
    BOOST_TEST(invalid.body.find("Empty or invalid json") != std::string::npos);
    const auto missing = stack.send_as_service("POST", "/rest/v1/employers", R"({"a":1})");
    BOOST_TEST(missing.status == 404);
    BOOST_TEST(missing.body.find(R"("code":"PGRST205")") != std::string::npos);
    BOOST_TEST(missing.body.find("Could not find the table 'public.employers' in the schema "
                                 "cache") != std::string::npos);
}

BOOST_AUTO_TEST_SUITE_END()

}  // namespace jobsync::testing
