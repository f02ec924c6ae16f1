#include <boost/test/unit_test.hpp>

#include "standins/gateway/statements.hpp"

using namespace jobsync::testing::gateway;

namespace {

TableInfo jobs_table() {
    TableInfo table{"public", "jobs", {}, {"id"}};
    table.columns = {{"id", "bigint", std::nullopt},
                     {"job_id", "text", std::nullopt},
                     {"job_title", "text", std::nullopt},
                     {"click_count", "integer", std::string("0")},
                     {"last_seen", "timestamp with time zone", std::nullopt}};
    return table;
}

bool contains(const std::string& text, const std::string& part) {
    return text.find(part) != std::string::npos;
}

}  // namespace

BOOST_AUTO_TEST_SUITE(gateway_statements)

BOOST_AUTO_TEST_CASE(a_merge_upsert_sets_exactly_the_payload_columns_on_the_conflict_target) {
    Payload payload{{"job_id", "job_title"}, R"([{"job_id":"a","job_title":"A"}])", true};
    Preferences prefs;
    prefs.resolution = Resolution::merge_duplicates;
    const Statement s = build_insert(jobs_table(), {}, payload, prefs, {"job_id"});
    BOOST_TEST(contains(s.sql, R"(INSERT INTO "public"."jobs"("job_id", "job_title"))"));
    BOOST_TEST(contains(s.sql,
                        R"(ON CONFLICT("job_id") DO UPDATE SET "job_id" = EXCLUDED."job_id", )"
                        R"("job_title" = EXCLUDED."job_title" RETURNING)"));
    BOOST_TEST(!contains(s.sql, "click_count\" = EXCLUDED"));
    BOOST_TEST(contains(s.sql, R"(AS _("job_id" text, "job_title" text))"));
    BOOST_TEST_REQUIRE(s.params.size() == 1u);
    BOOST_TEST(*s.params[0] == payload.json);  // the body travels as one parameter
}

BOOST_AUTO_TEST_CASE(ignore_duplicates_does_nothing_on_conflict_and_no_target_is_a_plain_insert) {
    Payload payload{{"job_id"}, R"({"job_id":"a"})", true};
    Preferences prefs;
    prefs.resolution = Resolution::ignore_duplicates;
    BOOST_TEST(contains(build_insert(jobs_table(), {}, payload, prefs, {"job_id"}).sql,
                        R"(ON CONFLICT("job_id") DO NOTHING)"));
    BOOST_TEST(!contains(build_insert(jobs_table(), {}, payload, prefs, {}).sql, "ON CONFLICT"));
}

BOOST_AUTO_TEST_CASE(missing_default_lays_rows_over_the_columns_defaults) {
    Payload payload{{"job_id", "click_count"}, R"([{"job_id":"a"}])", true};
    Preferences prefs;
    prefs.missing = Missing::apply_default;
    const Statement s = build_insert(jobs_table(), {}, payload, prefs, {});
    BOOST_TEST(contains(s.sql, "jsonb_build_object('click_count', 0) || pgrst_element"));
    BOOST_TEST(contains(s.sql, "jsonb_to_recordset"));
}

BOOST_AUTO_TEST_CASE(filter_values_become_parameters_and_identifiers_are_quoted) {
    RequestParams params;
    params.filters = {parse_filter("job_id", "in.(a,\"b,c\")"),
                      parse_filter("last_seen", "lt.2024-05-01T00:00:00Z"),
                      parse_filter("job_title", "not.ilike.*x'y*")};
    Payload payload{{"job_title"}, R"({"job_title":"T"})", true};
    const Statement s = build_update(jobs_table(), params, payload, Return::minimal);
    BOOST_TEST(contains(
        s.sql, R"(WHERE "public"."jobs"."job_id" = ANY ($2) AND "public"."jobs"."last_seen" < $3 )"
               R"(AND NOT ("public"."jobs"."job_title" ILIKE $4))"));
    BOOST_TEST(!contains(s.sql, "x'y"));
    BOOST_TEST_REQUIRE(s.params.size() == 4u);
    BOOST_TEST(*s.params[1] == R"({"a","b,c"})");
    BOOST_TEST(*s.params[3] == "%x'y%");
}

BOOST_AUTO_TEST_CASE(reads_cap_the_limit_at_max_rows_and_count_with_the_same_filters) {
    RequestParams params;
    params.filters = {parse_filter("job_id", "eq.a")};
    params.order = parse_order("last_seen.desc.nullslast");
    const Statement s = build_read(jobs_table(), params, ReadWindow{5, 5000}, true);
    BOOST_TEST(contains(s.sql, "LIMIT 1000 OFFSET 5"));
    BOOST_TEST(contains(s.sql, R"(ORDER BY "public"."jobs"."last_seen" DESC NULLS LAST)"));
    BOOST_TEST(contains(
        s.sql, R"((SELECT count(*) FROM "public"."jobs" WHERE "public"."jobs"."job_id" = $1))"));
    BOOST_TEST(s.params.size() == 1u);
}

BOOST_AUTO_TEST_CASE(writes_return_whole_rows_only_when_the_client_asked_for_them) {
    RequestParams params;
    params.filters = {parse_filter("id", "gt.0")};
    // return=minimal / headers-only: the key (for Location and the counts), no JSON body built.
    const Statement minimal = build_delete(jobs_table(), params, Return::minimal);
    BOOST_TEST(contains(minimal.sql,
                        R"(DELETE FROM "public"."jobs" WHERE "public"."jobs"."id" > $1 )"
                        R"(RETURNING "public"."jobs"."id") )"));
    BOOST_TEST(!contains(minimal.sql, "json_agg"));
    const Statement full = build_delete(jobs_table(), params, Return::representation);
    BOOST_TEST(contains(full.sql, R"(RETURNING "public"."jobs".*) )"));
    BOOST_TEST(contains(full.sql, "json_agg"));

    Payload payload{{"job_id"}, R"([{"job_id":"a"}])", true};
    Preferences prefs;
    BOOST_TEST(contains(build_insert(jobs_table(), {}, payload, prefs, {}).sql,
                        R"(RETURNING "public"."jobs"."id", (xmax = 0) AS pgrst_inserted)"));
}

BOOST_AUTO_TEST_SUITE_END()
