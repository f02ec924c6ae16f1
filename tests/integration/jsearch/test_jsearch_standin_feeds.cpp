// The feeds the stand-in serves: the real recorded fixtures and generated jobs.
#include <boost/test/unit_test.hpp>
#include <set>

#include "integration/jsearch/standin_client.hpp"

namespace jobsync::testing {

namespace {
const std::string kFixtures = JOBSYNC_FIXTURES_DIR;
}

BOOST_AUTO_TEST_SUITE(jsearch_standin_feeds)

BOOST_AUTO_TEST_CASE(a_recorded_response_yields_its_data_array_in_order) {
    auto jobs = load_fixture_jobs(kFixtures + "/search_junior_python_us_2025-10_openwebninja.json");
    BOOST_REQUIRE(jobs.size() == 10u);
    auto ids = job_ids_of(jobs);
    BOOST_TEST(ids[0] == "FqVc-BG23yDOwET2AAAAAA==");
    BOOST_TEST(ids[1] == "O9UhLV8EaYgZlVhCAAAAAA==");
    auto first = parse_json(jobs[0]);
    BOOST_TEST(string_member(first, "employer_name") == "KBR, Inc.");
    BOOST_TEST(first["employer_website"].IsNull());
}

BOOST_AUTO_TEST_CASE(a_bare_job_object_file_yields_that_one_job) {
    auto jobs =
        load_fixture_jobs(kFixtures + "/job_object_senior_nodejs_developer_intetics_2024.json");
    BOOST_REQUIRE(jobs.size() == 1u);
    BOOST_TEST(job_ids_of(jobs)[0] == "t-AKAI-wU29Jup6MAAAAAA==");
}

BOOST_AUTO_TEST_CASE(all_fixtures_load_in_file_name_order) {
    auto jobs = load_all_fixture_jobs(kFixtures);
    BOOST_REQUIRE(jobs.size() >= 21u);  // 1 + 10 + 10, more if fixtures are added
    auto ids = job_ids_of(jobs);
    BOOST_TEST(ids[0] == "t-AKAI-wU29Jup6MAAAAAA==");  // job_object_... sorts first
    BOOST_TEST(ids[1] == "VnVsqdlLW-S4XAiNAAAAAA==");  // then search_developer_...
    BOOST_TEST(std::set<std::string>(ids.begin(), ids.end()).size() == ids.size());
}

BOOST_AUTO_TEST_CASE(a_missing_fixture_is_an_error_not_an_empty_feed) {
    BOOST_CHECK_THROW(load_fixture_jobs(kFixtures + "/no_such_file.json"), std::runtime_error);
}

BOOST_AUTO_TEST_CASE(the_fixture_feed_round_trips_through_the_standin_byte_for_byte) {
    StandinFixture f;
    auto jobs = load_fixture_jobs(kFixtures + "/search_developer_jobs_in_chicago_us_2024-11.json");
    f.standin.set_jobs("developer jobs in chicago", jobs);
    auto document = parse_json(f.get("/search?query=developer+jobs+in+chicago").body);
    BOOST_REQUIRE(document["data"].IsArray() && document["data"].Size() == 10u);
    auto served = parse_json(jobs[3]);
    BOOST_TEST((document["data"][3] == served));
}

BOOST_AUTO_TEST_CASE(generated_ids_are_unique_realistic_and_stable_per_seed) {
    auto jobs = generate_jobs(300, "seed-a");
    auto ids = job_ids_of(jobs);
    BOOST_TEST(std::set<std::string>(ids.begin(), ids.end()).size() == 300u);
    for (const auto& id : ids) {
        BOOST_TEST(id.size() == 24u);
        BOOST_TEST(id.substr(16) == "AAAAAA==");
    }
    BOOST_TEST(job_ids_of(generate_jobs(5, "seed-a")) == slice(ids, 0, 5),
               boost::test_tools::per_element());
    BOOST_TEST(job_ids_of(generate_jobs(1, "seed-b"))[0] != ids[0]);
}

BOOST_AUTO_TEST_CASE(realistic_generated_jobs_weigh_what_recorded_ones_do) {
    const auto recorded = load_all_fixture_jobs(kFixtures);
    const auto realistic = generate_jobs(200, "sizes", JobSizes::realistic);
    const auto average = [](const std::vector<std::string>& jobs) {
        std::size_t bytes = 0;
        for (const auto& job : jobs) bytes += job.size();
        return static_cast<double>(bytes) / static_cast<double>(jobs.size());
    };
    BOOST_TEST(average(realistic) > 0.75 * average(recorded));
    BOOST_TEST(average(realistic) < 1.25 * average(recorded));
    BOOST_TEST(average(generate_jobs(200, "sizes")) < 0.5 * average(recorded));
    BOOST_TEST(job_ids_of(realistic) == job_ids_of(generate_jobs(200, "sizes")),
               boost::test_tools::per_element());
    std::size_t longest = 0;
    for (const auto& text : realistic) {
        auto job = parse_json(text);  // valid JSON, UTF-8 included
        longest = std::max(longest, string_member(job, "job_description").size());
        BOOST_TEST(job["apply_options"].Size() >= 1u);
        BOOST_TEST(job["job_highlights"].IsObject());
    }
    BOOST_TEST(longest > 8000u);
}

BOOST_AUTO_TEST_CASE(generated_jobs_have_the_2025_field_types) {
    auto jobs = generate_jobs(12, "types");
    int null_timestamps = 0, float_salaries = 0, missing_salary_keys = 0, null_types = 0;
    for (const auto& text : jobs) {
        auto job = parse_json(text);
        BOOST_TEST(job["job_state"].IsString());
        BOOST_TEST(std::string(job["job_state"].GetString()).size() > 2u);  // a full name
        BOOST_TEST(job["job_employment_types"].IsArray());
        BOOST_TEST(job["job_latitude"].IsDouble());
        BOOST_TEST(job["job_onet_job_zone"].IsString());
        BOOST_TEST(!job.HasMember("job_salary_currency"));  // gone in 2025
        if (job["job_posted_at_timestamp"].IsNull()) {
            ++null_timestamps;
            BOOST_TEST(job["job_posted_at_datetime_utc"].IsNull());
        } else {
            BOOST_TEST(job["job_posted_at_timestamp"].IsInt64());
            std::string utc = string_member(job, "job_posted_at_datetime_utc");
            BOOST_TEST(utc.substr(10) == "T00:00:00.000Z");
        }
        if (job["job_min_salary"].IsDouble()) ++float_salaries;
        if (!job.HasMember("job_salary")) ++missing_salary_keys;
        if (job["job_employment_type"].IsNull()) ++null_types;
    }
    BOOST_TEST(null_timestamps > 0);
    BOOST_TEST(null_timestamps < 12);
    BOOST_TEST(float_salaries > 0);
    BOOST_TEST(missing_salary_keys > 0);
    BOOST_TEST(null_types > 0);
}

BOOST_AUTO_TEST_SUITE_END()

}  // namespace jobsync::testing
