// JSearch job object -> JobRow (pure). JSearch's schema has changed over the years (see
// shared/jsearch-notes.md §4), so every field but job_id is optional and nullable, and a field of
// the wrong type is nulled and reported instead of failing the job. Both vintages are accepted:
// the 2024 one (enum job_employment_type, no job_location) and the 2025 one (human-text
// job_employment_type, job_employment_types[], nullable posted times).
//
// Decisions a reader would otherwise have to guess:
// - Empty strings in optional text fields become null, silently: a board shows nothing either
//   way, and null keeps "has a logo" queries honest. Not reported (it is not a feed error).
// - Text must be valid UTF-8 without NUL characters (PostgreSQL text rejects both, and one bad
//   row would fail a whole upsert batch): invalid UTF-8 nulls the field, NULs are removed; both
//   are reported.
// - A numeric string salary ("63000") or a "true"/"false" string boolean is converted and
//   reported, so a feed change is visible in the logs without losing the value.
// - job_location: the feed's value, else "City, State, Country" from the non-empty parts
//   ("Chicago, Illinois, US"), else null.
#pragma once

#include <rapidjson/document.h>

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "jobs/job_row.hpp"

namespace jobsync::jobs {

// One thing wrong with one field. `message` is a whole sentence naming the field, e.g.
// "job_latitude is a string, expected a number; nulled".
struct FieldProblem {
    std::string field;
    std::string message;
};

struct MapResult {
    std::optional<JobRow> row;  // nullopt: the job was skipped (see problems)
    std::string job_id;         // for reporting: as found when there are problems, else empty
    std::vector<FieldProblem> problems;
};

// Where a mapped row's text lives. copy: in the row. borrow: in the strings of `job` itself,
// wherever it can (a clean string is used as it stands); the caller must keep them, unchanged,
// for as long as the row or any row moved from it lives. The client borrows from the parsed
// response, which the row's page keeps (jsearch/response.hpp).
enum class Texts { copy, borrow };

MapResult map_job(const rapidjson::Value& job, Texts texts = Texts::copy);

// "a string", "a number", "an object", ... for messages about a JSON value of the wrong type.
const char* describe_type(const rapidjson::Value& value);

// Parses one job object from JSON text and maps it; malformed JSON skips the job.
MapResult map_job_json(std::string_view json);

}  // namespace jobsync::jobs
