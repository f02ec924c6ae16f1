// The validated configuration of one run, and the one home of every default. Built by
// config/config.cpp from the command line, the environment and an optional .env file;
// everything else only reads it.
#pragma once

#include <chrono>
#include <cstddef>
#include <optional>
#include <ostream>
#include <string>
#include <vector>

#include "http/transport.hpp"
#include "jsearch/request.hpp"
#include "logging/log_format.hpp"
#include "ports/credentials.hpp"
#include "ports/ports.hpp"

namespace jobsync::config {

struct Settings {
    std::string supabase_url;  // https://<ref>.supabase.co, no trailing slash
    Secret supabase_key;       // SUPABASE_SERVICE_ROLE_KEY
    SupabaseKeyKind supabase_key_kind = SupabaseKeyKind::legacy_jwt;
    std::string jobs_table = "jobs";

    Secret jsearch_api_key;  // JSEARCH_API_KEY
    std::string jsearch_base_url{jsearch::kDefaultBaseUrl};
    std::string jsearch_host{jsearch::kDefaultHost};

    std::vector<sync::SearchQuery> queries;
    std::size_t batch_size = sync::kDefaultBatchRows;
    std::size_t max_batch_bytes =
        std::size_t{1024} * 1024;  // a batch is cut before its JSON passes this
    int http_timeout_seconds = static_cast<int>(http::kDefaultTimeout.count());
    // JSearch requests in flight, and their rate. RapidAPI limits each plan per second (and
    // per month); 5 a second stays under the lowest per-second limits seen (README).
    int concurrency = 4;
    double max_rps = 5.0;
    int upsert_concurrency = 2;  // upsert workers; one more batch may wait for them

    std::string run_id;                 // empty: the app generates one
    int lease_seconds = 900;            // the run's lease in job_sync_runs
    double max_deactivate_share = 0.5;  // the mass-deactivation guard; >= 1: off
    bool sweep = true;                  // false: --no-sweep
    // Bounds of one run (issue 7): past the deadline nothing new starts and the sweep is
    // skipped; max_requests caps what JSearch bills; a response body over the cap is refused.
    std::chrono::seconds deadline{std::chrono::minutes(30)};
    std::optional<long> max_requests;
    std::size_t max_response_bytes = std::size_t{64} * 1024 * 1024;
    std::string ca_file;  // extra CA certificates (PEM) to trust; "" = the system's only
    int shard = 0;        // --shard I/N or --shards N: this worker's share
    int shard_count = 1;  // 1: not sharded

    std::string log_level = "info";
    logging::LogFormat log_format = logging::LogFormat::text;

    std::string report_file;   // --report; empty: none
    std::string metrics_file;  // --metrics-file; empty: none

    bool dry_run = false;        // sync --dry-run
    bool check_jsearch = false;  // check --jsearch: spend one JSearch request
    int status_limit = 10;       // status --limit
    bool status_json = false;    // status --format json
};

}  // namespace jobsync::config
