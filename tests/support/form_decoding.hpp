// Query strings decoded the way web servers decode HTML form data: '%XX' escapes and '+' as a
// space. Both stand-ins read their queries this way (PostgREST through wai's
// parseQueryReplacePlus, postgrest-notes 3), so an unencoded '+' in a timestamp offset arrives
// as a space.
#pragma once

#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace jobsync::testing {

using FormPairs = std::vector<std::pair<std::string, std::string>>;

// Percent-decodes `text`, turning '+' into ' '. A malformed escape ("%zz", a trailing "%") is
// kept verbatim.
std::string form_decode(std::string_view text);

// "a=1&b=x+y&c" -> {{"a","1"},{"b","x y"},{"c",""}}: decoded, in order, empty segments skipped.
FormPairs parse_form_pairs(std::string_view raw_query);

}  // namespace jobsync::testing
