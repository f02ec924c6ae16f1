// JSearch employment types -> the enum the board filters on (FULLTIME, PARTTIME, CONTRACTOR,
// INTERN). The feed sends the enum in job_employment_types[] and, until late 2024, in
// job_employment_type; since 2025 job_employment_type is display text such as
// "Full-time, Part-time, and Contractor".
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace jobsync::jobs {

// "FULLTIME", "Full-time", "full time", "Contract", "Internship", ... -> the enum; nullopt for
// anything else (e.g. "Temporary", which the enum has no value for).
std::optional<std::string> employment_enum(std::string_view token);

// Every known type named in display text, in order, without duplicates:
// "Part-time and Contractor" -> {PARTTIME, CONTRACTOR}. Unknown parts are left out.
std::vector<std::string> parse_employment_text(std::string_view text);

}  // namespace jobsync::jobs
