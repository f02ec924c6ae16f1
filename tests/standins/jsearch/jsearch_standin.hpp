// A JSearch stand-in: a real HTTP server on loopback that answers GET /search the way JSearch
// behind RapidAPI does (see shared/jsearch-notes.md), from a feed of real recorded or generated
// jobs. It enforces RapidAPI's headers and quota, records every request, and serves scripted
// faults, so tests can assert exactly what a client sent and how it copes.
//
// Choices where the notes leave the real behaviour open (kept here so tests can rely on them):
// - Checks run in this order: unknown path or method (404), X-RapidAPI-Key missing (401) or
//   wrong (403 "not subscribed"), X-RapidAPI-Host missing (400) or naming another API (403
//   "not subscribed": the key is not subscribed to that API), quota (429), parameters (400).
// - A request whose cost exceeds the remaining quota is refused with 429; the quota never goes
//   negative. Gateway refusals (401/403/404/429) cost nothing; a 400 for bad parameters costs 1.
// - Optional parameters with an empty value count as not sent. Unknown parameters are ignored.
//   Filters (date_posted, employment_types, work_from_home, ...) are validated and echoed but
//   not applied: the feed is what Google would have returned for them. `fields` is applied.
// - Scripted replies bypass every check and cost nothing; a missing Content-Type is guessed
//   (text/html for a body starting with '<', application/json otherwise).
#pragma once

#include <chrono>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "http/transport.hpp"
#include "support/loopback_server.hpp"

namespace jobsync::testing {

struct JsearchStandinOptions {
    std::string api_key = "local-jsearch-key";    // the only key accepted
    std::string host = "jsearch.p.rapidapi.com";  // expected X-RapidAPI-Host
    int port = 0;                                 // 0 picks a free port
    long quota = 1000;                            // requests left; x-ratelimit-requests-remaining
    std::optional<TlsFiles> tls;                  // serve HTTPS with this certificate
};

// One scripted fault, consumed by the next matching request.
struct ScriptedReply {
    int status = 503;
    http::Headers headers;  // e.g. {"Retry-After", "2"}
    std::string body;       // e.g. an HTML page, truncated JSON, RapidAPI JSON
    std::string query;      // only for this query text ("" = any)
};

class JsearchStandin {
  public:
    explicit JsearchStandin(JsearchStandinOptions options = {});
    ~JsearchStandin();
    JsearchStandin(const JsearchStandin&) = delete;
    JsearchStandin& operator=(const JsearchStandin&) = delete;

    std::string base_url() const;  // JSEARCH_BASE_URL, "http://127.0.0.1:<port>" (or https)

    // The feed: job objects (JSON texts) served for a query, 10 a page, in order.
    void set_jobs(const std::string& query, std::vector<std::string> jobs);
    void set_default_jobs(std::vector<std::string> jobs);  // for queries without their own feed
    void script(ScriptedReply reply);                      // queued, FIFO
    void set_latency(std::chrono::milliseconds latency);   // before every reply
    // A latency drawn anew for every reply, uniformly from [low, high], from a seeded engine:
    // answers to concurrent requests then come back in an order no client can count on.
    void set_random_latency(std::chrono::milliseconds low, std::chrono::milliseconds high,
                            unsigned seed);
    // Added to the latency for one query's requests: its answers come after other queries'.
    void set_query_latency(const std::string& query, std::chrono::milliseconds latency);

    std::vector<RecordedRequest> requests() const;
    long quota_remaining() const;

  private:
    struct State;
    Reply handle(const RecordedRequest& request);

    JsearchStandinOptions options_;
    std::unique_ptr<State> state_;
    std::unique_ptr<LoopbackServer> server_;  // declared last: stops before the state goes
};

// The `data` array of a recorded /search response (or a bare job object file) as JSON texts.
std::vector<std::string> load_fixture_jobs(const std::string& path);

// All jobs of every *.json fixture in `dir`, in file-name order.
std::vector<std::string> load_all_fixture_jobs(const std::string& dir = JOBSYNC_FIXTURES_DIR);

// How much text a generated job carries. `compact` (about 1.5 KB a job) keeps the tests' feeds
// small; `realistic` draws description lengths, apply options and highlights from the recorded
// jobs' sizes (about 8 KB a job, descriptions of 0.3-10 KB, like ../shared/fixtures/jsearch/real/),
// for the benchmark. Ids and every other field are the same in both.
enum class JobSizes { compact, realistic };

// `count` synthetic jobs in the 2025 schema with unique job_ids derived from `seed` and
// realistic field types (some nulls, float salaries, missing job_salary key, full state names).
// The same seed gives the same jobs.
std::vector<std::string> generate_jobs(int count, const std::string& seed,
                                       JobSizes sizes = JobSizes::compact);

}  // namespace jobsync::testing
