#include <spdlog/sinks/ringbuffer_sink.h>
#include <spdlog/spdlog.h>

#include <algorithm>
#include <boost/test/unit_test.hpp>
#include <memory>
#include <string>
#include <vector>

#include "postgrest/client.hpp"
#include "unit/http/fakes.hpp"

using jobsync::Secret;
using jobsync::SupabaseKeyKind;
using jobsync::http::Response;
using jobsync::http::RetryPolicy;
using jobsync::http::TransportError;
using jobsync::postgrest::Endpoint;
using jobsync::postgrest::PostgrestStore;
using jobsync::sync::BatchProblem;
using jobsync::sync::Failure;
using jobsync::sync::UpsertBatch;
using jobsync::testing::FakeRetryEnvironment;
using jobsync::testing::FakeTransport;

namespace {

constexpr const char* kKey = "eyJhbGciOiJIUzI1NiJ9.eyJyb2xlIjoic2VydmljZV9yb2xlIn0.c2VjcmV0";
constexpr const char* kRunStart = "2024-05-01T10:00:00+00:00";

int as_int(Failure failure) { return static_cast<int>(failure); }
int as_int(BatchProblem problem) { return static_cast<int>(problem); }

bool contains(const std::string& text, const std::string& part) {
    return text.find(part) != std::string::npos;
}

Response reply(int status, std::string body = {}, jobsync::http::Headers headers = {}) {
    return FakeTransport::reply(status, std::move(body), std::move(headers));
}

// Every log line at every level, so tests can prove the key never reaches a log.
struct CapturedLogs {
    CapturedLogs() : sink(std::make_shared<spdlog::sinks::ringbuffer_sink_mt>(1000)) {
        previous = spdlog::default_logger();
        auto logger = std::make_shared<spdlog::logger>("capture", sink);
        logger->set_level(spdlog::level::trace);
        spdlog::set_default_logger(logger);
    }
    ~CapturedLogs() { spdlog::set_default_logger(previous); }

    std::vector<std::string> lines() const { return sink->last_formatted(); }

    std::shared_ptr<spdlog::sinks::ringbuffer_sink_mt> sink;
    std::shared_ptr<spdlog::logger> previous;
};

// A store over a scripted transport with a fake clock, sleeper and zero jitter.
struct Harness {
    explicit Harness(std::vector<Response> script,
                     SupabaseKeyKind kind = SupabaseKeyKind::legacy_jwt)
        : transport(std::move(script)),
          store(transport, make_endpoint(kind), RetryPolicy{}, fake.env()) {}

    static Endpoint make_endpoint(SupabaseKeyKind kind) {
        Endpoint endpoint;
        endpoint.base_url = "http://127.0.0.1:54321";
        endpoint.table = "jobs";
        endpoint.key = Secret(kKey);
        endpoint.kind = kind;
        return endpoint;
    }

    FakeTransport transport;
    FakeRetryEnvironment fake;
    PostgrestStore store;
};

const UpsertBatch kBatch{R"([{"job_id":"a"},{"job_id":"b"}])", 2, {}, {}};

// Upserts a fresh copy of kBatch (the store borrows the batch's text while it sends).
jobsync::sync::StoreOutcome upsert(PostgrestStore& store) {
    UpsertBatch batch = kBatch;
    return store.upsert(batch);
}

}  // namespace

BOOST_FIXTURE_TEST_SUITE(client_upsert, CapturedLogs)

BOOST_AUTO_TEST_CASE(created_is_success_and_the_batch_is_sent_as_is) {
    Harness h({reply(201)});
    const auto outcome = upsert(h.store);
    BOOST_TEST(as_int(outcome.failure) == as_int(Failure::none));
    BOOST_TEST(outcome.retries == 0);
    BOOST_TEST(outcome.message.empty());
    BOOST_TEST_REQUIRE(h.transport.requests.size() == 1u);
    const auto& sent = h.transport.requests.front();
    BOOST_TEST(sent.method == "POST");
    BOOST_TEST(
        sent.url.rfind("http://127.0.0.1:54321/rest/v1/jobs?on_conflict=job_id&columns=", 0) == 0);
    BOOST_TEST(sent.body.view() == kBatch.json);
    BOOST_TEST(jobsync::http::find_header(sent.headers, "Prefer").value_or("") ==
               "resolution=merge-duplicates,return=minimal");
}

BOOST_AUTO_TEST_CASE(ok_is_success_when_every_row_was_an_update) {
    Harness h({reply(200)});
    BOOST_TEST(as_int(upsert(h.store).failure) == as_int(Failure::none));
}

BOOST_AUTO_TEST_CASE(a_server_error_is_retried_after_the_backoff) {
    Harness h({reply(503, "<html><title>busy</title></html>"), reply(201)});
    const auto outcome = upsert(h.store);
    BOOST_TEST(as_int(outcome.failure) == as_int(Failure::none));
    BOOST_TEST(outcome.retries == 1);
    BOOST_TEST(h.transport.requests.size() == 2u);
    BOOST_TEST(h.fake.sleeper.sleeps == (std::vector<long long>{100}),
               boost::test_tools::per_element());
    const auto logged = lines();
    BOOST_TEST(std::count_if(logged.begin(), logged.end(), [](const std::string& line) {
                   return contains(line, "attempt 1 failed (HTTP 503: HTML page \"busy\")");
               }) == 1);
}

BOOST_AUTO_TEST_CASE(a_retried_upsert_resends_the_batch_text_itself_and_gives_it_back) {
    Harness h({reply(503), reply(502), reply(201)});
    UpsertBatch batch = kBatch;
    const void* text = batch.json.data();
    const auto outcome = h.store.upsert(batch);
    BOOST_TEST(as_int(outcome.failure) == as_int(Failure::none));
    BOOST_TEST_REQUIRE(h.transport.requests.size() == 3u);
    for (const auto& sent : h.transport.requests) {
        BOOST_TEST(sent.body.view() == kBatch.json);
        // No attempt copied the batch: each read the runner's text where it was.
        BOOST_TEST(static_cast<const void*>(sent.body.data()) == text);
    }
    // The fake transport keeps every request, so the text is still held there: the batch gets
    // a copy back, whole.
    BOOST_TEST(batch.json == kBatch.json);
    BOOST_TEST(batch.rows == kBatch.rows);
}

// Answers 201 and keeps nothing of the request but where its body was.
class ForgetfulTransport final : public jobsync::http::Transport {
  public:
    Response send(const jobsync::http::Request& request) override {
        bodies.push_back(request.body.data());
        return reply(201);
    }
    std::vector<const void*> bodies;
};

BOOST_AUTO_TEST_CASE(a_batch_lent_to_a_request_no_one_kept_comes_back_without_a_copy) {
    ForgetfulTransport transport;
    FakeRetryEnvironment fake;
    PostgrestStore store(transport, Harness::make_endpoint(SupabaseKeyKind::legacy_jwt),
                         RetryPolicy{}, fake.env());
    UpsertBatch batch = kBatch;
    const void* text = batch.json.data();
    BOOST_TEST(as_int(store.upsert(batch).failure) == as_int(Failure::none));
    BOOST_TEST(transport.bodies == (std::vector<const void*>{text}),
               boost::test_tools::per_element());
    BOOST_TEST(batch.json == kBatch.json);
    BOOST_TEST(static_cast<const void*>(batch.json.data()) == text);
}

BOOST_AUTO_TEST_CASE(a_refused_batch_is_given_back_whole_so_the_runner_can_split_it) {
    Harness h({reply(
        400, R"({"code":"22P02","message":"invalid input syntax","details":null,"hint":null})")});
    UpsertBatch batch = kBatch;
    const auto outcome = h.store.upsert(batch);
    BOOST_TEST(as_int(outcome.failure) != as_int(Failure::none));
    BOOST_TEST(as_int(outcome.problem) == as_int(BatchProblem::rows_refused));
    BOOST_TEST(batch.json == kBatch.json);
}

BOOST_AUTO_TEST_CASE(a_conflict_is_rejected_without_retrying) {
    Harness h(
        {reply(
             409,
             R"({"code":"23505","details":"Key (job_id)=(a) already exists.","hint":null,)"
             R"("message":"duplicate key value violates unique constraint \"jobs_job_id_key\""})"),
         reply(201)});
    const auto outcome = upsert(h.store);
    BOOST_TEST(as_int(outcome.failure) == as_int(Failure::rejected));
    BOOST_TEST(outcome.retries == 0);
    BOOST_TEST(h.transport.requests.size() == 1u);
    BOOST_TEST(outcome.message ==
               "upsert of 2 rows failed after 1 attempt(s): PostgREST 409 23505: duplicate key "
               "value violates unique constraint \"jobs_job_id_key\" (details: Key (job_id)=(a) "
               "already exists.)");
}

BOOST_AUTO_TEST_CASE(persistent_server_errors_fail_as_transient_after_three_attempts) {
    Harness h({reply(503)});
    const auto outcome = upsert(h.store);
    BOOST_TEST(as_int(outcome.failure) == as_int(Failure::transient));
    BOOST_TEST(outcome.retries == 2);
    BOOST_TEST(h.transport.requests.size() == 3u);
    BOOST_TEST(contains(outcome.message, "after 3 attempt(s)"));
}

BOOST_AUTO_TEST_CASE(transport_failures_are_retried) {
    Harness h({FakeTransport::failure(TransportError::connect_failed, "POST x: connection failed"),
               reply(201)});
    const auto outcome = upsert(h.store);
    BOOST_TEST(as_int(outcome.failure) == as_int(Failure::none));
    BOOST_TEST(outcome.retries == 1);
}

BOOST_AUTO_TEST_CASE(unauthorized_is_an_auth_failure_naming_the_key_setting_not_the_key) {
    Harness h({reply(401, R"({"message":"Invalid API key","hint":"Double check your key."})")});
    const auto outcome = upsert(h.store);
    BOOST_TEST(as_int(outcome.failure) == as_int(Failure::auth));
    BOOST_TEST(outcome.retries == 0);
    BOOST_TEST(contains(outcome.message, "SUPABASE_SERVICE_ROLE_KEY"));
    BOOST_TEST(!contains(outcome.message, kKey));
}

BOOST_AUTO_TEST_CASE(a_secret_key_is_sent_in_apikey_only) {
    Harness h({reply(201)}, SupabaseKeyKind::secret_key);
    upsert(h.store);
    BOOST_TEST_REQUIRE(h.transport.requests.size() == 1u);
    BOOST_TEST(
        jobsync::http::find_header(h.transport.requests.front().headers, "apikey").value_or("") ==
        kKey);
    BOOST_TEST(!jobsync::http::find_header(h.transport.requests.front().headers, "Authorization")
                    .has_value());
}

BOOST_AUTO_TEST_CASE(an_unexpected_success_status_is_a_bad_response) {
    Harness h({reply(204)});
    BOOST_TEST(as_int(upsert(h.store).failure) == as_int(Failure::bad_response));
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_FIXTURE_TEST_SUITE(client_sweep, CapturedLogs)

BOOST_AUTO_TEST_CASE(the_deactivated_count_is_the_exact_total) {
    Harness h({reply(204, "", {{"Content-Range", "0-41/42"}})});
    const auto outcome = h.store.deactivate_unseen(kRunStart, std::nullopt);
    BOOST_TEST(as_int(outcome.failure) == as_int(Failure::none));
    BOOST_TEST(outcome.deactivated == 42);
    BOOST_TEST_REQUIRE(h.transport.requests.size() == 1u);
    const auto& sent = h.transport.requests.front();
    BOOST_TEST(sent.method == "PATCH");
    BOOST_TEST(sent.url ==
               "http://127.0.0.1:54321/rest/v1/jobs?is_active=eq.true&"
               "or=%28last_seen.is.null%2Clast_seen.lt.%222024-05-01T10%3A00%3A00%2B00%3A00%22%29");
    BOOST_TEST(sent.body.view() == R"({"is_active":false})");
}

BOOST_AUTO_TEST_CASE(nothing_to_deactivate_counts_zero) {
    Harness h({reply(204, "", {{"content-range", "*/0"}})});
    const auto outcome = h.store.deactivate_unseen(kRunStart, std::nullopt);
    BOOST_TEST(as_int(outcome.failure) == as_int(Failure::none));
    BOOST_TEST(outcome.deactivated == 0);
    BOOST_TEST(outcome.message.empty());
}

BOOST_AUTO_TEST_CASE(without_a_total_the_range_length_is_the_count) {
    Harness h({reply(200, "[]", {{"Content-Range", "0-4/*"}})});
    BOOST_TEST(h.store.deactivate_unseen(kRunStart, std::nullopt).deactivated == 5);
}

BOOST_AUTO_TEST_CASE(a_missing_content_range_succeeds_with_a_note) {
    Harness h({reply(204)});
    const auto outcome = h.store.deactivate_unseen(kRunStart, std::nullopt);
    BOOST_TEST(as_int(outcome.failure) == as_int(Failure::none));
    BOOST_TEST(outcome.deactivated == 0);
    BOOST_TEST(contains(outcome.message, "Content-Range"));
}

BOOST_AUTO_TEST_CASE(the_sweep_is_retried_on_server_errors) {
    Harness h({reply(502), reply(204, "", {{"Content-Range", "0-2/3"}})});
    const auto outcome = h.store.deactivate_unseen(kRunStart, std::nullopt);
    BOOST_TEST(as_int(outcome.failure) == as_int(Failure::none));
    BOOST_TEST(outcome.retries == 1);
    BOOST_TEST(outcome.deactivated == 3);
}

BOOST_AUTO_TEST_CASE(a_refused_sweep_reports_the_cause) {
    Harness h({reply(400, R"({"code":"21000","details":null,"hint":null,)"
                          R"("message":"UPDATE requires a WHERE clause"})")});
    const auto outcome = h.store.deactivate_unseen(kRunStart, std::nullopt);
    BOOST_TEST(as_int(outcome.failure) == as_int(Failure::rejected));
    BOOST_TEST(outcome.deactivated == 0);
    BOOST_TEST(outcome.message ==
               "sweep failed after 1 attempt(s): PostgREST 400 21000: UPDATE requires a WHERE "
               "clause");
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_AUTO_TEST_SUITE(client_secrets)

// Whatever the server answers, even when it echoes the key back, neither the outcome message
// nor any log line contains the key.
BOOST_AUTO_TEST_CASE(the_key_never_appears_in_any_message_or_log_line) {
    const std::string echo = std::string("Bearer ") + kKey;
    const std::vector<Response> answers = {
        reply(401, R"({"message":"Invalid API key )" + std::string(kKey) + R"(","hint":null})"),
        reply(403, R"({"code":"42501","message":"permission denied","details":")" + echo +
                       R"(","hint":null})"),
        reply(401, R"({"code":"PGRST301","message":"Expected 3 parts in JWT; got 1",)"
                   R"("details":null,"hint":null})"),
        reply(400, "<html><title>" + std::string(kKey) + "</title></html>"),
        reply(500, "apikey: " + std::string(kKey)),
        reply(503, echo, {{"Retry-After", "1"}}),
        reply(404, ""),
        reply(302, kKey),
        FakeTransport::failure(TransportError::other, "failed near " + std::string(kKey)),
    };
    CapturedLogs logs;
    for (const auto& answer : answers) {
        for (auto kind : {SupabaseKeyKind::legacy_jwt, SupabaseKeyKind::secret_key}) {
            Harness upsert_harness({answer}, kind);
            const auto upserted = upsert(upsert_harness.store);
            BOOST_TEST(as_int(upserted.failure) != as_int(Failure::none));
            BOOST_TEST(!contains(upserted.message, kKey), upserted.message);
            BOOST_TEST(!contains(upserted.message, "c2VjcmV0"));

            Harness sweep_harness({answer}, kind);
            const auto swept = sweep_harness.store.deactivate_unseen(kRunStart, std::nullopt);
            BOOST_TEST(as_int(swept.failure) != as_int(Failure::none));
            BOOST_TEST(!contains(swept.message, kKey), swept.message);
        }
    }
    const auto lines = logs.lines();
    BOOST_TEST(!lines.empty());
    for (const auto& line : lines) BOOST_TEST(!contains(line, "c2VjcmV0"), line);
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_FIXTURE_TEST_SUITE(client_batch_problems, CapturedLogs)

BOOST_AUTO_TEST_CASE(a_check_violation_blames_the_rows_with_its_sqlstate_and_message) {
    Harness h({reply(
        400, R"({"code":"23514","message":"new row for relation \"jobs\" violates check )"
             R"(constraint \"no_spam\"","details":"Failing row contains ...","hint":null})")});
    const auto outcome = upsert(h.store);
    BOOST_TEST(as_int(outcome.failure) == as_int(Failure::rejected));
    BOOST_TEST(as_int(outcome.problem) == as_int(BatchProblem::rows_refused));
    BOOST_TEST(outcome.code == "23514");
    BOOST_TEST(contains(outcome.reason, "violates check constraint \"no_spam\""));
    BOOST_TEST(h.transport.requests.size() == 1u);  // a 4xx is never resent
}

BOOST_AUTO_TEST_CASE(a_statement_timeout_is_not_resent_at_the_same_size) {
    Harness h({reply(500, R"({"code":"57014","message":"canceling statement due to statement )"
                          R"(timeout","details":null,"hint":null})"),
               reply(201)});
    const auto outcome = upsert(h.store);
    BOOST_TEST(as_int(outcome.problem) == as_int(BatchProblem::statement_timeout));
    BOOST_TEST(outcome.code == "57014");
    BOOST_TEST(h.transport.requests.size() == 1u);
    BOOST_TEST(h.fake.sleeper.sleeps.empty());
}

BOOST_AUTO_TEST_CASE(a_413_from_a_proxy_asks_for_smaller_batches) {
    Harness h({reply(413, "<html><head><title>413 Request Entity Too Large</title></head></html>",
                     {{"Content-Type", "text/html"}})});
    const auto outcome = upsert(h.store);
    BOOST_TEST(as_int(outcome.problem) == as_int(BatchProblem::body_too_large));
    BOOST_TEST(outcome.code == "HTTP 413");
    BOOST_TEST(h.transport.requests.size() == 1u);
}

BOOST_AUTO_TEST_CASE(other_server_errors_are_still_retried_and_blame_nothing) {
    Harness h({reply(503, "", {}), reply(201)});
    const auto outcome = upsert(h.store);
    BOOST_TEST(as_int(outcome.failure) == as_int(Failure::none));
    BOOST_TEST(h.transport.requests.size() == 2u);
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_FIXTURE_TEST_SUITE(client_guarded_sweep, CapturedLogs)

BOOST_AUTO_TEST_CASE(pgrst124_means_more_rows_than_the_limit_and_nothing_changed) {
    Harness h({reply(400, R"({"code":"PGRST124","message":"Query result exceeds max-affected )"
                          R"(preference constraint","details":"The query affects 12 rows",)"
                          R"("hint":null})")});
    const auto outcome = h.store.deactivate_unseen(kRunStart, 10L);
    BOOST_TEST(outcome.limit_exceeded);
    BOOST_TEST(as_int(outcome.failure) == as_int(Failure::none));
    BOOST_TEST(outcome.deactivated == 0);
    BOOST_TEST_REQUIRE(h.transport.requests.size() == 1u);
    BOOST_TEST(jobsync::http::find_header(h.transport.requests[0].headers, "Prefer").value_or("") ==
               "return=minimal,count=exact,handling=strict,max-affected=10");
}

BOOST_AUTO_TEST_CASE(pgrst122_from_an_older_postgrest_resends_without_max_affected) {
    Harness h({reply(400, R"({"code":"PGRST122","message":"Invalid preferences given with )"
                          R"(handling=strict","details":"Invalid preferences: max-affected=10",)"
                          R"("hint":null})"),
               reply(204, "", {{"Content-Range", "0-2/3"}})});
    const auto outcome = h.store.deactivate_unseen(kRunStart, 10L);
    BOOST_TEST(as_int(outcome.failure) == as_int(Failure::none));
    BOOST_TEST(!outcome.limit_exceeded);
    BOOST_TEST(outcome.deactivated == 3);
    BOOST_TEST_REQUIRE(h.transport.requests.size() == 2u);
    BOOST_TEST(jobsync::http::find_header(h.transport.requests[1].headers, "Prefer").value_or("") ==
               "return=minimal,count=exact");
    BOOST_TEST(h.transport.requests[1].url == h.transport.requests[0].url);
}

BOOST_AUTO_TEST_CASE(counts_come_from_the_content_range_total) {
    Harness h({reply(200, "[]", {{"Content-Range", "*/57"}})});
    const auto outcome = h.store.count_active();
    BOOST_TEST(as_int(outcome.failure) == as_int(Failure::none));
    BOOST_TEST(outcome.count == 57);
    BOOST_TEST(h.transport.requests[0].url ==
               "http://127.0.0.1:54321/rest/v1/jobs?select=job_id&is_active=eq.true&limit=0");
}

BOOST_AUTO_TEST_CASE(a_count_without_a_total_is_a_bad_response_not_zero) {
    Harness h({reply(200, "[]", {{"Content-Range", "*/*"}})});
    const auto outcome = h.store.count_unseen(kRunStart);
    BOOST_TEST(as_int(outcome.failure) == as_int(Failure::bad_response));
}

BOOST_AUTO_TEST_CASE(touch_sums_the_rows_it_stamped) {
    Harness h({reply(204, "", {{"Content-Range", "0-1/2"}})});
    const auto outcome = h.store.touch({"a", "b", "c"}, kRunStart);
    BOOST_TEST(as_int(outcome.failure) == as_int(Failure::none));
    BOOST_TEST(outcome.affected == 2);
    BOOST_TEST(h.transport.requests[0].body.view() ==
               R"({"last_seen":"2024-05-01T10:00:00+00:00","is_active":true})");
}

BOOST_AUTO_TEST_SUITE_END()
