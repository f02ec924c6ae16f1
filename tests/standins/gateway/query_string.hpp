// Query-string decoding as PostgREST does it (wai's parseQueryReplacePlus, notes 3): '%XX' is
// decoded and a literal '+' becomes a space, so an unencoded '+' in a timestamp offset reaches
// PostgreSQL as a space.
#pragma once

#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace jobsync::testing::gateway {

using QueryPairs = std::vector<std::pair<std::string, std::string>>;

// Percent-decodes `text`, turning '+' into ' '. Malformed escapes are kept verbatim.
std::string decode_query_component(std::string_view text);

// "a=1&b=x+y&c" -> {{"a","1"},{"b","x y"},{"c",""}}, in order, empty segments skipped.
QueryPairs parse_query(std::string_view raw_query);

}  // namespace jobsync::testing::gateway
