#include "postgrest/retry_rule.hpp"

#include "http/retry.hpp"
#include "postgrest/response.hpp"
#include "text/strings.hpp"

namespace jobsync::postgrest {

bool is_transient_code(std::string_view code) {
    if (code == "40001" || code == "40P01" || code == "57P01") return true;
    if (text::starts_with(code, "08") || text::starts_with(code, "53")) return true;
    return code == "PGRST000" || code == "PGRST001" || code == "PGRST002" || code == "PGRST003";
}

bool is_retryable(const http::Response& response) {
    if (response.transport_failed()) return http::is_retryable(response);
    const int status = response.status;
    if (status == 408 || status == 429 || (status >= 502 && status <= 504)) return true;
    if (status < 500 || status > 599) return false;
    const auto error = parse_error_body(response.body);
    const std::string code = error ? error->code : std::string();
    if (code.empty()) return true;  // not PostgreSQL's answer: a proxy or gateway hiccup
    return is_transient_code(code);
}

}  // namespace jobsync::postgrest
