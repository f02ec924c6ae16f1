// The JSON bodies the stand-in answers with (pure): JSearch's envelopes and RapidAPI's messages.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "standins/jsearch/search_params.hpp"

namespace jobsync::testing::jsearch {

// A random UUID (version 4 format), like JSearch's request_id.
std::string make_request_id();

// RapidAPI's gateway shape: {"message":"..."}.
std::string rapidapi_message(std::string_view message);

// JSearch's application error: {"status":"ERROR","request_id":..,"error":{"message":..,"code":..}}.
std::string error_body(std::string_view request_id, std::string_view message, int code);

// {"status":"OK","request_id":..,"parameters":{..},"data":[..]}; `jobs` are JSON texts, cut
// down to `params.fields` when that is set.
std::string search_body(std::string_view request_id, const SearchParams& params,
                        const std::vector<std::string>& jobs);

// True when `text` is one complete JSON value.
bool is_json(const std::string& text);

}  // namespace jobsync::testing::jsearch
