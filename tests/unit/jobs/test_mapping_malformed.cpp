#include <boost/test/unit_test.hpp>

#include "jobs/mapping.hpp"
#include "text/timestamps.hpp"
#include "unit/jobs/mapping_helpers.hpp"

using namespace jobsync::testing;
using jobsync::jobs::JobRow;
using jobsync::jobs::MapResult;

BOOST_AUTO_TEST_SUITE(mapping_malformed_jobs)

// ---- malformed jobs -----------------------------------------------------------------------

BOOST_AUTO_TEST_CASE(a_job_without_job_id_is_skipped_with_the_reason) {
    auto missing = map_job_json(R"({"job_title": "Dev"})");
    BOOST_TEST(!missing.row);
    BOOST_TEST(has_problem(missing, "job_id", "job_id is missing; job skipped"));

    auto null_id = map_job_json(R"({"job_id": null})");
    BOOST_TEST(!null_id.row);
    BOOST_TEST(has_problem(null_id, "job_id", "job_id is missing; job skipped"));
}

BOOST_AUTO_TEST_CASE(a_job_whose_job_id_is_a_number_or_empty_is_skipped) {
    auto number = map_job_json(R"({"job_id": 12345})");
    BOOST_TEST(!number.row);
    BOOST_TEST(has_problem(number, "job_id", "job_id is a number, expected a string; job skipped"));

    auto empty = map_job_json(R"({"job_id": ""})");
    BOOST_TEST(!empty.row);
    BOOST_TEST(has_problem(empty, "job_id", "job_id is empty; job skipped"));

    auto blank = map_job_json(R"({"job_id": "  "})");
    BOOST_TEST(!blank.row);
}

BOOST_AUTO_TEST_CASE(a_job_that_is_not_an_object_is_skipped) {
    auto array = map_job_json(R"(["job_id", "x"])");
    BOOST_TEST(!array.row);
    BOOST_TEST(has_problem(array, "job", "job is an array, expected an object; job skipped"));

    auto text = map_job_json(R"("hello")");
    BOOST_TEST(has_problem(text, "job", "job is a string, expected an object; job skipped"));

    auto broken = map_job_json(R"({"job_id": "x")");
    BOOST_TEST(!broken.row);
    BOOST_TEST(broken.problems.at(0).message.find("not valid JSON") != std::string::npos);
}

BOOST_AUTO_TEST_CASE(a_latitude_sent_as_text_is_nulled_unless_it_is_a_number) {
    auto word = map_with(R"("job_latitude": "north", "job_longitude": -87.6)");
    BOOST_TEST_REQUIRE(word.row.has_value());
    BOOST_TEST(!word.row->job_latitude);
    BOOST_TEST(*word.row->job_longitude == -87.6);
    BOOST_TEST(
        has_problem(word, "job_latitude", "job_latitude is a string, expected a number; nulled"));

    auto numeric = map_with(R"("job_latitude": "41.5")");
    BOOST_TEST(*numeric.row->job_latitude == 41.5);
    BOOST_TEST(has_problem(numeric, "job_latitude",
                           "job_latitude is a numeric string, expected a number; parsed as 41.5"));
}

BOOST_AUTO_TEST_CASE(coordinates_off_the_globe_are_nulled) {
    auto result = map_with(R"("job_latitude": 123.0, "job_longitude": -181)");
    BOOST_TEST(!result.row->job_latitude);
    BOOST_TEST(!result.row->job_longitude);
    BOOST_TEST(
        has_problem(result, "job_latitude", "job_latitude is 123, outside [-90, 90]; nulled"));
}

BOOST_AUTO_TEST_CASE(highlights_of_the_wrong_shape_are_nulled) {
    auto text = map_with(R"("job_highlights": "Great benefits")");
    BOOST_TEST(!text.row->job_highlights);
    BOOST_TEST(has_problem(text, "job_highlights",
                           "job_highlights is a string, expected an object of string arrays; "
                           "nulled"));

    auto nested = map_with(R"("job_highlights": {"Qualifications": [1, 2]})");
    BOOST_TEST(!nested.row->job_highlights);
    BOOST_TEST(nested.problems.size() == 1u);
}

BOOST_AUTO_TEST_CASE(benefits_and_apply_options_of_the_wrong_shape_are_nulled) {
    auto result = map_with(R"("job_benefits": ["dental_coverage", 3], "apply_options": [1])");
    BOOST_TEST(!result.row->job_benefits);
    BOOST_TEST(!result.row->apply_options);
    BOOST_TEST(result.problems.size() == 2u);

    auto object = map_with(R"("apply_options": {"publisher": "x"})");
    BOOST_TEST(has_problem(object, "apply_options",
                           "apply_options is an object, expected an array of objects; nulled"));
}

BOOST_AUTO_TEST_CASE(wrong_types_elsewhere_null_only_that_field) {
    auto result = map_with(R"("job_title": 42, "job_is_remote": "yes", "job_min_salary": {}, )"
                           R"("employer_name": "Acme")");
    BOOST_TEST_REQUIRE(result.row.has_value());
    BOOST_TEST(!result.row->job_title);
    BOOST_TEST(!result.row->job_is_remote);
    BOOST_TEST(!result.row->job_min_salary);
    BOOST_TEST(*result.row->employer_name == "Acme");
    BOOST_TEST(
        has_problem(result, "job_title", "job_title is a number, expected a string; nulled"));
    BOOST_TEST(has_problem(result, "job_is_remote",
                           "job_is_remote is a string, expected a boolean; nulled"));
    BOOST_TEST(result.problems.size() == 3u);
}

BOOST_AUTO_TEST_CASE(numeric_string_salaries_and_string_booleans_are_converted_and_reported) {
    auto result = map_with(R"("job_min_salary": "63000", "job_max_salary": 27.21, )"
                           R"("job_is_remote": "true")");
    BOOST_TEST(*result.row->job_min_salary == 63000.0);
    BOOST_TEST(*result.row->job_max_salary == 27.21);
    BOOST_TEST(*result.row->job_is_remote == true);
    BOOST_TEST(result.problems.size() == 2u);
}

BOOST_AUTO_TEST_CASE(a_minimal_job_maps_with_every_other_field_null) {
    auto result = map_with("");
    BOOST_TEST_REQUIRE(result.row.has_value());
    BOOST_TEST(result.problems.empty());
    const auto& row = *result.row;
    BOOST_TEST(row.job_id == "id-1==");
    BOOST_TEST(!row.job_title);
    BOOST_TEST(!row.job_employment_type);
    BOOST_TEST(!row.job_employment_types);
    BOOST_TEST(!row.job_location);
    BOOST_TEST(!row.job_posted_at_datetime_utc);
    BOOST_TEST(!row.job_highlights);
    BOOST_TEST(!row.job_latitude);
}

BOOST_AUTO_TEST_CASE(empty_strings_become_null) {
    auto result = map_with(R"("employer_logo": "", "job_title": "Dev")");
    BOOST_TEST(!result.row->employer_logo);
    BOOST_TEST(*result.row->job_title == "Dev");
    BOOST_TEST(result.problems.empty());
}

BOOST_AUTO_TEST_CASE(text_that_postgres_cannot_store_is_cleaned_or_nulled) {
    auto nul = map_with(R"("job_title": "Dev\u0000eloper")");
    BOOST_TEST(*nul.row->job_title == "Developer");
    BOOST_TEST(has_problem(nul, "job_title", "job_title contains NUL characters; removed"));

    auto bad = map_with("\"job_title\": \"Dev\xC3\x28\"");
    BOOST_TEST(!bad.row->job_title);
    BOOST_TEST(has_problem(bad, "job_title", "job_title is not valid UTF-8; nulled"));
}

BOOST_AUTO_TEST_CASE(employment_types_are_deduplicated_and_lead_the_single_field) {
    auto dup = map_with(R"("job_employment_types": ["CONTRACTOR", "CONTRACTOR", "INTERN"], )"
                        R"("job_employment_type": "Full-time")");
    BOOST_TEST(*dup.row->job_employment_type == "CONTRACTOR");
    BOOST_TEST(dup.row->job_employment_types->text == R"(["CONTRACTOR","INTERN"])");
    BOOST_TEST(dup.problems.empty());
}

BOOST_AUTO_TEST_CASE(display_text_is_used_when_the_list_is_empty_or_missing) {
    auto text = map_with(R"("job_employment_types": [], )"
                         R"("job_employment_type": "Part-time and Contractor")");
    BOOST_TEST(*text.row->job_employment_type == "PARTTIME");
    BOOST_TEST(text.row->job_employment_types->text == R"(["PARTTIME","CONTRACTOR"])");

    auto intern = map_with(R"("job_employment_type": "Internship")");
    BOOST_TEST(*intern.row->job_employment_type == "INTERN");

    auto transitional = map_with(R"("job_employment_type_text": "Full-time")");
    BOOST_TEST(*transitional.row->job_employment_type == "FULLTIME");

    auto unknown = map_with(R"("job_employment_type": "Temporary")");
    BOOST_TEST(!unknown.row->job_employment_type);
    BOOST_TEST(!unknown.row->job_employment_types);
    BOOST_TEST(has_problem(unknown, "job_employment_type",
                           "job_employment_type \"Temporary\" names no known employment type; "
                           "nulled"));
}

BOOST_AUTO_TEST_CASE(bad_items_in_the_type_list_are_dropped_and_reported) {
    auto result = map_with(R"("job_employment_types": ["FULLTIME", 7, "VOLUNTEER"])");
    BOOST_TEST(result.row->job_employment_types->text == R"(["FULLTIME"])");
    BOOST_TEST(result.problems.size() == 2u);

    auto not_list =
        map_with(R"("job_employment_types": "FULLTIME", "job_employment_type": "FULLTIME")");
    BOOST_TEST(*not_list.row->job_employment_type == "FULLTIME");
    BOOST_TEST(has_problem(not_list, "job_employment_types",
                           "job_employment_types is a string, expected an array of strings; "
                           "nulled"));
}

BOOST_AUTO_TEST_CASE(the_posting_time_falls_back_to_the_unix_timestamp) {
    auto from_seconds = map_with(R"("job_posted_at_datetime_utc": null, )"
                                 R"("job_posted_at_timestamp": 1720182992)");
    BOOST_TEST(*from_seconds.row->job_posted_at_datetime_utc == "2024-07-05T12:36:32.000Z");
    BOOST_TEST(from_seconds.problems.empty());

    auto invalid = map_with(R"("job_posted_at_datetime_utc": "yesterday", )"
                            R"("job_posted_at_timestamp": 1759968000.0)");
    BOOST_TEST(*invalid.row->job_posted_at_datetime_utc == "2025-10-09T00:00:00.000Z");
    BOOST_TEST(has_problem(invalid, "job_posted_at_datetime_utc",
                           "job_posted_at_datetime_utc \"yesterday\" is not an ISO-8601 UTC "
                           "timestamp; ignored"));

    auto neither = map_with(R"("job_posted_at_datetime_utc": "2025-10-09", )"
                            R"("job_posted_at_timestamp": -5)");
    BOOST_TEST(!neither.row->job_posted_at_datetime_utc);
    BOOST_TEST(neither.problems.size() == 2u);
}

BOOST_AUTO_TEST_CASE(the_feeds_own_posting_time_wins_over_the_timestamp) {
    auto result = map_with(R"("job_posted_at_datetime_utc": "2024-11-25T17:00:00.000Z", )"
                           R"("job_posted_at_timestamp": 1)");
    BOOST_TEST(*result.row->job_posted_at_datetime_utc == "2024-11-25T17:00:00.000Z");
}

BOOST_AUTO_TEST_CASE(the_location_is_built_from_the_parts_that_exist) {
    auto all = map_with(R"("job_city": "Chicago", "job_state": "Illinois", "job_country": "US")");
    BOOST_TEST(*all.row->job_location == "Chicago, Illinois, US");

    auto remote = map_with(R"("job_city": null, "job_state": "", "job_country": "US")");
    BOOST_TEST(*remote.row->job_location == "US");

    auto own = map_with(R"("job_location": "St. Louis, MO", "job_city": "St. Louis")");
    BOOST_TEST(*own.row->job_location == "St. Louis, MO");
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_AUTO_TEST_SUITE(values_postgresql_refuses)

// "\u0000" is valid JSON, but PostgreSQL's jsonb refuses it (22P05) and text cannot hold it.
BOOST_AUTO_TEST_CASE(nul_characters_are_removed_from_json_values_and_their_keys) {
    auto result = map_job_json(
        R"({"job_id":"a","job_highlights":{"Qualifi\u0000cations":["Py\u0000thon","SQL"]},)"
        R"("apply_options":[{"publisher":"Lin\u0000kedIn","apply_link":"https://x.test"}],)"
        R"("job_benefits":["dental\u0000"]})");
    BOOST_TEST_REQUIRE(result.row.has_value());
    BOOST_TEST(result.row->job_highlights->text == R"({"Qualifications":["Python","SQL"]})");
    BOOST_TEST(result.row->apply_options->text ==
               R"([{"publisher":"LinkedIn","apply_link":"https://x.test"}])");
    BOOST_TEST(result.row->job_benefits->text == R"(["dental"])");
    BOOST_TEST(
        has_problem(result, "job_highlights", "job_highlights contains NUL characters; removed"));
    BOOST_TEST(
        has_problem(result, "apply_options", "apply_options contains NUL characters; removed"));
    for (const auto* json :
         {&result.row->job_highlights, &result.row->apply_options, &result.row->job_benefits}) {
        BOOST_TEST((*json)->text.find("\\u0000") == std::string::npos);
    }
}

BOOST_AUTO_TEST_CASE(a_job_whose_job_id_holds_a_nul_is_skipped) {
    auto result = map_job_json(R"({"job_id":"ab\u0000c","job_title":"Dev"})");
    BOOST_TEST(!result.row);
    BOOST_TEST(result.job_id == "ab?c");
    BOOST_TEST(has_problem(result, "job_id", "job_id contains a NUL character; job skipped"));
}

BOOST_AUTO_TEST_CASE(year_0000_is_not_a_date_postgresql_accepts) {
    BOOST_TEST(!jobsync::text::is_iso8601_utc("0000-01-01T00:00:00Z"));
    BOOST_TEST(!jobsync::text::is_iso8601_utc("0000-12-31T23:59:59.999Z"));
    BOOST_TEST(jobsync::text::is_iso8601_utc("0001-01-01T00:00:00Z"));
    BOOST_TEST(jobsync::text::is_iso8601_utc("9999-12-31T23:59:59.999999Z"));
    auto result =
        map_job_json(R"({"job_id":"a","job_posted_at_datetime_utc":"0000-01-01T00:00:00.000Z"})");
    BOOST_TEST_REQUIRE(result.row.has_value());
    BOOST_TEST(!result.row->job_posted_at_datetime_utc);
    BOOST_TEST(has_problem(result, "job_posted_at_datetime_utc",
                           "job_posted_at_datetime_utc \"0000-01-01T00:00:00.000Z\" is not an "
                           "ISO-8601 UTC timestamp; ignored"));
}

BOOST_AUTO_TEST_SUITE_END()
