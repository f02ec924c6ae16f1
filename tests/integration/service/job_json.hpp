// A fixture job's JSON, as the end-to-end tests read and rewrite it.
#pragma once

#include <rapidjson/document.h>
#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include <string>

namespace jobsync::testing {

inline std::string to_json(const rapidjson::Value& value) {
    rapidjson::StringBuffer buffer;
    rapidjson::Writer<rapidjson::StringBuffer> writer(buffer);
    value.Accept(writer);
    return buffer.GetString();
}

inline std::string job_id_of(const std::string& job_json) {
    rapidjson::Document job;
    job.Parse(job_json.c_str());
    return job["job_id"].GetString();
}

}  // namespace jobsync::testing
