// Every recorded JSearch response in the fixtures folder, including any added after this test
// was written: each job with a job_id maps to a row carrying the feed's own id and title.
#include <rapidjson/document.h>

#include <algorithm>
#include <boost/test/unit_test.hpp>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "jobs/mapping.hpp"

namespace fs = std::filesystem;

namespace {

std::vector<fs::path> fixture_files() {
    std::vector<fs::path> files;
    for (const auto& entry : fs::directory_iterator(JOBSYNC_FIXTURES_DIR)) {
        if (entry.is_regular_file() && entry.path().extension() == ".json") {
            files.push_back(entry.path());
        }
    }
    std::sort(files.begin(), files.end());
    return files;
}

std::string read(const fs::path& path) {
    std::ifstream file(path, std::ios::binary);
    std::ostringstream text;
    text << file.rdbuf();
    return text.str();
}

}  // namespace

BOOST_AUTO_TEST_SUITE(every_fixture)

BOOST_AUTO_TEST_CASE(every_job_in_every_fixture_file_maps_to_a_row_with_its_id_and_title) {
    const auto files = fixture_files();
    BOOST_TEST_REQUIRE(files.size() >= 3u);
    std::size_t jobs_mapped = 0;
    for (const auto& file : files) {
        rapidjson::Document document;
        const std::string text = read(file);
        document.Parse(text.c_str(), text.size());
        BOOST_TEST_REQUIRE(!document.HasParseError(), file.filename());
        // A whole /search response, a bare data array, or one job object.
        std::vector<const rapidjson::Value*> jobs;
        if (document.IsObject() && document.HasMember("data") && document["data"].IsArray()) {
            for (const auto& job : document["data"].GetArray()) jobs.push_back(&job);
        } else if (document.IsArray()) {
            for (const auto& job : document.GetArray()) jobs.push_back(&job);
        } else {
            jobs.push_back(&document);
        }
        for (const auto* job : jobs) {
            const auto result = jobsync::jobs::map_job(*job);
            const bool has_id = job->IsObject() && job->HasMember("job_id") &&
                                (*job)["job_id"].IsString() &&
                                (*job)["job_id"].GetStringLength() > 0;
            BOOST_TEST(result.row.has_value() == has_id, file.filename());
            if (!has_id) continue;
            BOOST_TEST(result.row->job_id == (*job)["job_id"].GetString());
            if (job->HasMember("job_title") && (*job)["job_title"].IsString() &&
                (*job)["job_title"].GetStringLength() > 0) {
                BOOST_TEST(result.row->job_title.value_or("") == (*job)["job_title"].GetString());
            }
            ++jobs_mapped;
        }
    }
    BOOST_TEST(jobs_mapped >= 21u);
}

BOOST_AUTO_TEST_SUITE_END()
