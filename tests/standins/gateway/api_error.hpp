// A PostgREST-shaped failure: the HTTP status plus the four fields of its JSON error body
// (notes 4.1). Thrown by the request parsers and turned into a reply in one place.
#pragma once

#include <optional>
#include <stdexcept>
#include <string>

namespace jobsync::testing::gateway {

struct ApiError : std::runtime_error {
    ApiError(int status, std::string code, std::string message,
             std::optional<std::string> details = std::nullopt,
             std::optional<std::string> hint = std::nullopt)
        : std::runtime_error(message),
          status(status),
          code(std::move(code)),
          message(std::move(message)),
          details(std::move(details)),
          hint(std::move(hint)) {}

    int status;
    std::string code;
    std::string message;
    std::optional<std::string> details;
    std::optional<std::string> hint;
};

// PGRST100: a query parameter PostgREST's grammar rejects.
inline ApiError query_param_error(const std::string& message, const std::string& details) {
    return ApiError(400, "PGRST100", message, details);
}

}  // namespace jobsync::testing::gateway
