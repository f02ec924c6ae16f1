// Jobs from the recorded JSearch responses in shared/fixtures/jsearch/real/.
#include <rapidjson/document.h>
#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <stdexcept>

#include "standins/jsearch/jsearch_standin.hpp"

namespace jobsync::testing {

namespace {

std::string to_json(const rapidjson::Value& value) {
    rapidjson::StringBuffer buffer;
    rapidjson::Writer<rapidjson::StringBuffer> writer(buffer);
    value.Accept(writer);
    return buffer.GetString();
}

}  // namespace

std::vector<std::string> load_fixture_jobs(const std::string& path) {
    std::ifstream file(path, std::ios::binary);
    if (!file) throw std::runtime_error("cannot read fixture " + path);
    std::ostringstream text;
    text << file.rdbuf();
    const std::string content = text.str();

    rapidjson::Document document;
    document.Parse(content.c_str(), content.size());
    if (document.HasParseError()) throw std::runtime_error("fixture is not JSON: " + path);

    const rapidjson::Value* jobs = nullptr;
    if (document.IsObject() && document.HasMember("data") && document["data"].IsArray()) {
        jobs = &document["data"];  // a whole /search response
    } else if (document.IsArray()) {
        jobs = &document;  // a bare data array
    } else if (document.IsObject() && document.HasMember("job_id")) {
        return {to_json(document)};  // one job object
    } else {
        throw std::runtime_error("fixture holds neither a response nor a job: " + path);
    }
    std::vector<std::string> result;
    for (const auto& job : jobs->GetArray()) result.push_back(to_json(job));
    return result;
}

std::vector<std::string> load_all_fixture_jobs(const std::string& dir) {
    std::vector<std::filesystem::path> files;
    for (const auto& entry : std::filesystem::directory_iterator(dir)) {
        if (entry.is_regular_file() && entry.path().extension() == ".json")
            files.push_back(entry.path());
    }
    std::sort(files.begin(), files.end(),
              [](const auto& a, const auto& b) { return a.filename() < b.filename(); });
    std::vector<std::string> jobs;
    for (const auto& file : files) {
        auto more = load_fixture_jobs(file.string());
        jobs.insert(jobs.end(), std::make_move_iterator(more.begin()),
                    std::make_move_iterator(more.end()));
    }
    return jobs;
}

}  // namespace jobsync::testing
