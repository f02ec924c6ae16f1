// The service's JsearchClient against the stand-in over real HTTP: what it sends, how it pages,
// and how it copes with faults (retries wait on an injected sleeper, so nothing really sleeps).
#include <boost/test/unit_test.hpp>
#include <ostream>
#include <vector>

#include "integration/jsearch/standin_client.hpp"
#include "jsearch/client.hpp"

namespace jobsync::sync {
// Lets BOOST_TEST print a Failure (sync::to_string lives in a library this binary does not link).
inline std::ostream& boost_test_print_type(std::ostream& out, Failure failure) {
    static const char* const names[] = {"none", "transient", "bad_response", "rejected", "auth"};
    return out << names[static_cast<int>(failure)];
}
}  // namespace jobsync::sync

namespace jobsync::testing {

namespace {

class RecordingSleeper : public http::Sleeper {
  public:
    void sleep(std::chrono::milliseconds duration) override { waits.push_back(duration); }
    std::vector<std::chrono::milliseconds> waits;
};

class NoJitter : public http::JitterSource {
  public:
    double next() override { return 0.0; }
};

struct ClientFixture : StandinFixture {
    explicit ClientFixture(JsearchStandinOptions options = {})
        : StandinFixture(std::move(options)) {}

    jsearch::JsearchClient client(const std::string& api_key = "local-jsearch-key") {
        jsearch::Connection connection;
        connection.base_url = standin.base_url();
        connection.api_key = jobsync::Secret(api_key);
        connection.timeout = std::chrono::seconds(10);
        return jsearch::JsearchClient(
            *transport, connection, http::RetryPolicy{},
            http::RetryEnvironment{http::system_clock(), sleeper, jitter});
    }

    sync::FetchOutcome fetch(const sync::SearchQuery& query,
                             const std::string& api_key = "local-jsearch-key") {
        return client(api_key).fetch(
            query, [this](sync::FetchedPage&& page) { pages.push_back(std::move(page)); });
    }

    std::vector<std::string> fetched_ids() const {
        std::vector<std::string> ids;
        for (const auto& page : pages) {
            for (const auto& row : page.rows) ids.push_back(row.job_id.str());
        }
        return ids;
    }

    RecordingSleeper sleeper;
    NoJitter jitter;
    std::vector<sync::FetchedPage> pages;
};

sync::SearchQuery query_for(const std::string& text, int pages, int pages_per_request) {
    sync::SearchQuery query;
    query.text = text;
    query.pages = pages;
    query.pages_per_request = pages_per_request;
    return query;
}

}  // namespace

BOOST_AUTO_TEST_SUITE(jsearch_client_against_standin)

BOOST_AUTO_TEST_CASE(the_fixture_feed_round_trips_into_rows) {
    ClientFixture f;
    auto jobs = load_fixture_jobs(std::string(JOBSYNC_FIXTURES_DIR) +
                                  "/search_junior_python_us_2025-10_openwebninja.json");
    f.standin.set_jobs("junior python", jobs);
    auto outcome = f.fetch(query_for("junior python", 1, 1));
    BOOST_TEST(outcome.failure == sync::Failure::none, outcome.message);
    BOOST_TEST(f.fetched_ids() == job_ids_of(jobs), boost::test_tools::per_element());
    BOOST_REQUIRE(!f.pages.empty() && !f.pages[0].rows.empty());
    const auto& kbr = f.pages[0].rows[0];
    BOOST_TEST(kbr.employer_name.value_or("") == "KBR, Inc.");
    BOOST_TEST(kbr.job_city.value_or("") == "Arlington");
    BOOST_TEST(!kbr.employer_website.has_value());
    BOOST_TEST(outcome.quota_remaining.value_or(-1) == 999);
}

BOOST_AUTO_TEST_CASE(the_client_sends_the_documented_request) {
    ClientFixture f;
    auto query = query_for("c++ developer in st. louis", 1, 1);
    query.country = "us";
    query.date_posted = "week";
    query.remote_only = true;
    f.fetch(query);
    auto requests = f.standin.requests();
    BOOST_REQUIRE(requests.size() == 1u);
    BOOST_TEST(requests[0].path == "/search");
    BOOST_TEST(requests[0].header("X-RapidAPI-Key").value_or("") == "local-jsearch-key");
    BOOST_TEST(requests[0].header("X-RapidAPI-Host").value_or("") == "jsearch.p.rapidapi.com");
    const auto& raw = requests[0].raw_query;
    BOOST_TEST(raw.find("query=c%2B%2B%20developer%20in%20st.%20louis") != std::string::npos, raw);
    BOOST_TEST(raw.find("date_posted=week") != std::string::npos, raw);
    BOOST_TEST(raw.find("work_from_home=true") != std::string::npos, raw);
}

BOOST_AUTO_TEST_CASE(paging_stops_at_the_first_short_response_and_bills_the_multiplier) {
    ClientFixture f;
    const auto feed = generate_jobs(25, "client-paging");
    f.standin.set_jobs("python", feed);
    auto outcome = f.fetch(query_for("python", 5, 2));  // asks 1-2, 3-4, then stops at 5 jobs
    BOOST_TEST(outcome.failure == sync::Failure::none, outcome.message);
    BOOST_TEST(f.fetched_ids() == job_ids_of(feed), boost::test_tools::per_element());
    BOOST_TEST(f.standin.requests().size() == 2u);
    BOOST_TEST(outcome.billed_requests == 4);
    BOOST_TEST(f.standin.quota_remaining() == 996);
    BOOST_TEST(outcome.quota_remaining.value_or(-1) == 996);
}

BOOST_AUTO_TEST_CASE(a_503_then_200_is_retried_without_really_sleeping) {
    ClientFixture f;
    f.standin.set_default_jobs(generate_jobs(4, "retry"));
    f.standin.script({503, {}, "{\"message\":\"Service Unavailable\"}", ""});
    auto outcome = f.fetch(query_for("python", 1, 1));
    BOOST_TEST(outcome.failure == sync::Failure::none, outcome.message);
    BOOST_TEST(outcome.retries == 1);
    BOOST_TEST(f.fetched_ids().size() == 4u);
    BOOST_REQUIRE(f.sleeper.waits.size() == 1u);
    BOOST_TEST(f.sleeper.waits[0].count() == 100);
    BOOST_TEST(f.standin.requests().size() == 2u);
}

BOOST_AUTO_TEST_CASE(a_429_with_retry_after_waits_that_long) {
    ClientFixture f;
    f.standin.script({429, {{"Retry-After", "2"}}, "{\"message\":\"Too many requests\"}", ""});
    auto outcome = f.fetch(query_for("python", 1, 1));
    BOOST_TEST(outcome.failure == sync::Failure::none, outcome.message);
    BOOST_REQUIRE(f.sleeper.waits.size() == 1u);
    BOOST_TEST(f.sleeper.waits[0].count() == 2000);
}

BOOST_AUTO_TEST_CASE(an_html_error_page_is_a_clear_failure) {
    ClientFixture f;
    for (int i = 0; i < 3; ++i) {
        f.standin.script({502, {}, "<html><body><h1>502 Bad Gateway</h1></body></html>", ""});
    }
    auto outcome = f.fetch(query_for("python", 1, 1));
    BOOST_TEST(outcome.failure != sync::Failure::none);
    BOOST_TEST(outcome.message.find("502") != std::string::npos, outcome.message);
    BOOST_TEST(outcome.message.find("python") != std::string::npos, outcome.message);
    BOOST_TEST(f.standin.requests().size() == 3u);
}

BOOST_AUTO_TEST_CASE(an_html_page_with_status_200_is_a_bad_response) {
    ClientFixture f;
    f.standin.script({200, {}, "<html><body>Please enable JavaScript</body></html>", ""});
    auto outcome = f.fetch(query_for("python", 1, 1));
    BOOST_TEST(outcome.failure == sync::Failure::bad_response, outcome.message);
    BOOST_TEST(f.fetched_ids().empty());
}

BOOST_AUTO_TEST_CASE(a_wrong_key_fails_as_auth_at_once_without_leaking_the_key) {
    ClientFixture f;
    auto outcome = f.fetch(query_for("python", 1, 1), "wrong-secret-key-123");
    BOOST_TEST(outcome.failure == sync::Failure::auth);
    BOOST_TEST(outcome.message.find("subscribed") != std::string::npos, outcome.message);
    BOOST_TEST(outcome.message.find("wrong-secret-key-123") == std::string::npos);
    BOOST_TEST(f.standin.requests().size() == 1u);
    BOOST_TEST(f.sleeper.waits.empty());
}

BOOST_AUTO_TEST_CASE(an_exhausted_quota_is_not_retried_and_reported_as_quota_with_the_reset) {
    JsearchStandinOptions options;
    options.quota = 0;
    ClientFixture f(options);
    auto outcome = f.fetch(query_for("python", 1, 1));
    BOOST_TEST(outcome.failure == sync::Failure::quota);
    BOOST_TEST(outcome.message.find("429") != std::string::npos, outcome.message);
    BOOST_TEST(outcome.message.find("resets in 30 days") != std::string::npos, outcome.message);
    BOOST_TEST(f.standin.requests().size() == 1u);
    BOOST_TEST(f.sleeper.waits.empty());
    BOOST_TEST(outcome.billed_requests == 0);  // RapidAPI refused them all
    BOOST_TEST(outcome.quota_remaining.value_or(-1) == 0);
}

BOOST_AUTO_TEST_SUITE_END()

}  // namespace jobsync::testing
