// The JSON body of a POST or PATCH, checked the way PostgREST does before it plans the query
// (notes 1.5; ApiRequest/Payload.hs). Pure.
#pragma once

#include <optional>
#include <string>
#include <vector>

namespace jobsync::testing::gateway {

struct Payload {
    std::vector<std::string> columns;  // the columns the statement writes, in order
    std::string json;                  // what goes to PostgreSQL as the body parameter
    bool has_rows = true;              // false for [] (and a top-level scalar)
};

// Without ?columns: every element must be an object with the first one's key set
// (400 PGRST102 "All object keys must match"); invalid or empty JSON is 400 PGRST102
// "Empty or invalid json"; a scalar counts as an empty array. With ?columns the body is
// passed through unparsed (PostgreSQL reports malformed JSON) and `columns` is the list.
Payload parse_payload(const std::string& body,
                      const std::optional<std::vector<std::string>>& columns_param);

}  // namespace jobsync::testing::gateway
