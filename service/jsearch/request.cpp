#include "jsearch/request.hpp"

#include <algorithm>

#include "http/url.hpp"

namespace jobsync::jsearch {

std::vector<PageRange> plan_requests(const sync::SearchQuery& query) {
    std::vector<PageRange> ranges;
    const int chunk = std::clamp(query.pages_per_request, 1, kMaxPagesPerRequest);
    for (int page = std::max(query.first_page, 1); page <= query.pages; page += chunk) {
        ranges.push_back({page, std::min(chunk, query.pages - page + 1)});
    }
    return ranges;
}

int billed_units(int num_pages) {
    if (num_pages <= 1) return 1;
    if (num_pages <= 10) return 2;
    return 3;
}

http::Request build_search_request(const Connection& connection, const sync::SearchQuery& query,
                                   const PageRange& range) {
    http::QueryParams params = {
        {"query", query.text},
        {"page", std::to_string(range.page)},
        {"num_pages", std::to_string(range.num_pages)},
    };
    if (!query.country.empty()) params.emplace_back("country", query.country);
    if (!query.date_posted.empty()) params.emplace_back("date_posted", query.date_posted);
    if (!query.employment_types.empty()) {
        params.emplace_back("employment_types", query.employment_types);
    }
    if (query.remote_only) params.emplace_back("work_from_home", "true");

    http::Request request;
    request.method = "GET";
    request.url = http::build_url(connection.base_url, "/search", params);
    request.headers = {
        {"X-RapidAPI-Key", connection.api_key.reveal()},
        {"X-RapidAPI-Host", connection.host},
        {"Accept", "application/json"},
    };
    request.timeout = connection.timeout;
    return request;
}

long planned_billed_requests(const std::vector<sync::SearchQuery>& queries) {
    long total = 0;
    for (const auto& query : queries) {
        for (const auto& range : plan_requests(query)) total += billed_units(range.num_pages);
    }
    return total;
}

}  // namespace jobsync::jsearch
