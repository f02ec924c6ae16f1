#include "jobs/mapping.hpp"

#include <rapidjson/error/en.h>

#include <algorithm>
#include <cmath>

#include "jobs/employment_type.hpp"
#include "jobs/field_reader.hpp"
#include "text/timestamps.hpp"
#include "text/utf8.hpp"

namespace jobsync::jobs {

namespace {

using detail::FieldReader;

MapResult skipped(std::string job_id, const char* field, std::string why) {
    MapResult result;
    result.job_id = std::move(job_id);
    result.problems.push_back({field, std::move(why) + "; job skipped"});
    return result;
}

std::string json_string_array(const std::vector<std::string>& items) {
    std::string out = "[";
    for (const auto& item : items) {
        if (out.size() > 1) out += ',';
        out += '"';
        out += item;  // enum names only: nothing to escape
        out += '"';
    }
    out += ']';
    return out;
}

// Enums from job_employment_types[], de-duplicated, order kept; bad items reported and dropped.
std::vector<std::string> read_type_list(FieldReader& reader) {
    constexpr const char* kField = "job_employment_types";
    std::vector<std::string> types;
    const auto* list = reader.present(kField);
    if (list == nullptr) return types;
    types.reserve(4);  // one allocation: a job has one or two types
    if (!list->IsArray()) {
        reader.wrong_type(kField, *list, "an array of strings");
        return types;
    }
    for (const auto& item : list->GetArray()) {
        if (!item.IsString()) {
            reader.report(kField, std::string(kField) + " holds " + describe_type(item) +
                                      ", expected strings; item dropped");
            continue;
        }
        std::string_view text(item.GetString(), item.GetStringLength());
        auto type = employment_enum(text);
        if (!type) {
            std::string shown = text::is_valid_utf8(text) ? std::string(text) : "(invalid UTF-8)";
            reader.report(kField, std::string(kField) + " holds unknown type \"" + shown +
                                      "\"; item dropped");
        } else if (std::find(types.begin(), types.end(), *type) == types.end()) {
            types.push_back(*type);
        }
    }
    return types;
}

// The list wins (it is the enum in every vintage that has it); otherwise the single field,
// which is an enum before 2025 and display text since.
void map_employment(FieldReader& reader, JobRow& row) {
    auto types = read_type_list(reader);
    if (types.empty()) {
        for (const char* field : {"job_employment_type", "job_employment_type_text"}) {
            auto text = reader.text(field);
            if (!text) continue;
            types = parse_employment_text(*text);
            if (!types.empty()) break;
            reader.report(field, std::string(field) + " \"" + text->str() +
                                     "\" names no known employment type; nulled");
        }
    }
    if (types.empty()) return;
    row.job_employment_type = types.front();
    row.job_employment_types = JsonText{json_string_array(types)};
}

void map_posted_at(FieldReader& reader, JobRow& row) {
    constexpr const char* kDatetime = "job_posted_at_datetime_utc";
    constexpr const char* kTimestamp = "job_posted_at_timestamp";
    if (auto text = reader.text(kDatetime)) {
        if (text::is_iso8601_utc(*text)) {
            row.job_posted_at_datetime_utc = std::move(text);
            return;
        }
        reader.report(kDatetime, std::string(kDatetime) + " \"" + text->str() +
                                     "\" is not an ISO-8601 UTC timestamp; ignored");
    }
    constexpr double kLastSecond = 253402300799.0;  // 9999-12-31T23:59:59Z
    if (auto seconds = reader.number(kTimestamp, 0, kLastSecond)) {
        row.job_posted_at_datetime_utc =
            text::format_unix_seconds_utc(static_cast<long long>(std::floor(*seconds)));
    }
}

std::optional<std::string> build_location(const JobRow& row) {
    std::string location;
    for (const auto* part : {&row.job_city, &row.job_state, &row.job_country}) {
        if (!*part) continue;
        if (!location.empty()) location += ", ";
        location += (*part)->view();
    }
    if (location.empty()) return std::nullopt;
    return location;
}

}  // namespace

MapResult map_job(const rapidjson::Value& job, Texts texts) {
    if (!job.IsObject()) {
        return skipped("", "job",
                       std::string("job is ") + describe_type(job) + ", expected an object");
    }
    auto id = job.FindMember("job_id");
    if (id == job.MemberEnd() || id->value.IsNull())
        return skipped("", "job_id", "job_id is missing");
    if (!id->value.IsString()) {
        return skipped(
            "", "job_id",
            std::string("job_id is ") + describe_type(id->value) + ", expected a string");
    }
    const std::string_view job_id(id->value.GetString(), id->value.GetStringLength());
    if (!text::is_valid_utf8(job_id)) return skipped("", "job_id", "job_id is not valid UTF-8");
    // PostgreSQL text cannot hold NUL, and a key with it removed would name another job.
    if (job_id.find('\0') != std::string_view::npos) {
        std::string shown(job_id);
        std::replace(shown.begin(), shown.end(), '\0', '?');
        return skipped(shown, "job_id", "job_id contains a NUL character");
    }
    if (job_id.find_first_not_of(" \t\r\n") == std::string_view::npos) {
        return skipped("", "job_id", "job_id is empty");
    }

    MapResult result;
    FieldReader read(job, result.problems, texts);
    JobRow row;
    row.job_id = texts == Texts::borrow ? Text::borrow(job_id) : Text(job_id);
    row.job_title = read.text("job_title");
    row.employer_name = read.text("employer_name");
    row.employer_logo = read.text("employer_logo");
    row.employer_website = read.text("employer_website");
    row.job_publisher = read.text("job_publisher");
    map_employment(read, row);
    row.job_apply_link = read.text("job_apply_link");
    row.job_apply_is_direct = read.boolean("job_apply_is_direct");
    row.apply_options = read.object_array("apply_options");
    row.job_description = read.text("job_description");
    row.job_is_remote = read.boolean("job_is_remote");
    row.job_city = read.text("job_city");
    row.job_state = read.text("job_state");
    row.job_country = read.text("job_country");
    row.job_location = read.text("job_location");
    if (!row.job_location) row.job_location = build_location(row);
    row.job_latitude = read.number("job_latitude", -90, 90);
    row.job_longitude = read.number("job_longitude", -180, 180);
    map_posted_at(read, row);
    row.job_min_salary = read.number("job_min_salary");
    row.job_max_salary = read.number("job_max_salary");
    row.job_salary_currency = read.text("job_salary_currency");
    row.job_salary_period = read.text("job_salary_period");
    row.job_highlights = read.object_of_string_arrays("job_highlights");
    row.job_benefits = read.string_array("job_benefits");
    row.job_google_link = read.text("job_google_link");
    // Every text above came through read.text (valid UTF-8, NUL removed), a checked job_id,
    // an enum name or a timestamp written here.
    row.clean_text = true;
    if (!result.problems.empty()) result.job_id = row.job_id.str();
    result.row = std::move(row);
    return result;
}

MapResult map_job_json(std::string_view json) {
    rapidjson::Document document;
    document.Parse(json.data(), json.size());
    if (document.HasParseError()) {
        return skipped("", "job",
                       std::string("job is not valid JSON (") +
                           rapidjson::GetParseError_En(document.GetParseError()) + " at offset " +
                           std::to_string(document.GetErrorOffset()) + ")");
    }
    return map_job(document);
}

}  // namespace jobsync::jobs
