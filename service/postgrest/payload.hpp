// Upsert payload encoding (pure): one JobRow -> one JSON object with exactly the sync's columns.
#pragma once

#include <string>
#include <string_view>

#include "jobs/job_row.hpp"

namespace jobsync::postgrest {

// A compact JSON object whose keys are exactly jobs::kSyncColumns, in that order, for every
// row (PostgREST rejects a bulk body whose objects differ in keys: PGRST102). Absent values are
// written as null, JsonText fields are embedded as JSON, is_active is true and last_seen is
// `last_seen`. Strings are escaped by RapidJSON; invalid UTF-8 becomes U+FFFD and NUL
// characters are dropped, since PostgreSQL text cannot hold them and one bad row would fail
// the whole batch.
std::string encode_row(const jobs::JobRow& row, std::string_view last_seen);

// The same object appended to `out`, e.g. straight into an upsert batch's text: no string of
// its own for each row, and no copy of it into the batch.
void append_row(std::string& out, const jobs::JobRow& row, std::string_view last_seen);

}  // namespace jobsync::postgrest
