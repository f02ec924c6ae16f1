#include "postgrest/reader.hpp"

#include <spdlog/spdlog.h>

#include <utility>

#include "logging/redact.hpp"
#include "postgrest/read_request.hpp"
#include "postgrest/response.hpp"

namespace jobsync::postgrest {

PostgrestReader::PostgrestReader(http::Transport& transport, Endpoint endpoint,
                                 http::RetryPolicy policy, http::RetryEnvironment environment)
    : transport_(transport),
      endpoint_(std::move(endpoint)),
      policy_(policy),
      environment_(environment) {}

http::RetriedResponse PostgrestReader::get(std::string_view table, const http::QueryParams& params,
                                           std::string_view prefer) const {
    return send(build_read_request(endpoint_, table, params, prefer), table);
}

http::RetriedResponse PostgrestReader::rpc(std::string_view function,
                                           std::string json_arguments) const {
    return send(build_rpc_request(endpoint_, function, std::move(json_arguments)), function);
}

http::RetriedResponse PostgrestReader::send(const http::Request& request,
                                            std::string_view what) const {
    spdlog::debug("postgrest: {} {}", request.method, request.url);
    auto on_retry = [this, what](int attempt, const http::Response& response,
                                 std::chrono::milliseconds wait) {
        spdlog::warn("postgrest: reading {}: attempt {} failed ({}); retrying in {} ms", what,
                     attempt, scrub(describe_response(response)), wait.count());
    };
    return http::send_with_retry(transport_, request, policy_, environment_, on_retry);
}

std::string PostgrestReader::scrub(std::string message) const {
    return logging::redact_value(std::move(message), endpoint_.key.reveal());
}

}  // namespace jobsync::postgrest
