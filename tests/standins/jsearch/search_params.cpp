#include "standins/jsearch/search_params.hpp"

#include <algorithm>
#include <array>
#include <cctype>
#include <cstdlib>

#include "text/strings.hpp"

namespace jobsync::testing::jsearch {

namespace {

std::vector<std::string> split_commas(const std::string& text) {
    std::vector<std::string> parts;
    std::string::size_type start = 0;
    while (true) {
        auto comma = text.find(',', start);
        std::string part = text.substr(start, comma - start);
        auto first = part.find_first_not_of(' ');
        auto last = part.find_last_not_of(' ');
        parts.push_back(first == std::string::npos ? "" : part.substr(first, last - first + 1));
        if (comma == std::string::npos) break;
        start = comma + 1;
    }
    return parts;
}

// A whole-string decimal integer in [1, 50], the documented range of page and num_pages.
std::optional<int> page_number(const std::string& text) {
    if (text.empty() || text.size() > 3) return std::nullopt;
    if (!std::all_of(text.begin(), text.end(), [](unsigned char c) { return std::isdigit(c); }))
        return std::nullopt;
    int value = std::stoi(text);
    if (value < 1 || value > 50) return std::nullopt;
    return value;
}

bool is_two_letters(const std::string& text) {
    return text.size() == 2 && std::isalpha(static_cast<unsigned char>(text[0])) &&
           std::isalpha(static_cast<unsigned char>(text[1]));
}

std::string primary_language(const std::string& country) {
    static const std::array<std::pair<const char*, const char*>, 16> languages{{
        {"de", "de"},
        {"at", "de"},
        {"ch", "de"},
        {"fr", "fr"},
        {"be", "fr"},
        {"es", "es"},
        {"mx", "es"},
        {"ar", "es"},
        {"co", "es"},
        {"it", "it"},
        {"br", "pt"},
        {"pt", "pt"},
        {"nl", "nl"},
        {"pl", "pl"},
        {"jp", "ja"},
        {"se", "sv"},
    }};
    for (const auto& [code, language] : languages) {
        if (country == code) return language;
    }
    return "en";
}

bool all_in(const std::vector<std::string>& tokens, std::initializer_list<const char*> allowed,
            bool upper_case) {
    return std::all_of(tokens.begin(), tokens.end(), [&](const std::string& token) {
        std::string wanted = upper_case ? text::to_upper(token) : text::to_lower(token);
        return std::any_of(allowed.begin(), allowed.end(),
                           [&](const char* value) { return wanted == value; });
    });
}

bool is_non_negative_number(const std::string& text) {
    if (text.empty()) return false;
    char* end = nullptr;
    double value = std::strtod(text.c_str(), &end);
    return end == text.c_str() + text.size() && value >= 0;
}

std::string invalid(const std::string& name, const std::string& expectation) {
    return "Invalid value for parameter '" + name + "': " + expectation;
}

}  // namespace

std::optional<std::string> find_param(const Params& params, std::string_view key) {
    for (const auto& [name, value] : params) {
        if (name == key) return value;
    }
    return std::nullopt;
}

SearchParse parse_search_params(const Params& params) {
    // Optional parameters sent empty count as not sent.
    auto optional = [&](std::string_view key) -> std::optional<std::string> {
        auto value = find_param(params, key);
        if (!value || value->empty()) return std::nullopt;
        return value;
    };
    SearchParams search;
    auto query = find_param(params, "query");
    if (!query || text::trim(*query).empty())
        return {std::nullopt, "Missing required parameter 'query'"};
    search.query = *query;

    if (auto page = optional("page")) {
        auto number = page_number(*page);
        if (!number) return {std::nullopt, invalid("page", "an integer from 1 to 50")};
        search.page = *number;
    }
    if (auto num_pages = optional("num_pages")) {
        auto number = page_number(*num_pages);
        if (!number) return {std::nullopt, invalid("num_pages", "an integer from 1 to 50")};
        search.num_pages = *number;
    }
    if (auto country = optional("country")) {
        if (!is_two_letters(*country))
            return {std::nullopt, invalid("country", "an ISO 3166-1 alpha-2 code, e.g. 'us'")};
        search.country = text::to_lower(*country);
    }
    search.language = primary_language(search.country);
    if (auto language = optional("language")) {
        if (!is_two_letters(*language))
            return {std::nullopt, invalid("language", "an ISO 639 code, e.g. 'en'")};
        search.language = text::to_lower(*language);
    }

    struct Check {
        const char* name;
        bool (*valid)(const std::string&);
        const char* expectation;
    };
    static const Check checks[] = {
        {"date_posted",
         [](const std::string& v) {
             return all_in({v}, {"all", "today", "3days", "week", "month"}, false);
         },
         "one of all, today, 3days, week, month"},
        {"work_from_home", [](const std::string& v) { return v == "true" || v == "false"; },
         "true or false"},
        {"remote_jobs_only", [](const std::string& v) { return v == "true" || v == "false"; },
         "true or false"},
        {"employment_types",
         [](const std::string& v) {
             return all_in(split_commas(v), {"FULLTIME", "CONTRACTOR", "PARTTIME", "INTERN"}, true);
         },
         "a comma list of FULLTIME, CONTRACTOR, PARTTIME, INTERN"},
        {"job_requirements",
         [](const std::string& v) {
             return all_in(split_commas(v),
                           {"under_3_years_experience", "more_than_3_years_experience",
                            "no_experience", "no_degree"},
                           false);
         },
         "a comma list of under_3_years_experience, more_than_3_years_experience, "
         "no_experience, no_degree"},
        {"radius", is_non_negative_number, "a non-negative number of kilometres"},
        {"exclude_job_publishers", [](const std::string&) { return true; }, ""},
        {"fields", [](const std::string&) { return true; }, ""},
    };
    for (const auto& check : checks) {
        auto value = optional(check.name);
        if (!value) continue;
        if (!check.valid(*value)) return {std::nullopt, invalid(check.name, check.expectation)};
        search.echoed_extras.emplace_back(check.name, *value);
    }
    if (auto fields = optional("fields")) {
        for (auto& field : split_commas(*fields)) {
            if (!field.empty()) search.fields.push_back(std::move(field));
        }
    }
    return {std::move(search), ""};
}

long billed_units(const Params& params) {
    auto num_pages = find_param(params, "num_pages");
    if (!num_pages) return 1;
    auto number = page_number(*num_pages);
    if (!number || *number == 1) return 1;
    return *number <= 10 ? 2 : 3;
}

}  // namespace jobsync::testing::jsearch
