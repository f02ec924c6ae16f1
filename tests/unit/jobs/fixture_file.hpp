// Reads a recorded JSearch response from shared/fixtures/jsearch/real (JOBSYNC_FIXTURES_DIR comes
// from the jobsync_testsupport library). Shared by unit-jobs and unit-jsearch.
#pragma once

#include <fstream>
#include <sstream>
#include <stdexcept>
#include <string>

namespace jobsync::testing {

inline constexpr const char* kFixture2025 = "search_junior_python_us_2025-10_openwebninja.json";
inline constexpr const char* kFixture2024 = "search_developer_jobs_in_chicago_us_2024-11.json";
inline constexpr const char* kFixtureJobObject =
    "job_object_senior_nodejs_developer_intetics_2024.json";

inline std::string read_fixture(const std::string& name) {
    std::ifstream file(std::string(JOBSYNC_FIXTURES_DIR) + "/" + name, std::ios::binary);
    if (!file) throw std::runtime_error("cannot open fixture " + name);
    std::ostringstream text;
    text << file.rdbuf();
    return text.str();
}

}  // namespace jobsync::testing
