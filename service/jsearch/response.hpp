// JSearch /search responses (pure): HTTP status -> failure kind and message, JSON envelope ->
// mapped rows and per-job problems. Messages name the query and pages and never hold a key
// (bodies are quoted only through their short "message" text; the client also scrubs its key).
#pragma once

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "http/transport.hpp"
#include "jobs/job_row.hpp"
#include "ports/ports.hpp"

namespace jobsync::jsearch {

struct ParsedPage {
    sync::Failure failure = sync::Failure::none;
    std::string message;                     // what went wrong, when failure != none
    std::vector<jobs::JobRow> rows;          // their text borrows from `body`
    std::vector<sync::JobProblem> problems;  // skipped jobs and nulled fields
    std::shared_ptr<std::string> body;       // the response, parsed in place (set when ok())
    int jobs_received = 0;                   // entries in `data`, skipped ones included
    bool ok() const { return failure == sync::Failure::none; }
};

// "query \"python\" page 3" or "query \"python\" pages 1-10", for messages.
std::string describe_pages(std::string_view query, int first_page, int page_count);

// Any non-2xx status: 401/403 -> auth (invalid key or no subscription), 429 -> quota when the
// message names the quota, else transient (per-second rate limit), 408 and 5xx -> transient,
// other 4xx -> rejected, anything else -> bad_response (see retry_rule.hpp).
// The RapidAPI {"message": ...} or JSearch {"error": {"message": ...}} text is quoted.
sync::ClassifiedFailure classify_http_status(int status, std::string_view content_type,
                                             std::string_view body, std::string_view where);

// A response that never arrived: transient (connect failure, timeout), tls, bad_response (a
// body over the cap) or cancelled.
sync::ClassifiedFailure classify_transport_failure(const http::Response& response,
                                                   std::string_view where);

// A whole /search response. A job in data[i] is attributed to page first_page + i / 10.
// `body` is parsed in place (see response.cpp): its text is overwritten, and the rows borrow
// their text from what the parse left there, so the page keeps `body` (ParsedPage::body) for
// as long as the rows need it. A failed page lets it go. It is a std::string because the parser
// reads it NUL-terminated.
ParsedPage parse_search_response_in_place(int status, std::string_view content_type,
                                          std::shared_ptr<std::string> body, std::string_view query,
                                          int first_page, int page_count);

}  // namespace jobsync::jsearch
