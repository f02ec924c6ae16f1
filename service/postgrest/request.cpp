#include "postgrest/request.hpp"

#include <algorithm>
#include <utility>

#include "http/url.hpp"
#include "jobs/job_row.hpp"
#include "jobs/json_writer.hpp"

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
                            http::Body body, std::string_view prefer) {
    http::Request request;
    request.method = std::move(method);
    request.url = std::move(url);
    request.headers = auth_headers(endpoint);
    request.headers.emplace_back("Content-Type", "application/json");
    request.headers.emplace_back("Prefer", std::string(prefer));
    request.body = std::move(body);
    request.timeout = endpoint.timeout;
    request.max_body_bytes = endpoint.max_body_bytes;
    return request;
}

}  // namespace

http::Headers auth_headers(const Endpoint& endpoint) {
    http::Headers headers;
    headers.emplace_back("apikey", endpoint.key.reveal());
    if (endpoint.kind == SupabaseKeyKind::legacy_jwt) {
        headers.emplace_back("Authorization", "Bearer " + endpoint.key.reveal());
    }
    return headers;
}

std::string table_url(const Endpoint& endpoint) {
    return http::build_url(endpoint.base_url, "/rest/v1/" + http::percent_encode(endpoint.table));
}

http::Request build_upsert_request(const Endpoint& endpoint, http::Body batch_json) {
    std::string url = table_url(endpoint) + "?on_conflict=job_id&columns=" + sync_column_list();
    return write_request(endpoint, "POST", std::move(url), std::move(batch_json),
                         "resolution=merge-duplicates,return=minimal");
}

http::QueryParams sweep_filter(std::string_view run_started_at) {
    return {
        {"is_active", "eq.true"},
        {"or", "(last_seen.is.null,last_seen.lt." + quoted(run_started_at) + ")"},
    };
}

http::Request build_sweep_request(const Endpoint& endpoint, std::string_view run_started_at,
                                  std::optional<long> max_affected) {
    std::string url = table_url(endpoint) + "?" + http::build_query(sweep_filter(run_started_at));
    std::string prefer = "return=minimal,count=exact";
    if (max_affected) {
        prefer += ",handling=strict,max-affected=" + std::to_string(std::max(0L, *max_affected));
    }
    return write_request(endpoint, "PATCH", std::move(url), R"({"is_active":false})", prefer);
}

http::Request build_count_request(const Endpoint& endpoint, const http::QueryParams& filters) {
    http::QueryParams params{{"select", "job_id"}};
    params.insert(params.end(), filters.begin(), filters.end());
    params.emplace_back("limit", "0");
    http::Request request;
    request.method = "GET";
    request.url = table_url(endpoint) + "?" + http::build_query(params);
    request.headers = auth_headers(endpoint);
    request.headers.emplace_back("Prefer", "count=exact");
    request.timeout = endpoint.timeout;
    return request;
}

std::vector<http::Request> build_touch_requests(const Endpoint& endpoint,
                                                const std::vector<std::string>& job_ids,
                                                std::string_view last_seen,
                                                std::size_t max_url_bytes) {
    std::string body = "{\"last_seen\":";
    jobs::append_json_string(body, last_seen);
    body += ",\"is_active\":true}";
    const std::string prefix = table_url(endpoint) + "?job_id=";
    std::vector<http::Request> requests;
    std::string list;  // encoded ids, joined by an encoded ','
    auto flush = [&] {
        if (list.empty()) return;
        std::string url = prefix + http::percent_encode("in.(") + list + http::percent_encode(")");
        requests.push_back(
            write_request(endpoint, "PATCH", std::move(url), body, "return=minimal,count=exact"));
        list.clear();
    };
    for (const auto& id : job_ids) {
        const std::string item = http::percent_encode(quoted(id));
        const std::size_t length = prefix.size() + 12 + list.size() + 3 + item.size();
        if (!list.empty() && length > max_url_bytes) flush();
        if (!list.empty()) list += "%2C";
        list += item;
    }
    flush();
    return requests;
}

http::Request build_rpc_request(const Endpoint& endpoint, std::string_view function,
                                std::string json_arguments) {
    std::string url =
        http::build_url(endpoint.base_url, "/rest/v1/rpc/" + http::percent_encode(function));
    http::Request request;
    request.method = "POST";
    request.url = std::move(url);
    request.headers = auth_headers(endpoint);
    request.headers.emplace_back("Content-Type", "application/json");
    request.body = std::move(json_arguments);
    request.timeout = endpoint.timeout;
    return request;
}

std::string quoted(std::string_view value) {
    std::string out = "\"";
    for (char c : value) {
        if (c == '"' || c == '\\') out.push_back('\\');
        out.push_back(c);
    }
    out.push_back('"');
    return out;
}

}  // namespace jobsync::postgrest
