#include <rapidjson/document.h>

#include <boost/test/unit_test.hpp>

#include "jobs/mapping.hpp"
#include "jobs/posted_time.hpp"
#include "unit/jobs/fixture_file.hpp"

using jobsync::jobs::JobRow;
using jobsync::jobs::map_job;
using jobsync::jobs::map_job_json;
using jobsync::jobs::MapResult;
using jobsync::testing::read_fixture;

namespace {

struct MappedFixture {
    std::vector<MapResult> results;
    const JobRow& row(std::size_t index) const { return *results.at(index).row; }
};

MappedFixture map_fixture(const std::string& name) {
    rapidjson::Document document;
    document.Parse(read_fixture(name).c_str());
    BOOST_REQUIRE(!document.HasParseError());
    MappedFixture mapped;
    if (document.IsArray() || !document.HasMember("data")) {
        mapped.results.push_back(map_job(document));  // a bare job object
    } else {
        for (const auto& job : document["data"].GetArray()) mapped.results.push_back(map_job(job));
    }
    return mapped;
}

std::string problems_of(const MapResult& result) {
    std::string all;
    for (const auto& problem : result.problems) all += problem.message + "\n";
    return all;
}

bool has_problem(const MapResult& result, const std::string& field, const std::string& message) {
    for (const auto& problem : result.problems) {
        if (problem.field == field && problem.message == message) return true;
    }
    BOOST_TEST_MESSAGE("problems were:\n" << problems_of(result));
    return false;
}

// A minimal job with `extra` members added ("" for none).
MapResult map_with(const std::string& extra) {
    return map_job_json(R"({"job_id": "id-1==")" + (extra.empty() ? "" : ", " + extra) + "}");
}

}  // namespace

BOOST_AUTO_TEST_SUITE(mapping)

// ---- the real fixtures --------------------------------------------------------------------

BOOST_AUTO_TEST_CASE(every_job_of_every_real_fixture_maps_without_problems) {
    const std::pair<const char*, std::size_t> fixtures[] = {
        {jobsync::testing::kFixture2025, 10},
        {jobsync::testing::kFixture2024, 10},
        {jobsync::testing::kFixtureJobObject, 1},
    };
    for (const auto& [name, count] : fixtures) {
        auto mapped = map_fixture(name);
        BOOST_TEST(mapped.results.size() == count, name);
        for (const auto& result : mapped.results) {
            BOOST_TEST_REQUIRE(result.row.has_value(), name << ": " << problems_of(result));
            BOOST_TEST(result.problems.empty(), name << " " << result.job_id << ":\n"
                                                     << problems_of(result));
            const auto& row = *result.row;
            BOOST_TEST(row.job_id == result.job_id);
            BOOST_TEST(row.job_id.size() == 24u);  // base64 of 16 bytes, "...==" in every vintage
            BOOST_TEST(row.job_title.has_value());
            BOOST_TEST(row.employer_name.has_value());
            BOOST_TEST(row.job_apply_link.has_value());
            BOOST_TEST(row.job_employment_type.has_value());
            BOOST_TEST(row.job_location.has_value());
            BOOST_TEST(row.job_highlights.has_value());
            BOOST_TEST(row.apply_options.has_value());
            BOOST_TEST(row.job_country.value_or("") == "US");
        }
    }
}

BOOST_AUTO_TEST_CASE(jobs_of_the_2025_feed_keep_their_values) {
    auto mapped = map_fixture(jobsync::testing::kFixture2025);

    const auto& kbr = mapped.row(0);
    BOOST_TEST(kbr.job_id == "FqVc-BG23yDOwET2AAAAAA==");
    BOOST_TEST(*kbr.job_title == "Junior Python Coder and Analyst");
    BOOST_TEST(*kbr.employer_name == "KBR, Inc.");
    BOOST_TEST(!kbr.employer_website);  // null in the feed
    BOOST_TEST(*kbr.job_publisher == "ZipRecruiter");
    BOOST_TEST(*kbr.job_employment_type == "FULLTIME");  // from ["FULLTIME"], not "Full-time"
    BOOST_TEST(kbr.job_employment_types->text == R"(["FULLTIME"])");
    BOOST_TEST(*kbr.job_latitude == 38.8816208);
    BOOST_TEST(*kbr.job_longitude == -77.09098089999999);
    BOOST_TEST(*kbr.job_posted_at_datetime_utc == "2025-10-09T00:00:00.000Z");
    BOOST_TEST(*kbr.job_location == "Arlington, VA");
    BOOST_TEST(*kbr.job_city == "Arlington");
    BOOST_TEST(*kbr.job_state == "Virginia");
    BOOST_TEST(*kbr.job_is_remote == false);
    BOOST_TEST(*kbr.job_apply_is_direct == false);
    BOOST_TEST(!kbr.job_min_salary);
    BOOST_TEST(!kbr.job_max_salary);
    BOOST_TEST(!kbr.job_salary_period);
    BOOST_TEST(!kbr.job_salary_currency);  // removed from the 2025 schema
    BOOST_TEST(kbr.job_benefits->text ==
               R"(["dental_coverage","health_insurance","paid_time_off"])");
    BOOST_TEST(kbr.job_highlights->text.rfind(R"({"Benefits":[")", 0) == 0);
    BOOST_TEST(kbr.job_description->rfind("Title:\nJunior Python Coder and Analyst\n", 0) == 0);

    const auto& opt_nation = mapped.row(4);  // three types, salary, no posting time at all
    BOOST_TEST(opt_nation.job_id == "tBORWp7ickn4t9twAAAAAA==");
    BOOST_TEST(*opt_nation.employer_name == "OPT Nation");
    BOOST_TEST(*opt_nation.job_employment_type == "FULLTIME");
    BOOST_TEST(opt_nation.job_employment_types->text == R"(["FULLTIME","PARTTIME","CONTRACTOR"])");
    BOOST_TEST(*opt_nation.job_min_salary == 63000.0);
    BOOST_TEST(*opt_nation.job_max_salary == 80000.0);
    BOOST_TEST(*opt_nation.job_salary_period == "YEAR");
    BOOST_TEST(!opt_nation.job_posted_at_datetime_utc);
    BOOST_TEST(!opt_nation.job_benefits);
    BOOST_TEST(
        opt_nation.apply_options->text ==
        R"([{"apply_link":"https://www.optnation.com/junior-python-developer-job-in-arlington-va-)"
        R"(view-jobid-28530?utm_campaign=google_jobs_apply&utm_source=google_jobs_apply)"
        R"(&utm_medium=organic","is_direct":false,"publisher":"OPTnation"}])");
    BOOST_TEST(opt_nation.job_highlights->text.rfind(R"({"Qualifications":[")", 0) == 0);

    const auto& rit = mapped.row(3);  // empty highlights object, null posted time
    BOOST_TEST(*rit.employer_name == "RIT Solutions, Inc");
    BOOST_TEST(rit.job_highlights->text == "{}");
    BOOST_TEST(!rit.job_posted_at_datetime_utc);
    BOOST_TEST(*rit.job_state == "District of Columbia");

    const auto& pwc = mapped.row(8);
    BOOST_TEST(*pwc.job_title == "GenAI Python Systems Engineer-Director");
    BOOST_TEST(*pwc.job_min_salary == 155000.0);
    BOOST_TEST(*pwc.job_max_salary == 410000.0);
    BOOST_TEST(*pwc.job_posted_at_datetime_utc == "2025-10-22T00:00:00.000Z");
    BOOST_TEST(*pwc.job_location == "Washington, DC");
}

BOOST_AUTO_TEST_CASE(jobs_of_the_late_2024_feed_keep_their_values) {
    auto mapped = map_fixture(jobsync::testing::kFixture2024);

    const auto& united = mapped.row(0);
    BOOST_TEST(united.job_id == "VnVsqdlLW-S4XAiNAAAAAA==");
    BOOST_TEST(*united.job_title == "Software Developer");
    BOOST_TEST(*united.employer_name == "United Airlines");
    BOOST_TEST(!united.employer_logo);
    BOOST_TEST(*united.employer_website == "https://www.united.com");
    BOOST_TEST(*united.job_employment_type == "FULLTIME");
    BOOST_TEST(*united.job_posted_at_datetime_utc == "2024-11-25T00:00:00.000Z");
    BOOST_TEST(*united.job_latitude == 41.8781136);
    BOOST_TEST(*united.job_longitude == -87.6297982);
    BOOST_TEST(*united.job_location == "Chicago, IL");
    BOOST_TEST(*united.job_state == "Illinois");
    BOOST_TEST(!united.job_salary_currency);  // present but null
    BOOST_TEST(united.job_benefits->text == R"(["health_insurance"])");

    BOOST_TEST(*mapped.row(1).job_is_remote == true);
    BOOST_TEST(*mapped.row(1).employer_name == "Phoenix Recruitment");

    const auto& cloud = mapped.row(2);
    BOOST_TEST(*cloud.job_title == ".Net  Developer");  // kept as-is, double space included
    BOOST_TEST(cloud.job_highlights->text.rfind(
                   R"({"Qualifications":["Core skills: Should be a hardcore developer)", 0) == 0);

    const auto& rocket = mapped.row(4);
    BOOST_TEST(rocket.job_description->rfind("Senior Software Engineer \xE2\x80\x93 Backend\n",
                                             0) == 0);  // UTF-8 en dash kept as bytes

    const auto& hackajob = mapped.row(6);
    BOOST_TEST(hackajob.job_id == "KfLVljib9kK_YhNrAAAAAA==");
    BOOST_TEST(*hackajob.job_title == "Senior Software Engineer C++");
    BOOST_TEST(*hackajob.job_min_salary == 113000.0);
    BOOST_TEST(*hackajob.job_max_salary == 260000.0);
    BOOST_TEST(*hackajob.job_salary_period == "YEAR");
    BOOST_TEST(*hackajob.job_posted_at_datetime_utc == "2024-11-25T19:00:00.000Z");
    BOOST_TEST(hackajob.job_apply_link->find("senior-software-engineer-c%2B%2B-at-hackajob") !=
               std::string::npos);
}

BOOST_AUTO_TEST_CASE(the_mid_2024_job_object_gets_derived_types_and_location) {
    auto mapped = map_fixture(jobsync::testing::kFixtureJobObject);
    const auto& job = mapped.row(0);
    BOOST_TEST(job.job_id == "t-AKAI-wU29Jup6MAAAAAA==");
    BOOST_TEST(*job.job_title == "Senior Node.js Developer");
    BOOST_TEST(*job.employer_name == "Intetics");
    BOOST_TEST(*job.job_employment_type == "FULLTIME");
    BOOST_TEST(job.job_employment_types->text == R"(["FULLTIME"])");  // derived from the enum
    BOOST_TEST(*job.job_location == "New York, NY, US");  // no job_location in this vintage
    BOOST_TEST(*job.job_posted_at_datetime_utc == "2024-07-05T12:36:32.000Z");
    BOOST_TEST(*job.job_latitude == 40.712776);
    BOOST_TEST(*job.job_longitude == -74.005974);
    BOOST_TEST(*job.job_apply_is_direct == false);
    BOOST_TEST(!job.job_salary_currency);
    BOOST_TEST(!job.job_benefits);
    BOOST_TEST(
        job.job_highlights->text ==
        R"({"Qualifications":["Great gaming development history","Experience with JavaScript",)"
        R"("Extensive experience with Node.js","Knowledge of AWS microservices"],)"
        R"("Responsibilities":["Development of matchmaking service",)"
        R"("Working on the identity service"]})");
    BOOST_TEST(job.apply_options->text.rfind(R"([{"publisher":"LinkedIn","apply_link":")", 0) == 0);
}

BOOST_AUTO_TEST_CASE(the_posting_time_from_the_timestamp_agrees_with_the_feeds_own) {
    for (const char* name : {jobsync::testing::kFixture2025, jobsync::testing::kFixture2024}) {
        rapidjson::Document document;
        document.Parse(read_fixture(name).c_str());
        int compared = 0;
        for (const auto& job : document["data"].GetArray()) {
            const auto& seconds = job["job_posted_at_timestamp"];
            if (!seconds.IsInt64()) continue;
            BOOST_TEST(*jobsync::jobs::format_unix_seconds_utc(seconds.GetInt64()) ==
                       job["job_posted_at_datetime_utc"].GetString());
            ++compared;
        }
        BOOST_TEST(compared >= 5);
    }
}

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
