// The `Prefer` header as PostgREST reads it (notes 1.4; ApiRequest/Preferences.hs): values
// comma-separated across any number of Prefer headers, whitespace ignored, the first
// occurrence of each preference wins; `Preference-Applied` echoes them in a fixed order.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "http/transport.hpp"

namespace jobsync::testing::gateway {

enum class Resolution { merge_duplicates, ignore_duplicates };
enum class Return { minimal, headers_only, representation };
enum class Count { exact, planned, estimated };
enum class Missing { apply_default, apply_null };
enum class Handling { strict, lenient };

struct Preferences {
    std::optional<Resolution> resolution;
    std::optional<Return> representation;
    std::optional<Count> count;
    std::optional<Missing> missing;
    std::optional<Handling> handling;
    std::optional<std::string> timezone;
    std::optional<long long> max_affected;
    std::vector<std::string> invalid;  // tokens PostgREST does not know (tx=… included: see .cpp)
};

Preferences parse_preferences(const http::Headers& headers);

// Exact and estimated counts produce a total (PostgREST `shouldCount`).
bool should_count(const Preferences& preferences);

// What PostgREST echoes for a request of this kind (Response.hs responsePreferences):
// resolution only on inserts (and only when the table has a PK or on_conflict is given),
// missing on inserts and updates, return on writes, max-affected on updates, deletes and
// calls with handling=strict.
enum class Mutation { none, create, update, remove, call };  // call: POST /rpc/<fn>
std::optional<std::string> preference_applied(const Preferences& preferences, Mutation mutation,
                                              bool resolution_applies);

}  // namespace jobsync::testing::gateway
