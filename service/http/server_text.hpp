// What a server sent, made fit for one line of a message or a log (pure). Both clients quote
// server messages and error bodies through these; server text is untrusted.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace jobsync::http {

// Control characters and runs of whitespace become one space, the ends are trimmed, and text
// past `max_bytes` is cut at a character boundary and marked "...". Invalid UTF-8 gives
// "(not UTF-8)": it would break a JSON log line.
std::string one_line(std::string_view text, std::size_t max_bytes = 300);

// An HTML page rather than the JSON asked for (an error page of a proxy or a CDN): the content
// type says so, or the body's first character is '<'.
bool looks_like_html(std::string_view content_type, std::string_view body);

}  // namespace jobsync::http
