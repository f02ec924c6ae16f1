// JSearch's side of the stand-in: /search parameters, paging, the response envelope.
#include <boost/test/unit_test.hpp>

#include "integration/jsearch/standin_client.hpp"

namespace jobsync::testing {

BOOST_AUTO_TEST_SUITE(jsearch_standin_search)

BOOST_AUTO_TEST_CASE(page_two_of_a_25_job_feed_holds_jobs_11_to_20) {
    StandinFixture f;
    const auto feed = generate_jobs(25, "paging");
    f.standin.set_jobs("python", feed);
    auto response = f.get("/search?query=python&page=2");
    BOOST_TEST(response.status == 200);
    BOOST_TEST(job_ids_of(response) == slice(job_ids_of(feed), 10, 20),
               boost::test_tools::per_element());
}

BOOST_AUTO_TEST_CASE(num_pages_two_returns_twenty_jobs_and_the_last_page_is_short) {
    StandinFixture f;
    const auto feed = generate_jobs(25, "paging");
    f.standin.set_jobs("python", feed);
    BOOST_TEST(job_ids_of(f.get("/search?query=python&page=1&num_pages=2")) ==
                   slice(job_ids_of(feed), 0, 20),
               boost::test_tools::per_element());
    BOOST_TEST(job_ids_of(f.get("/search?query=python&page=3")) == slice(job_ids_of(feed), 20, 25),
               boost::test_tools::per_element());
}

BOOST_AUTO_TEST_CASE(pages_beyond_the_feed_are_ok_with_empty_data) {
    StandinFixture f;
    f.standin.set_jobs("python", generate_jobs(25, "paging"));
    auto response = f.get("/search?query=python&page=4");
    BOOST_TEST(response.status == 200);
    auto document = parse_json(response.body);
    BOOST_TEST(string_member(document, "status") == "OK");
    BOOST_TEST(job_ids_of(response).empty());
}

BOOST_AUTO_TEST_CASE(each_query_gets_its_own_feed_and_others_the_default) {
    StandinFixture f;
    f.standin.set_jobs("python", generate_jobs(3, "python"));
    f.standin.set_default_jobs(generate_jobs(2, "default"));
    BOOST_TEST(job_ids_of(f.get("/search?query=python")) == job_ids_of(generate_jobs(3, "python")),
               boost::test_tools::per_element());
    BOOST_TEST(job_ids_of(f.get("/search?query=rust")) == job_ids_of(generate_jobs(2, "default")),
               boost::test_tools::per_element());
}

BOOST_AUTO_TEST_CASE(the_query_is_percent_decoded_with_plus_as_a_space) {
    StandinFixture f;
    f.standin.set_jobs("c++ developer in st. louis", generate_jobs(4, "decode"));
    BOOST_TEST(job_ids_of(f.get("/search?query=c%2B%2B+developer%20in%20st.+louis")).size() == 4u);
    auto document = parse_json(f.get("/search?query=c%2B%2B+developer%20in%20st.+louis").body);
    BOOST_TEST(string_member(document["parameters"], "query") == "c++ developer in st. louis");
}

BOOST_AUTO_TEST_CASE(the_envelope_echoes_parameters_with_page_numbers_as_numbers) {
    StandinFixture f;
    auto response =
        f.get("/search?query=developer%20jobs%20in%20chicago&page=3&num_pages=2&date_posted=week");
    BOOST_TEST(response.status == 200);
    BOOST_TEST(response.header("Content-Type").value_or("") == "application/json");
    auto document = parse_json(response.body);
    BOOST_TEST(string_member(document, "status") == "OK");
    BOOST_TEST(string_member(document, "request_id").size() == 36u);
    BOOST_REQUIRE(document.HasMember("parameters") && document["parameters"].IsObject());
    const auto& parameters = document["parameters"];
    BOOST_TEST(string_member(parameters, "query") == "developer jobs in chicago");
    BOOST_REQUIRE(parameters["page"].IsInt());
    BOOST_TEST(parameters["page"].GetInt() == 3);
    BOOST_REQUIRE(parameters["num_pages"].IsInt());
    BOOST_TEST(parameters["num_pages"].GetInt() == 2);
    BOOST_TEST(string_member(parameters, "date_posted") == "week");
    BOOST_TEST(string_member(parameters, "country") == "us");
    BOOST_TEST(string_member(parameters, "language") == "en");
    BOOST_TEST(parameters.MemberCount() == 6u);  // only what was sent or defaulted
}

BOOST_AUTO_TEST_CASE(defaults_are_echoed_and_filters_only_when_sent) {
    StandinFixture f;
    auto document = parse_json(f.get("/search?query=a&country=de&employment_types=FULLTIME,"
                                     "INTERN&work_from_home=true")
                                   .body);
    const auto& parameters = document["parameters"];
    BOOST_TEST(parameters["page"].GetInt() == 1);
    BOOST_TEST(parameters["num_pages"].GetInt() == 1);
    BOOST_TEST(string_member(parameters, "country") == "de");
    BOOST_TEST(string_member(parameters, "language") == "de");  // the country's language
    BOOST_TEST(string_member(parameters, "employment_types") == "FULLTIME,INTERN");
    BOOST_TEST(string_member(parameters, "work_from_home") == "true");
    BOOST_TEST(!parameters.HasMember("date_posted"));
}

BOOST_AUTO_TEST_CASE(a_missing_query_gets_a_jsearch_error_body) {
    StandinFixture f;
    auto response = f.get("/search?page=1");
    BOOST_TEST(response.status == 400);
    auto document = parse_json(response.body);
    BOOST_TEST(string_member(document, "status") == "ERROR");
    BOOST_TEST(string_member(document, "request_id").size() == 36u);
    BOOST_REQUIRE(document.HasMember("error") && document["error"].IsObject());
    BOOST_TEST(string_member(document["error"], "message").find("query") != std::string::npos);
    BOOST_REQUIRE(document["error"]["code"].IsInt());
    BOOST_TEST(document["error"]["code"].GetInt() == 400);
}

BOOST_AUTO_TEST_CASE(out_of_range_or_malformed_parameters_get_400) {
    StandinFixture f;
    for (const char* bad :
         {"page=0", "page=51", "page=two", "page=1.5", "num_pages=0", "num_pages=51",
          "num_pages=-1", "date_posted=yesterday", "employment_types=FULLTIME,SOMETIMES",
          "work_from_home=yes", "country=usa", "radius=-5", "job_requirements=no_clue"}) {
        auto response = f.get(std::string("/search?query=a&") + bad);
        BOOST_TEST(response.status == 400, bad);
        auto document = parse_json(response.body);
        BOOST_TEST(string_member(document, "status") == "ERROR", bad);
    }
}

BOOST_AUTO_TEST_CASE(the_documented_limits_and_values_are_accepted) {
    StandinFixture f;
    for (const char* good : {"page=50", "num_pages=50", "date_posted=3days", "date_posted=today",
                             "employment_types=CONTRACTOR,PARTTIME", "work_from_home=false",
                             "radius=25.5", "job_requirements=no_degree,no_experience",
                             "exclude_job_publishers=BeeBe,Dice", "language=en", "country=gb"}) {
        BOOST_TEST(f.get(std::string("/search?query=a&") + good).status == 200, good);
    }
}

BOOST_AUTO_TEST_CASE(fields_cut_each_job_down_to_the_named_keys) {
    StandinFixture f;
    f.standin.set_default_jobs(generate_jobs(2, "fields"));
    auto document = parse_json(f.get("/search?query=a&fields=job_id,job_title").body);
    BOOST_REQUIRE(document["data"].IsArray() && document["data"].Size() == 2u);
    const auto& job = document["data"][0];
    BOOST_TEST(job.MemberCount() == 2u);
    BOOST_TEST(job.HasMember("job_id"));
    BOOST_TEST(job.HasMember("job_title"));
}

BOOST_AUTO_TEST_CASE(the_recorded_request_holds_what_the_client_sent) {
    StandinFixture f;
    f.get("/search?query=data%20analyst&page=2&num_pages=3",
          {{"X-RapidAPI-Key", "local-jsearch-key"},
           {"X-RapidAPI-Host", "jsearch.p.rapidapi.com"},
           {"Accept", "application/json"}});
    auto requests = f.standin.requests();
    BOOST_REQUIRE(requests.size() == 1u);
    BOOST_TEST(requests[0].method == "GET");
    BOOST_TEST(requests[0].path == "/search");
    BOOST_TEST(requests[0].raw_query == "query=data%20analyst&page=2&num_pages=3");
    BOOST_TEST(requests[0].header("x-rapidapi-key").value_or("") == "local-jsearch-key");
    BOOST_TEST(requests[0].header("x-rapidapi-host").value_or("") == "jsearch.p.rapidapi.com");
    BOOST_TEST(requests[0].header("accept").value_or("") == "application/json");
}

BOOST_AUTO_TEST_CASE(jobs_that_are_not_json_are_refused_when_set) {
    StandinFixture f;
    BOOST_CHECK_THROW(f.standin.set_default_jobs({"{\"job_id\": \"x\""}), std::invalid_argument);
}

BOOST_AUTO_TEST_SUITE_END()

}  // namespace jobsync::testing
