// JSearch /search requests (pure): which pages to ask for in which requests, what each costs,
// and the exact HTTP request.
#pragma once

#include <chrono>
#include <string>
#include <string_view>
#include <vector>

#include "http/transport.hpp"
#include "ports/credentials.hpp"
#include "ports/ports.hpp"

namespace jobsync::jsearch {

// JSearch on RapidAPI (JSEARCH_BASE_URL, JSEARCH_HOST).
inline constexpr std::string_view kDefaultBaseUrl = "https://jsearch.p.rapidapi.com";
inline constexpr std::string_view kDefaultHost = "jsearch.p.rapidapi.com";

// Where and how to reach JSearch; the key is a Secret so it cannot be logged by accident.
struct Connection {
    std::string base_url{kDefaultBaseUrl};
    std::string host{kDefaultHost};  // X-RapidAPI-Host
    Secret api_key;                  // X-RapidAPI-Key
    std::chrono::milliseconds timeout{http::kDefaultTimeout};
};

// One request: `num_pages` pages starting at `page` (1-based).
struct PageRange {
    int page = 1;
    int num_pages = 1;
    bool operator==(const PageRange& other) const {
        return page == other.page && num_pages == other.num_pages;
    }
};

// JSearch's limit on num_pages (OAS v1.5.0).
inline constexpr int kMaxPagesPerRequest = 50;
inline constexpr int kJobsPerPage = 10;

// The requests for pages `query.first_page`..`query.pages` in chunks of
// `query.pages_per_request` (clamped to 1..50): pages=25, per_request=10 -> (1,10), (11,10),
// (21,5); with first_page=11 -> (11,10), (21,5). No requests when pages < first_page.
std::vector<PageRange> plan_requests(const sync::SearchQuery& query);

// What JSearch bills for one request: 1 for num_pages 1, 2 for 2..10, 3 for 11..50.
int billed_units(int num_pages);

// What a run's plan bills when every page is fetched and nothing is retried: the most it costs
// unless answers fail (a query stops early at a short page, so it often costs less).
long planned_billed_requests(const std::vector<sync::SearchQuery>& queries);

// GET {base}/search?query=..&page=..&num_pages=..[&country=..][&date_posted=..]
// [&employment_types=..][&work_from_home=true], with the RapidAPI headers.
http::Request build_search_request(const Connection& connection, const sync::SearchQuery& query,
                                   const PageRange& range);

}  // namespace jobsync::jsearch
