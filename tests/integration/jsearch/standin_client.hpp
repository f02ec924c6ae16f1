// Talks to a JsearchStandin over real HTTP through the service's own transport, and reads the
// JSON that comes back with every type checked.
#pragma once

#include <rapidjson/document.h>

#include <boost/test/unit_test.hpp>
#include <memory>
#include <string>
#include <vector>

#include "http/transport.hpp"
#include "standins/jsearch/jsearch_standin.hpp"

namespace jobsync::testing {

inline const http::Headers kGoodHeaders = {{"X-RapidAPI-Key", "local-jsearch-key"},
                                           {"X-RapidAPI-Host", "jsearch.p.rapidapi.com"}};

// A stand-in and a client for it; `get` sends GET base_url + path_and_query.
struct StandinFixture {
    explicit StandinFixture(JsearchStandinOptions options = {})
        : standin(std::move(options)), transport(http::make_cpprest_transport()) {}

    http::Response get(const std::string& path_and_query, http::Headers headers = kGoodHeaders) {
        return send("GET", path_and_query, std::move(headers));
    }
    http::Response send(const std::string& method, const std::string& path_and_query,
                        http::Headers headers = kGoodHeaders) {
        http::Request request;
        request.method = method;
        request.url = standin.base_url() + path_and_query;
        request.headers = std::move(headers);
        request.timeout = std::chrono::seconds(10);
        auto response = transport->send(request);
        BOOST_REQUIRE_MESSAGE(!response.transport_failed(), response.error_message);
        return response;
    }

    JsearchStandin standin;
    std::unique_ptr<http::Transport> transport;
};

inline rapidjson::Document parse_json(const std::string& body) {
    rapidjson::Document document;
    document.Parse(body.c_str(), body.size());
    BOOST_REQUIRE_MESSAGE(!document.HasParseError(), "not JSON: " << body.substr(0, 200));
    return document;
}

inline std::string string_member(const rapidjson::Value& object, const char* name) {
    BOOST_REQUIRE(object.IsObject());
    BOOST_REQUIRE_MESSAGE(object.HasMember(name), "missing member " << name);
    BOOST_REQUIRE_MESSAGE(object[name].IsString(), name << " is not a string");
    return object[name].GetString();
}

inline std::string rapidapi_message_of(const http::Response& response) {
    return string_member(parse_json(response.body), "message");
}

// The job_ids of a /search response's data array, in order.
inline std::vector<std::string> job_ids_of(const http::Response& response) {
    auto document = parse_json(response.body);
    BOOST_REQUIRE(document.IsObject() && document.HasMember("data") && document["data"].IsArray());
    std::vector<std::string> ids;
    for (const auto& job : document["data"].GetArray()) ids.push_back(string_member(job, "job_id"));
    return ids;
}

inline std::vector<std::string> job_ids_of(const std::vector<std::string>& jobs) {
    std::vector<std::string> ids;
    for (const auto& job : jobs) ids.push_back(string_member(parse_json(job), "job_id"));
    return ids;
}

inline std::vector<std::string> slice(const std::vector<std::string>& values, std::size_t first,
                                      std::size_t last) {
    return {values.begin() + first, values.begin() + std::min(last, values.size())};
}

}  // namespace jobsync::testing
