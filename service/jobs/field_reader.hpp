// Typed, never-asserting reads of a job object's members, recording a FieldProblem for every
// value that has the wrong type. Internal to the mapping.
#pragma once

#include <rapidjson/document.h>

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "jobs/job_row.hpp"
#include "jobs/mapping.hpp"

namespace jobsync::jobs::detail {

// Compact JSON text of `value`; nullopt if it holds invalid UTF-8.
std::optional<std::string> to_compact_json(const rapidjson::Value& value);

class FieldReader {
  public:
    // With `texts` = Texts::borrow, clean strings are borrowed from the job's own (see map_job).
    FieldReader(const rapidjson::Value& job, std::vector<FieldProblem>& problems,
                Texts texts = Texts::copy)
        : job_(job), problems_(problems), borrow_(texts == Texts::borrow) {}

    // The member when present and not null, else nullptr. `job` must be an object.
    const rapidjson::Value* present(const char* field) const;

    // A string; "" -> null. Wrong type or invalid UTF-8 -> null + problem.
    std::optional<Text> text(const char* field);
    // A number; a numeric string is converted (+ problem). Optional [min, max] range check.
    std::optional<double> number(const char* field, double min = -1e300, double max = 1e300);
    // A boolean; "true"/"false" strings are converted (+ problem).
    std::optional<bool> boolean(const char* field);
    // Compact JSON of an object whose members are all arrays of strings (job_highlights).
    std::optional<JsonText> object_of_string_arrays(const char* field);
    // Compact JSON of an array of strings (job_benefits).
    std::optional<JsonText> string_array(const char* field);
    // Compact JSON of an array of objects (apply_options).
    std::optional<JsonText> object_array(const char* field);

    void report(const char* field, std::string message);
    void wrong_type(const char* field, const rapidjson::Value& value, const char* expected);

  private:
    std::optional<JsonText> json_if(const char* field, bool shape_ok, const char* expected);

    const rapidjson::Value& job_;
    std::vector<FieldProblem>& problems_;
    const bool borrow_;
};

}  // namespace jobsync::jobs::detail
