#include <spdlog/sinks/ostream_sink.h>
#include <spdlog/spdlog.h>

#include <boost/test/unit_test.hpp>
#include <deque>
#include <sstream>
#include <stdexcept>

#include "jsearch/client.hpp"
#include "unit/jsearch/print_failure.hpp"

using jobsync::http::Request;
using jobsync::http::Response;
using jobsync::jsearch::Connection;
using jobsync::jsearch::JsearchClient;
using jobsync::sync::Failure;
using jobsync::sync::FetchedPage;
using jobsync::sync::FetchOutcome;
using jobsync::sync::SearchQuery;

namespace {

constexpr const char* kKey = "secret-key-xyz";

// Answers from a script, in order, and records every request.
class ScriptedTransport : public jobsync::http::Transport {
  public:
    std::deque<Response> replies;
    std::vector<Request> requests;

    Response send(const Request& request) override {
        requests.push_back(request);
        if (replies.empty()) throw std::logic_error("unexpected request: " + request.url);
        Response reply = std::move(replies.front());
        replies.pop_front();
        return reply;
    }
};

class FixedClock : public jobsync::http::Clock {
  public:
    std::chrono::system_clock::time_point now() override {
        return std::chrono::system_clock::time_point(std::chrono::seconds(1'750'000'000));
    }
};

class RecordingSleeper : public jobsync::http::Sleeper {
  public:
    std::vector<long> slept_ms;
    void sleep(std::chrono::milliseconds duration) override {
        slept_ms.push_back(static_cast<long>(duration.count()));
    }
};

class NoJitter : public jobsync::http::JitterSource {
  public:
    double next() override { return 0.0; }
};

Response reply(int status, std::string body, jobsync::http::Headers headers = {}) {
    Response response;
    response.status = status;
    response.body = std::move(body);
    response.headers = std::move(headers);
    response.headers.emplace_back("Content-Type", "application/json");
    return response;
}

// An OK envelope with `count` jobs whose ids start with `prefix`.
Response jobs(int count, const std::string& prefix = "job", jobsync::http::Headers headers = {}) {
    std::string data;
    for (int i = 0; i < count; ++i) {
        if (i > 0) data += ",";
        data += R"({"job_id": ")" + prefix + "-" + std::to_string(i) + R"(", "job_title": "Dev"})";
    }
    return reply(200, R"({"status": "OK", "request_id": "r", "data": [)" + data + "]}",
                 std::move(headers));
}

Response transport_failure(jobsync::http::TransportError error, std::string message) {
    Response response;
    response.error = error;
    response.error_message = std::move(message);
    return response;
}

SearchQuery query_of(std::string text, int pages, int per_request = 10) {
    SearchQuery query;
    query.text = std::move(text);
    query.pages = pages;
    query.pages_per_request = per_request;
    return query;
}

// Captures everything logged while alive, at every level.
class LogCapture {
  public:
    LogCapture() : previous_(spdlog::default_logger()) {
        auto sink = std::make_shared<spdlog::sinks::ostream_sink_mt>(stream_);
        auto logger = std::make_shared<spdlog::logger>("capture", sink);
        logger->set_level(spdlog::level::trace);
        spdlog::set_default_logger(logger);
    }
    ~LogCapture() { spdlog::set_default_logger(previous_); }
    std::string text() const { return stream_.str(); }

  private:
    std::ostringstream stream_;
    std::shared_ptr<spdlog::logger> previous_;
};

struct Fixture {
    LogCapture log;  // keeps test output quiet, and lets tests read what was logged
    ScriptedTransport transport;
    FixedClock clock;
    RecordingSleeper sleeper;
    NoJitter jitter;
    std::vector<FetchedPage> pages;

    static Connection connection() {
        Connection connection;
        connection.base_url = "http://jsearch.test";
        connection.host = "jsearch.p.rapidapi.com";
        connection.api_key = jobsync::Secret(kKey);
        return connection;
    }

    FetchOutcome fetch(const SearchQuery& query) {
        JsearchClient client(transport, connection(), jobsync::http::RetryPolicy{},
                             {clock, sleeper, jitter});
        return client.fetch(query,
                            [this](FetchedPage&& page) { pages.push_back(std::move(page)); });
    }
};

}  // namespace

BOOST_AUTO_TEST_SUITE(client)

BOOST_AUTO_TEST_CASE(pages_are_fetched_in_chunks_and_handed_to_the_sink) {
    Fixture f;
    f.transport.replies = {jobs(100, "a"), jobs(100, "b"), jobs(50, "c")};
    auto outcome = f.fetch(query_of("rust developer", 25, 10));

    BOOST_TEST(outcome.failure == Failure::none);
    BOOST_TEST_REQUIRE(f.transport.requests.size() == 3u);
    BOOST_TEST(f.transport.requests[0].url ==
               "http://jsearch.test/search?query=rust%20developer&page=1&num_pages=10");
    BOOST_TEST(f.transport.requests[1].url ==
               "http://jsearch.test/search?query=rust%20developer&page=11&num_pages=10");
    BOOST_TEST(f.transport.requests[2].url ==
               "http://jsearch.test/search?query=rust%20developer&page=21&num_pages=5");
    BOOST_TEST_REQUIRE(f.pages.size() == 3u);
    BOOST_TEST(f.pages[1].query == "rust developer");
    BOOST_TEST(f.pages[1].first_page == 11);
    BOOST_TEST(f.pages[1].page_count == 10);
    BOOST_TEST(f.pages[1].rows.size() == 100u);
    BOOST_TEST(f.pages[2].rows.front().job_id == "c-0");
    BOOST_TEST(outcome.requests == 3);
    BOOST_TEST(outcome.billed_requests == 6);  // 2 + 2 + 2
    BOOST_TEST(outcome.pages == 25);
    BOOST_TEST(outcome.retries == 0);
    BOOST_TEST(!outcome.quota_remaining);
}

BOOST_AUTO_TEST_CASE(an_answer_waits_in_before_page_once_it_arrived_and_before_it_is_parsed) {
    // What fetch_as_ready relies on to hold only a response, not its rows too, while the
    // caller is behind: one wait per answer, after its retries, before its page. A response
    // that fails the query is never waited for.
    Fixture f;
    f.transport.replies = {reply(503, R"({"message":"upstream down"})"), jobs(10, "a"),
                           jobs(10, "b"), reply(401, R"({"message":"Invalid API key"})")};
    std::vector<std::string> events;
    const jobsync::sync::PageSink sink(
        [&](FetchedPage&& page) { events.push_back("page " + page.rows.front().job_id.str()); },
        [&] { events.push_back("wait after " + std::to_string(f.transport.requests.size())); });
    JsearchClient client(f.transport, f.connection(), jobsync::http::RetryPolicy{},
                         {f.clock, f.sleeper, f.jitter});
    auto outcome = client.fetch(query_of("q", 3, 1), sink);

    BOOST_TEST(outcome.failure == Failure::auth);
    BOOST_TEST(events == (std::vector<std::string>{"wait after 2", "page a-0", "wait after 3",
                                                   "page b-0"}),
               boost::test_tools::per_element());
}

BOOST_AUTO_TEST_CASE(a_response_with_fewer_jobs_than_asked_for_ends_the_query) {
    Fixture f;
    f.transport.replies = {jobs(100), jobs(37)};
    auto outcome = f.fetch(query_of("q", 30, 10));
    BOOST_TEST(outcome.failure == Failure::none);
    BOOST_TEST(f.transport.requests.size() == 2u);  // pages 21-30 are never asked for
    BOOST_TEST(f.pages.size() == 2u);
    BOOST_TEST(outcome.pages == 14);  // 10 + 4 (37 jobs)
    BOOST_TEST(outcome.billed_requests == 4);
}

BOOST_AUTO_TEST_CASE(an_empty_first_page_ends_the_query_and_still_reaches_the_sink) {
    Fixture f;
    f.transport.replies = {jobs(0)};
    auto outcome = f.fetch(query_of("nothing matches", 5, 1));
    BOOST_TEST(outcome.failure == Failure::none);
    BOOST_TEST(f.transport.requests.size() == 1u);
    BOOST_TEST_REQUIRE(f.pages.size() == 1u);
    BOOST_TEST(f.pages[0].rows.empty());
    BOOST_TEST(outcome.pages == 0);
}

BOOST_AUTO_TEST_CASE(a_503_is_retried_after_the_backoff_and_then_succeeds) {
    Fixture f;
    f.transport.replies = {reply(503, R"({"message":"upstream down"})"), jobs(10)};
    auto outcome = f.fetch(query_of("q", 1));
    BOOST_TEST(outcome.failure == Failure::none);
    BOOST_TEST(f.transport.requests.size() == 2u);
    BOOST_TEST(f.transport.requests[0].url == f.transport.requests[1].url);
    BOOST_TEST(f.sleeper.slept_ms == std::vector<long>{100}, boost::test_tools::per_element());
    BOOST_TEST(outcome.requests == 2);
    BOOST_TEST(outcome.retries == 1);
    BOOST_TEST(outcome.billed_requests == 2);  // the 503 reached JSearch too
    BOOST_TEST(f.pages.size() == 1u);
    BOOST_TEST(outcome.pages == 1);
}

BOOST_AUTO_TEST_CASE(http_401_is_not_retried_and_fails_with_the_cause) {
    Fixture f;
    f.transport.replies = {reply(401, R"({"message":"Invalid API key."})")};
    auto outcome = f.fetch(query_of("q", 3, 1));
    BOOST_TEST(outcome.failure == Failure::auth);
    BOOST_TEST(f.transport.requests.size() == 1u);
    BOOST_TEST(f.sleeper.slept_ms.empty());
    BOOST_TEST(f.pages.empty());
    BOOST_TEST(outcome.requests == 1);
    BOOST_TEST(outcome.billed_requests == 0);
    BOOST_TEST(outcome.message ==
               "JSearch query \"q\" page 1: HTTP 401: invalid JSEARCH_API_KEY, or the key is not "
               "subscribed to JSearch on RapidAPI (server says: \"Invalid API key.\")");
}

BOOST_AUTO_TEST_CASE(a_key_echoed_by_the_server_is_redacted_from_the_message) {
    Fixture f;
    f.transport.replies = {
        reply(403, std::string(R"({"message":"key )") + kKey + R"( is not subscribed"})")};
    auto outcome = f.fetch(query_of("q", 1));
    BOOST_TEST(outcome.failure == Failure::auth);
    BOOST_TEST(outcome.message.find(kKey) == std::string::npos);
    BOOST_TEST(outcome.message.find("key *** is not subscribed") != std::string::npos);
}

BOOST_AUTO_TEST_CASE(http_429_is_retried_honouring_retry_after_then_reported_as_quota) {
    Fixture f;
    const auto limited = [] {
        return reply(429, R"({"message":"Too many requests"})", {{"Retry-After", "2"}});
    };
    f.transport.replies = {limited(), limited(), limited()};
    auto outcome = f.fetch(query_of("q", 1));
    BOOST_TEST(outcome.failure == Failure::transient);
    BOOST_TEST(f.sleeper.slept_ms == (std::vector<long>{2000, 2000}),
               boost::test_tools::per_element());
    BOOST_TEST(outcome.requests == 3);
    BOOST_TEST(outcome.retries == 2);
    BOOST_TEST(outcome.billed_requests == 0);  // RapidAPI refused them before JSearch
    BOOST_TEST(outcome.message ==
               "JSearch query \"q\" page 1: HTTP 429: rate limit exceeded (server says: "
               "\"Too many requests\") (after 3 attempts)");
}

BOOST_AUTO_TEST_CASE(timeouts_are_retried_and_then_fail_the_query) {
    Fixture f;
    for (int i = 0; i < 3; ++i) {
        f.transport.replies.push_back(
            transport_failure(jobsync::http::TransportError::timeout, "timed out after 30 s"));
    }
    auto outcome = f.fetch(query_of("q", 1));
    BOOST_TEST(outcome.failure == Failure::transient);
    BOOST_TEST(f.sleeper.slept_ms == (std::vector<long>{100, 200}),
               boost::test_tools::per_element());
    BOOST_TEST(outcome.billed_requests == 3);  // a timed-out request may well have been served
    BOOST_TEST(outcome.message ==
               "JSearch query \"q\" page 1: timed out (timed out after 30 s) (after 3 attempts)");
}

BOOST_AUTO_TEST_CASE(the_first_failure_stops_the_query_after_earlier_pages_were_delivered) {
    Fixture f;
    f.transport.replies = {jobs(10, "a"), reply(200, "<html>oops</html>"), jobs(10, "c")};
    auto outcome = f.fetch(query_of("q", 3, 1));
    BOOST_TEST(outcome.failure == Failure::bad_response);
    BOOST_TEST(outcome.message ==
               "JSearch query \"q\" page 2: got an HTML page, not JSON (HTTP 200)");
    BOOST_TEST(f.transport.requests.size() == 2u);
    BOOST_TEST(f.pages.size() == 1u);
    BOOST_TEST(outcome.pages == 1);
    BOOST_TEST(outcome.billed_requests == 2);
}

BOOST_AUTO_TEST_CASE(the_remaining_quota_is_read_from_the_last_response_and_logged) {
    Fixture f;
    f.transport.replies = {jobs(10, "a", {{"X-RateLimit-Requests-Remaining", "187"}}),
                           jobs(10, "b", {{"x-ratelimit-requests-remaining", "186"}}),
                           jobs(3, "c")};
    auto outcome = f.fetch(query_of("q", 3, 1));
    BOOST_TEST(outcome.failure == Failure::none);
    BOOST_TEST_REQUIRE(outcome.quota_remaining.has_value());
    BOOST_TEST(*outcome.quota_remaining == 186);  // the third response did not send it
    BOOST_TEST(f.log.text().find("JSearch quota: 187 requests remaining") != std::string::npos);
    BOOST_TEST(f.log.text().find("JSearch quota: 186 requests remaining") != std::string::npos);
}

BOOST_AUTO_TEST_CASE(requests_are_logged_by_url_and_the_key_never_is) {
    Fixture f;
    f.transport.replies = {reply(500, "{}"), jobs(2)};
    f.fetch(query_of("c++ jobs", 1));
    const auto text = f.log.text();
    BOOST_TEST(text.find("JSearch GET http://jsearch.test/search?query=c%2B%2B%20jobs&page=1"
                         "&num_pages=1") != std::string::npos);
    BOOST_TEST(text.find("attempt 1 failed (HTTP 500); retrying in 100 ms") != std::string::npos);
    BOOST_TEST(text.find(kKey) == std::string::npos);
    // The key did travel, in the header.
    BOOST_TEST(*jobsync::http::find_header(f.transport.requests[0].headers, "x-rapidapi-key") ==
               kKey);
}

BOOST_AUTO_TEST_CASE(job_problems_reach_the_sink_with_their_page) {
    Fixture f;
    f.transport.replies = {reply(200, R"({"status":"OK","data":[{"job_id":"a","job_latitude":"x"},)"
                                      R"({"job_title":"no id"}]})")};
    auto outcome = f.fetch(query_of("q", 4, 2));
    BOOST_TEST(outcome.failure == Failure::none);
    BOOST_TEST_REQUIRE(f.pages.size() == 1u);
    BOOST_TEST(f.pages[0].rows.size() == 1u);
    BOOST_TEST_REQUIRE(f.pages[0].problems.size() == 2u);
    BOOST_TEST(f.pages[0].problems[0].job_id == "a");
    BOOST_TEST(f.pages[0].problems[0].page == 1);
    BOOST_TEST(f.pages[0].problems[1].skipped);
}

BOOST_AUTO_TEST_SUITE_END()
