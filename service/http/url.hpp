// URL building (pure). Every value that goes into a query string passes through here.
#pragma once

#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace jobsync::http {

// RFC 3986 percent-encoding: everything but unreserved characters (A-Z a-z 0-9 - . _ ~) is
// encoded, so '+' becomes %2B (PostgREST decodes a literal '+' as a space) and ' ' is %20.
std::string percent_encode(std::string_view value);

using QueryParams = std::vector<std::pair<std::string, std::string>>;

// "a=1&b=x%20y": keys and values percent-encoded, in the given order.
std::string build_query(const QueryParams& params);

// Joins a base ("https://h/x/", trailing slashes ignored) with a path ("/search") and params.
std::string build_url(std::string_view base, std::string_view path, const QueryParams& params = {});

}  // namespace jobsync::http
