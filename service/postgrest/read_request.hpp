// PostgREST reads for the operators' commands (pure): GET requests on a table or an RPC
// probe, `in.(...)` lists cut to keep URLs short, and the JSON arrays they answer.
#pragma once

#include <rapidjson/document.h>

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "http/transport.hpp"
#include "http/url.hpp"
#include "postgrest/request.hpp"

namespace jobsync::postgrest {

// GET {base}/rest/v1/{table}?<params>, with the key headers and, when given, `Prefer`.
http::Request build_read_request(const Endpoint& endpoint, std::string_view table,
                                 const http::QueryParams& params, std::string_view prefer = {});

// `in.("a","b",...)` filter values holding every id once, in order, each value at most
// `max_value_bytes` long once percent-encoded (a single longer id gets a value of its own) and
// at most `max_ids` ids. Ids are double-quoted, '"' and '\' escaped, as PostgREST's grammar wants.
std::vector<std::string> in_list_values(const std::vector<std::string>& ids,
                                        std::size_t max_value_bytes, std::size_t max_ids);

// The comma-separated column list for `select=`.
std::string column_list(const std::vector<std::string_view>& columns);

// A 200 whose body is a JSON array: the parsed document. nullopt otherwise.
std::optional<rapidjson::Document> parse_rows(const http::Response& response);

// Members read without trusting the server: "" / nullopt / false when absent or of another type.
std::string text_member(const rapidjson::Value& object, const char* name);
std::optional<long> number_member(const rapidjson::Value& object, const char* name);
bool true_member(const rapidjson::Value& object, const char* name);

}  // namespace jobsync::postgrest
