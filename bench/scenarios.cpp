#include "scenarios.hpp"

#include <fnmatch.h>

#include <algorithm>
#include <regex>
#include <sstream>
#include <stdexcept>

namespace jobsync::bench {

namespace {

std::string jobs_label(int jobs) {
    return jobs % 1000 == 0 ? std::to_string(jobs / 1000) + "k" : std::to_string(jobs);
}

bool is_slow(const Scenario& s) {
    return s.jobs >= 100000 && s.latency_ms > 0 && s.concurrency == 1;
}

std::vector<std::string> split(const std::string& text) {
    std::vector<std::string> items;
    std::istringstream stream(text);
    for (std::string item; std::getline(stream, item, ',');) {
        item.erase(0, item.find_first_not_of(" \t"));
        item.erase(item.find_last_not_of(" \t") + 1);
        if (!item.empty()) items.push_back(item);
    }
    return items;
}

// "250-0ms-c1", "2k-300ms-c8": a scenario outside the standard set.
bool parse_id(const std::string& id, Scenario& scenario) {
    static const std::regex id_pattern(R"((\d+)(k?)-(\d+)ms-c(\d+))");
    std::smatch match;
    if (!std::regex_match(id, match, id_pattern)) return false;
    scenario.jobs = std::stoi(match[1]) * (match[2].length() ? 1000 : 1);
    scenario.latency_ms = std::stoi(match[3]);
    scenario.concurrency = std::stoi(match[4]);
    return scenario.jobs > 0 && scenario.concurrency > 0;
}

}  // namespace

std::string Scenario::id() const {
    return jobs_label(jobs) + "-" + std::to_string(latency_ms) + "ms-c" +
           std::to_string(concurrency);
}

std::vector<Scenario> standard_scenarios() {
    std::vector<Scenario> all;
    for (int jobs : {1000, 10000, 100000}) {
        for (int latency : {0, 300}) {
            for (int concurrency : {1, 8}) all.push_back({jobs, latency, concurrency});
        }
    }
    return all;
}

std::vector<Scenario> select_scenarios(const Selection& selection) {
    std::vector<Scenario> chosen;
    const auto add = [&chosen](const Scenario& s) {
        const bool known = std::any_of(chosen.begin(), chosen.end(),
                                       [&s](const Scenario& c) { return c.id() == s.id(); });
        if (!known) chosen.push_back(s);
    };
    if (!selection.patterns.empty()) {
        for (const auto& pattern : split(selection.patterns)) {
            bool matched = false;
            for (const auto& s : standard_scenarios()) {
                if (::fnmatch(pattern.c_str(), s.id().c_str(), 0) == 0) {
                    add(s);
                    matched = true;
                }
            }
            Scenario custom;
            if (!matched && parse_id(pattern, custom)) {
                add(custom);
                matched = true;
            }
            if (!matched) {
                throw std::invalid_argument("no scenario matches '" + pattern +
                                            "' (ids look like 10k-300ms-c8 or 250-0ms-c1)");
            }
        }
    } else {
        for (const auto& s : standard_scenarios()) {
            if (selection.quick && (s.jobs > 10000 || (s.latency_ms > 0 && s.jobs > 1000)))
                continue;
            if (!selection.full && is_slow(s)) continue;
            add(s);
        }
    }
    std::stable_sort(chosen.begin(), chosen.end(),
                     [](const Scenario& a, const Scenario& b) { return a.jobs < b.jobs; });
    return chosen;
}

}  // namespace jobsync::bench
