// Helpers shared by the mapping tests: map a whole fixture, and find a recorded problem.
#pragma once

#include <rapidjson/document.h>

#include <boost/test/unit_test.hpp>
#include <string>
#include <vector>

#include "jobs/mapping.hpp"
#include "unit/jobs/fixture_file.hpp"

namespace jobsync::testing {

using jobs::JobRow;
using jobs::map_job;
using jobs::map_job_json;
using jobs::MapResult;

struct MappedFixture {
    std::vector<MapResult> results;
    const JobRow& row(std::size_t index) const { return *results.at(index).row; }
};

inline MappedFixture map_fixture(const std::string& name) {
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

inline std::string problems_of(const MapResult& result) {
    std::string all;
    for (const auto& problem : result.problems) all += problem.message + "\n";
    return all;
}

inline bool has_problem(const MapResult& result, const std::string& field,
                        const std::string& message) {
    for (const auto& problem : result.problems) {
        if (problem.field == field && problem.message == message) return true;
    }
    BOOST_TEST_MESSAGE("problems were:\n" << problems_of(result));
    return false;
}

// A minimal job with `extra` members added ("" for none).
inline MapResult map_with(const std::string& extra) {
    return map_job_json(R"({"job_id": "id-1==")" + (extra.empty() ? "" : ", " + extra) + "}");
}

}  // namespace jobsync::testing
