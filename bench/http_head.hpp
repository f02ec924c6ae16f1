// What the benchmark's relay (relay.hpp) reads from an HTTP/1.1 head (pure).
#pragma once

#include <string_view>

namespace jobsync::bench {

// The Content-Length of a request or response head, 0 when it has none; -1 when the body is
// chunked (any Transfer-Encoding) or the length is not a whole number. Names match in any case.
long content_length(std::string_view head);

}  // namespace jobsync::bench
