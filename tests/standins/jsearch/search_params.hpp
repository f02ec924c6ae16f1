// The /search parameters as JSearch reads them (pure): validation of the documented parameters
// (jsearch-notes.md section 2) once the query string is decoded (support/form_decoding.hpp).
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "support/form_decoding.hpp"

namespace jobsync::testing::jsearch {

using Params = FormPairs;

// The first value of `key`, if present.
std::optional<std::string> find_param(const Params& params, std::string_view key);

struct SearchParams {
    std::string query;
    int page = 1;
    int num_pages = 1;
    std::string country = "us";
    std::string language;             // defaults to the primary language of `country`
    Params echoed_extras;             // other documented parameters that were sent
    std::vector<std::string> fields;  // projection; empty = every field
};

struct SearchParse {
    std::optional<SearchParams> params;
    std::string error;  // set when params is empty
};

SearchParse parse_search_params(const Params& params);

// Requests billed for a call: 1, 2 for num_pages 2..10, 3 for 11..50. An unreadable num_pages
// is billed as 1 (the call will be refused as a bad request anyway).
long billed_units(const Params& params);

}  // namespace jobsync::testing::jsearch
