// The benchmark's feed: N realistic generated jobs spread over queries the way a real run
// spreads them. JSearch serves at most 50 pages of 10 jobs to a query, so a feed of N jobs is
// ceil(N / 500) queries of up to 500 jobs, each fetched in requests of 10 pages.
#pragma once

#include <string>
#include <vector>

namespace jobsync::bench {

inline constexpr int kJobsPerPage = 10;
inline constexpr int kMaxPagesPerQuery = 50;  // JSearch's `page` is 1..50
inline constexpr int kPagesPerRequest = 10;   // job-sync's default --pages-per-request

struct FeedPlan {
    int jobs = 0;
    int queries = 0;
    int pages_per_query = 0;  // what job-sync is given as --pages
    int requests = 0;         // what job-sync sends: requests per query times queries

    int jobs_of_query(int query) const;
};

FeedPlan plan_feed(int jobs);

// "bench query 0007": distinct texts, so every query has a feed of its own.
std::string query_text(int query);

// The jobs JSearch holds for one query (JSON texts, realistic sizes, unique ids).
std::vector<std::string> query_jobs(const FeedPlan& plan, int query);

// The /search response bodies job-sync receives for one query, request by request, built by
// the same code the stand-in answers with.
std::vector<std::string> response_bodies(const FeedPlan& plan, int query,
                                         const std::vector<std::string>& jobs);

}  // namespace jobsync::bench
