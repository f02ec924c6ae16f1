#include "postgrest/reader.hpp"

#include <spdlog/spdlog.h>

#include <utility>

#include "postgrest/read_request.hpp"
#include "postgrest/response.hpp"

namespace jobsync::postgrest {

PostgrestReader::PostgrestReader(http::Transport& transport, Endpoint endpoint,
                                 http::RetryPolicy policy, http::RetryEnvironment environment)
    : connection_(transport, std::move(endpoint), std::move(policy), std::move(environment)) {}

http::RetriedResponse PostgrestReader::get(std::string_view table, const http::QueryParams& params,
                                           std::string_view prefer) const {
    return send(build_read_request(connection_.endpoint, table, params, prefer), table);
}

http::RetriedResponse PostgrestReader::rpc(std::string_view function,
                                           std::string json_arguments) const {
    return send(build_rpc_request(connection_.endpoint, function, std::move(json_arguments)),
                function);
}

http::RetriedResponse PostgrestReader::send(const http::Request& request,
                                            std::string_view what) const {
    spdlog::debug("postgrest: {} {}", request.method, request.url);
    auto on_retry = [this, what](int attempt, const http::Response& response,
                                 std::chrono::milliseconds wait) {
        spdlog::warn("postgrest: reading {}: attempt {} failed ({}); retrying in {} ms", what,
                     attempt, connection_.scrub(describe_response(response)), wait.count());
    };
    return http::send_with_retry(connection_.transport, request, connection_.policy,
                                 connection_.environment, on_retry);
}

}  // namespace jobsync::postgrest
