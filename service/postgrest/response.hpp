// PostgREST response reading (pure): Content-Range counts, error bodies turned into one
// readable line, and failures classified for the sync runner.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "http/transport.hpp"
#include "ports/ports.hpp"

namespace jobsync::postgrest {

// "0-9/10", "*/0", "*/*", "0-0/*".
struct ContentRange {
    std::optional<long> first;  // absent for "*"
    std::optional<long> last;
    std::optional<long> total;  // absent for "/*" (no count requested)

    long length() const { return first && last ? *last - *first + 1 : 0; }
};

std::optional<ContentRange> parse_content_range(std::string_view value);

// Rows a write affected: the exact total when the server counted, else the range length.
long affected_rows(const ContentRange& range);

// PostgREST's {code, message, details, hint}, or the gateway's {message, hint}.
struct ErrorBody {
    std::string code;  // SQLSTATE or PGRSTnnn; empty for gateway errors
    std::string message;
    std::string details;
    std::string hint;
};

std::optional<ErrorBody> parse_error_body(std::string_view body);

// One line for logs and summaries, e.g.
//   PostgREST 409 23505: duplicate key value ... (details: Key ...; hint: ...)
//   HTTP 401: Invalid API key (hint: Double check ...)
//   HTTP 502: HTML page "502 Bad Gateway"
//   HTTP 503 with an empty body
// or the transport's own message. Never includes request headers (it never sees them).
std::string describe_response(const http::Response& response);

// For a response that is not a success (the message: the likely cause first, then what the
// server said): auth (401/403: wrong key or not service_role),
// transient exactly when retry_rule.hpp retries it, statement_timeout (57014), tls,
// cancelled, rejected (other 4xx, and 5xx with a SQLSTATE that will not pass on a resend;
// missing table or column points at schema/), bad_response (anything else, e.g. a redirect,
// or a body over the cap).
sync::ClassifiedFailure classify_failure(const http::Response& response, std::string_view table);

// What a refused upsert says about its batch (see sync::BatchProblem):
// - rows_refused: a 4xx whose SQLSTATE blames the data: class 22 (bad value: 22P05 NUL in
//   jsonb, 22008 date out of range, 22001 too long, ...), class 23 (integrity: check, not-null,
//   unique, foreign key) or P0001 (RAISE in a trigger). Never auth, a missing table or column
//   (42*), or PostgREST's own PGRSTnnn errors: splitting cannot fix those.
// - body_too_large: 413, whatever the body (a proxy's page, not PostgREST's).
// - statement_timeout: 57014, or a 5xx whose body says "statement timeout".
sync::BatchProblem classify_batch_problem(const http::Response& response);

// True for the statement-timeout answers above: resending the same batch will time out again,
// so the upsert is not retried as is (the runner splits it).
bool is_statement_timeout(const http::Response& response);

}  // namespace jobsync::postgrest
