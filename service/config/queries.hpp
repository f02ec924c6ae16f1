// Where the search queries come from: --query flags, a --queries-file and JSEARCH_QUERIES.
// Pure text handling; reading the file is the loader's job.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace jobsync::config {

// One query a line. Blank lines and lines whose first non-blank character is '#' are
// skipped; a '#' later in a line is part of the query ("c# developer"). CRLF and a UTF-8 byte
// order mark are accepted.
std::vector<std::string> parse_queries_file(std::string_view text);

// JSEARCH_QUERIES: queries separated by ';'. Empty pieces are skipped.
std::vector<std::string> split_queries(std::string_view text);

// All sources in order, each query trimmed, empty ones dropped, exact duplicates removed
// (the first occurrence keeps its place).
std::vector<std::string> merge_queries(const std::vector<std::vector<std::string>>& sources);

}  // namespace jobsync::config
