#include <boost/test/unit_test.hpp>
#include <filesystem>
#include <iterator>

#include "jobs/mapping.hpp"
#include "text/timestamps.hpp"
#include "unit/jobs/mapping_helpers.hpp"

using namespace jobsync::testing;
using jobsync::jobs::JobRow;
using jobsync::jobs::MapResult;

BOOST_AUTO_TEST_SUITE(mapping_real_fixtures)

// ---- the real fixtures --------------------------------------------------------------------

BOOST_AUTO_TEST_CASE(every_job_of_every_real_fixture_maps_without_problems) {
    const std::pair<const char*, std::size_t> fixtures[] = {
        {jobsync::testing::kFixture2025, 10},
        {jobsync::testing::kFixture2024, 10},
        {jobsync::testing::kFixtureJobObject, 1},
    };
    // A recording added to the folder must be listed here too, to get these checks.
    std::size_t recordings = 0;
    for (const auto& entry : std::filesystem::directory_iterator(JOBSYNC_FIXTURES_DIR)) {
        recordings += entry.path().extension() == ".json" ? 1 : 0;
    }
    BOOST_TEST(recordings == std::size(fixtures));
    for (const auto& [name, count] : fixtures) {
        auto mapped = map_fixture(name);
        BOOST_TEST(mapped.results.size() == count, name);
        for (const auto& result : mapped.results) {
            BOOST_TEST_REQUIRE(result.row.has_value(), name << ": " << problems_of(result));
            BOOST_TEST(result.problems.empty(), name << " " << result.job_id << ":\n"
                                                     << problems_of(result));
            const auto& row = *result.row;
            BOOST_TEST(result.job_id.empty());     // only a job with problems carries it there
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
    BOOST_TEST(kbr.job_description->view().rfind("Title:\nJunior Python Coder and Analyst\n", 0) ==
               0);

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
    BOOST_TEST(
        rocket.job_description->view().rfind("Senior Software Engineer \xE2\x80\x93 Backend\n",
                                             0) == 0);  // UTF-8 en dash kept as bytes

    const auto& hackajob = mapped.row(6);
    BOOST_TEST(hackajob.job_id == "KfLVljib9kK_YhNrAAAAAA==");
    BOOST_TEST(*hackajob.job_title == "Senior Software Engineer C++");
    BOOST_TEST(*hackajob.job_min_salary == 113000.0);
    BOOST_TEST(*hackajob.job_max_salary == 260000.0);
    BOOST_TEST(*hackajob.job_salary_period == "YEAR");
    BOOST_TEST(*hackajob.job_posted_at_datetime_utc == "2024-11-25T19:00:00.000Z");
    BOOST_TEST(hackajob.job_apply_link->view().find(
                   "senior-software-engineer-c%2B%2B-at-hackajob") != std::string::npos);
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
            BOOST_TEST(*jobsync::text::format_unix_seconds_utc(seconds.GetInt64()) ==
                       job["job_posted_at_datetime_utc"].GetString());
            ++compared;
        }
        BOOST_TEST(compared >= 5);
    }
}

BOOST_AUTO_TEST_SUITE_END()
