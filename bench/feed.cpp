#include "feed.hpp"

#include <algorithm>
#include <cstddef>
#include <cstdio>

#include "standins/jsearch/jsearch_standin.hpp"
#include "standins/jsearch/responses.hpp"

namespace jobsync::bench {

namespace {

constexpr int kJobsPerQuery = kJobsPerPage * kMaxPagesPerQuery;

int ceil_div(int a, int b) { return (a + b - 1) / b; }

}  // namespace

int FeedPlan::jobs_of_query(int query) const {
    return std::min(kJobsPerQuery, jobs - query * kJobsPerQuery);
}

FeedPlan plan_feed(int jobs) {
    FeedPlan plan;
    plan.jobs = std::max(jobs, 1);
    plan.queries = ceil_div(plan.jobs, kJobsPerQuery);
    plan.pages_per_query = ceil_div(std::min(plan.jobs, kJobsPerQuery), kJobsPerPage);
    for (int query = 0; query < plan.queries; ++query) {
        // A query stops at its first short page, so a shorter last query asks for fewer pages.
        const int pages =
            std::min(plan.pages_per_query, plan.jobs_of_query(query) / kJobsPerPage + 1);
        plan.requests += ceil_div(pages, kPagesPerRequest);
    }
    return plan;
}

std::string query_text(int query) {
    char text[32];
    std::snprintf(text, sizeof text, "bench query %04d", query);
    return text;
}

std::vector<std::string> query_jobs(const FeedPlan& plan, int query) {
    return testing::generate_jobs(plan.jobs_of_query(query), query_text(query),
                                  testing::JobSizes::realistic);
}

std::vector<std::string> response_bodies(const FeedPlan& plan, int query,
                                         const std::vector<std::string>& jobs) {
    std::vector<std::string> bodies;
    for (int page = 1; page <= plan.pages_per_query; page += kPagesPerRequest) {
        testing::jsearch::SearchParams params;
        params.query = query_text(query);
        params.page = page;
        params.num_pages = std::min(kPagesPerRequest, plan.pages_per_query - page + 1);
        params.language = "en";
        const std::size_t first = static_cast<std::size_t>(page - 1) * kJobsPerPage;
        if (first > jobs.size()) break;
        const std::size_t last = std::min(
            jobs.size(), first + static_cast<std::size_t>(params.num_pages) * kJobsPerPage);
        const std::vector<std::string> slice(jobs.begin() + static_cast<std::ptrdiff_t>(first),
                                             jobs.begin() + static_cast<std::ptrdiff_t>(last));
        bodies.push_back(
            testing::jsearch::search_body(testing::jsearch::make_request_id(), params, slice));
        if (last - first < static_cast<std::size_t>(params.num_pages) * kJobsPerPage) break;
    }
    return bodies;
}

}  // namespace jobsync::bench
