#include "standins/jsearch/jsearch_standin.hpp"

#include <algorithm>
#include <deque>
#include <map>
#include <mutex>
#include <optional>
#include <random>
#include <stdexcept>
#include <thread>

#include "standins/jsearch/responses.hpp"
#include "standins/jsearch/search_params.hpp"
#include "support/form_decoding.hpp"
#include "text/strings.hpp"

namespace jobsync::testing {

namespace {

constexpr int jobs_per_page = 10;
constexpr const char* invalid_key_message =
    "Invalid API key. Go to https://docs.rapidapi.com/docs/keys for more info.";
constexpr const char* not_subscribed_message = "You are not subscribed to this API.";
constexpr const char* quota_message =
    "You have exceeded the MONTHLY quota for Requests on your current plan, BASIC. Upgrade "
    "your plan at https://rapidapi.com/letscrape-6bRBa3QguO5/api/jsearch";
// Seconds until the monthly quota resets; a fixed value is enough for clients to log.
constexpr const char* quota_reset_seconds = "2592000";

Reply json_reply(int status, std::string body, http::Headers extra = {}) {
    http::Headers headers{{"Content-Type", "application/json"}};
    headers.insert(headers.end(), extra.begin(), extra.end());
    return Reply{status, std::move(headers), std::move(body)};
}

Reply scripted_reply(ScriptedReply scripted) {
    if (!scripted.body.empty() && !http::find_header(scripted.headers, "Content-Type")) {
        auto first = scripted.body.find_first_not_of(" \t\r\n");
        bool html = first != std::string::npos && scripted.body[first] == '<';
        scripted.headers.emplace_back("Content-Type",
                                      html ? "text/html; charset=utf-8" : "application/json");
    }
    return Reply{scripted.status, std::move(scripted.headers), std::move(scripted.body)};
}

void require_json(const std::vector<std::string>& jobs) {
    for (const auto& job : jobs) {
        if (!jsearch::is_json(job))
            throw std::invalid_argument("JsearchStandin: a job is not valid JSON: " +
                                        job.substr(0, 80));
    }
}

}  // namespace

struct JsearchStandin::State {
    mutable std::mutex mutex;
    std::map<std::string, std::vector<std::string>> feeds;
    std::vector<std::string> default_feed;
    std::deque<ScriptedReply> scripts;
    std::chrono::milliseconds latency{0};
    std::chrono::milliseconds latency_spread{0};  // random extra latency, up to this
    std::map<std::string, std::chrono::milliseconds> query_latency;  // extra, by query text
    std::mt19937 random{0};
    long remaining = 0;
};

JsearchStandin::JsearchStandin(JsearchStandinOptions options)
    : options_(std::move(options)), state_(std::make_unique<State>()) {
    state_->remaining = options_.quota;
    server_ = std::make_unique<LoopbackServer>(
        [this](const RecordedRequest& request) { return handle(request); }, options_.port,
        options_.tls);
}

JsearchStandin::~JsearchStandin() = default;

std::string JsearchStandin::base_url() const { return server_->base_url(); }

void JsearchStandin::set_jobs(const std::string& query, std::vector<std::string> jobs) {
    require_json(jobs);
    std::lock_guard lock(state_->mutex);
    state_->feeds[query] = std::move(jobs);
}

void JsearchStandin::set_default_jobs(std::vector<std::string> jobs) {
    require_json(jobs);
    std::lock_guard lock(state_->mutex);
    state_->default_feed = std::move(jobs);
}

void JsearchStandin::script(ScriptedReply reply) {
    std::lock_guard lock(state_->mutex);
    state_->scripts.push_back(std::move(reply));
}

void JsearchStandin::set_latency(std::chrono::milliseconds latency) {
    std::lock_guard lock(state_->mutex);
    state_->latency = latency;
}

void JsearchStandin::set_query_latency(const std::string& query,
                                       std::chrono::milliseconds latency) {
    std::lock_guard lock(state_->mutex);
    state_->query_latency[query] = latency;
}

void JsearchStandin::set_random_latency(std::chrono::milliseconds low,
                                        std::chrono::milliseconds high, unsigned seed) {
    std::lock_guard lock(state_->mutex);
    state_->latency = low;
    state_->latency_spread = std::max(high - low, std::chrono::milliseconds(0));
    state_->random.seed(seed);
}

std::vector<RecordedRequest> JsearchStandin::requests() const { return server_->requests(); }

long JsearchStandin::quota_remaining() const {
    std::lock_guard lock(state_->mutex);
    return state_->remaining;
}

Reply JsearchStandin::handle(const RecordedRequest& request) {
    const auto params = parse_form_pairs(request.raw_query);
    const std::string query = jsearch::find_param(params, "query").value_or("");

    std::optional<ScriptedReply> scripted;
    std::chrono::milliseconds latency;
    {
        std::lock_guard lock(state_->mutex);
        latency = state_->latency;
        if (state_->latency_spread.count() > 0) {
            std::uniform_int_distribution<long> extra(0, state_->latency_spread.count());
            latency += std::chrono::milliseconds(extra(state_->random));
        }
        if (auto slow = state_->query_latency.find(query); slow != state_->query_latency.end()) {
            latency += slow->second;
        }
        auto& scripts = state_->scripts;
        auto match = std::find_if(scripts.begin(), scripts.end(), [&](const ScriptedReply& s) {
            return s.query.empty() || s.query == query;
        });
        if (match != scripts.end()) {
            scripted = std::move(*match);
            scripts.erase(match);
        }
    }
    if (latency.count() > 0) std::this_thread::sleep_for(latency);
    if (scripted) return scripted_reply(std::move(*scripted));

    // RapidAPI's gateway: routing, key, host, quota. None of these refusals is billed.
    if (request.path != "/search" || request.method != "GET") {
        return json_reply(
            404, jsearch::rapidapi_message("Endpoint '" + request.path + "' does not exist"));
    }
    auto key = request.header("X-RapidAPI-Key");
    if (!key || key->empty())
        return json_reply(401, jsearch::rapidapi_message(invalid_key_message));
    if (*key != options_.api_key)
        return json_reply(403, jsearch::rapidapi_message(not_subscribed_message));
    auto host = request.header("X-RapidAPI-Host");
    if (!host || host->empty()) {
        return json_reply(400, jsearch::rapidapi_message(
                                   "Missing X-RapidAPI-Host header. Set it to the API's host, "
                                   "e.g. " +
                                   options_.host + "."));
    }
    if (!text::equals_ignoring_case(*host, options_.host))
        return json_reply(403, jsearch::rapidapi_message(not_subscribed_message));

    // A bad request still reaches JSearch, and RapidAPI bills it as one call.
    const auto parse = jsearch::parse_search_params(params);
    const long cost = parse.params ? jsearch::billed_units(params) : 1;
    long remaining;
    bool refused = false;
    {
        std::lock_guard lock(state_->mutex);
        refused = state_->remaining < cost;
        if (!refused) state_->remaining -= cost;
        remaining = state_->remaining;
    }
    http::Headers quota_headers{
        {"x-ratelimit-requests-limit", std::to_string(options_.quota)},
        {"x-ratelimit-requests-remaining", std::to_string(remaining)},
        {"x-ratelimit-requests-reset", quota_reset_seconds},
    };
    if (refused) return json_reply(429, jsearch::rapidapi_message(quota_message), quota_headers);

    // JSearch itself.
    const std::string request_id = jsearch::make_request_id();
    if (!parse.params) {
        return json_reply(400, jsearch::error_body(request_id, parse.error, 400), quota_headers);
    }
    const auto& search = *parse.params;
    std::vector<std::string> page_jobs;
    {
        std::lock_guard lock(state_->mutex);
        auto feed = state_->feeds.find(search.query);
        const auto& jobs = feed != state_->feeds.end() ? feed->second : state_->default_feed;
        const std::size_t first = static_cast<std::size_t>(search.page - 1) * jobs_per_page;
        const std::size_t last = first + static_cast<std::size_t>(search.num_pages) * jobs_per_page;
        for (std::size_t i = first; i < last && i < jobs.size(); ++i) page_jobs.push_back(jobs[i]);
    }
    return json_reply(200, jsearch::search_body(request_id, search, page_jobs), quota_headers);
}

}  // namespace jobsync::testing
