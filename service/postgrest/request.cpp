#include "postgrest/request.hpp"

#include <utility>

#include "http/url.hpp"
#include "jobs/job_row.hpp"

namespace jobsync::postgrest {

namespace {

// Column names are plain identifiers; the commas stay literal so logged URLs stay readable
// (PostgREST splits the decoded value, so "%2C" would mean the same).
std::string sync_column_list() {
    std::string list;
    for (std::string_view column : jobs::kSyncColumns) {
        if (!list.empty()) list.push_back(',');
        list += http::percent_encode(column);
    }
    return list;
}

http::Request write_request(const Endpoint& endpoint, std::string method, std::string url,
                            std::string body, std::string_view prefer) {
    http::Request request;
    request.method = std::move(method);
    request.url = std::move(url);
    request.headers = auth_headers(endpoint);
    request.headers.emplace_back("Content-Type", "application/json");
    request.headers.emplace_back("Prefer", std::string(prefer));
    request.body = std::move(body);
    request.timeout = endpoint.timeout;
    return request;
}

}  // namespace

http::Headers auth_headers(const Endpoint& endpoint) {
    http::Headers headers;
    headers.emplace_back("apikey", endpoint.key.reveal());
    if (endpoint.kind == config::SupabaseKeyKind::legacy_jwt) {
        headers.emplace_back("Authorization", "Bearer " + endpoint.key.reveal());
    }
    return headers;
}

std::string table_url(const Endpoint& endpoint) {
    return http::build_url(endpoint.base_url, "/rest/v1/" + http::percent_encode(endpoint.table));
}

http::Request build_upsert_request(const Endpoint& endpoint, std::string batch_json) {
    std::string url = table_url(endpoint) + "?on_conflict=job_id&columns=" + sync_column_list();
    return write_request(endpoint, "POST", std::move(url), std::move(batch_json),
                         "resolution=merge-duplicates,return=minimal");
}

http::Request build_sweep_request(const Endpoint& endpoint, std::string_view run_started_at) {
    const http::QueryParams filters = {
        {"is_active", "eq.true"},
        {"last_seen", "lt." + std::string(run_started_at)},
    };
    std::string url = table_url(endpoint) + "?" + http::build_query(filters);
    return write_request(endpoint, "PATCH", std::move(url), R"({"is_active":false})",
                         "return=minimal,count=exact");
}

}  // namespace jobsync::postgrest
