#include "standins/gateway/prefer.hpp"

#include <string_view>
#include <utility>

#include "standins/gateway/grammar.hpp"
#include "text/strings.hpp"

namespace jobsync::testing::gateway {

namespace {

template <typename T>
void set_once(std::optional<T>& slot, T value) {
    if (!slot) slot = std::move(value);
}

}  // namespace

Preferences parse_preferences(const http::Headers& headers) {
    Preferences prefs;
    for (const auto& [name, value] : headers) {
        if (!text::equals_ignoring_case(name, "prefer")) continue;
        std::string_view rest = value;
        while (true) {
            const std::size_t comma = rest.find(',');
            const std::string token(text::trim(rest.substr(0, comma)));
            if (token == "resolution=merge-duplicates") {
                set_once(prefs.resolution, Resolution::merge_duplicates);
            } else if (token == "resolution=ignore-duplicates") {
                set_once(prefs.resolution, Resolution::ignore_duplicates);
            } else if (token == "return=minimal") {
                set_once(prefs.representation, Return::minimal);
            } else if (token == "return=headers-only") {
                set_once(prefs.representation, Return::headers_only);
            } else if (token == "return=representation") {
                set_once(prefs.representation, Return::representation);
            } else if (token == "count=exact") {
                set_once(prefs.count, Count::exact);
            } else if (token == "count=planned") {
                set_once(prefs.count, Count::planned);
            } else if (token == "count=estimated") {
                set_once(prefs.count, Count::estimated);
            } else if (token == "missing=default") {
                set_once(prefs.missing, Missing::apply_default);
            } else if (token == "missing=null") {
                set_once(prefs.missing, Missing::apply_null);
            } else if (token == "handling=strict") {
                set_once(prefs.handling, Handling::strict);
            } else if (token == "handling=lenient") {
                set_once(prefs.handling, Handling::lenient);
            } else if (token == "tx=commit" || token == "tx=rollback") {
                // Known to PostgREST but dropped unless db-tx-end allows the override, which
                // Supabase is assumed not to (notes 1.4): not applied, not invalid either.
            } else if (token.rfind("timezone=", 0) == 0) {
                set_once(prefs.timezone, token.substr(9));
            } else if (token.rfind("max-affected=", 0) == 0) {
                if (auto n = parse_non_negative(std::string_view(token).substr(13))) {
                    set_once(prefs.max_affected, *n);
                }
            } else if (!token.empty()) {
                prefs.invalid.push_back(token);
            }
            if (comma == std::string_view::npos) break;
            rest.remove_prefix(comma + 1);
        }
    }
    return prefs;
}

bool should_count(const Preferences& preferences) {
    return preferences.count == Count::exact || preferences.count == Count::estimated;
}

std::optional<std::string> preference_applied(const Preferences& prefs, Mutation mutation,
                                              bool resolution_applies) {
    std::vector<std::string> values;
    if (prefs.resolution && mutation == Mutation::create && resolution_applies) {
        values.push_back(*prefs.resolution == Resolution::merge_duplicates
                             ? "resolution=merge-duplicates"
                             : "resolution=ignore-duplicates");
    }
    if (prefs.missing && (mutation == Mutation::create || mutation == Mutation::update)) {
        values.push_back(*prefs.missing == Missing::apply_default ? "missing=default"
                                                                  : "missing=null");
    }
    if (prefs.representation && mutation != Mutation::none && mutation != Mutation::call) {
        switch (*prefs.representation) {
            case Return::minimal:
                values.push_back("return=minimal");
                break;
            case Return::headers_only:
                values.push_back("return=headers-only");
                break;
            case Return::representation:
                values.push_back("return=representation");
                break;
        }
    }
    if (prefs.count) {
        switch (*prefs.count) {
            case Count::exact:
                values.push_back("count=exact");
                break;
            case Count::planned:
                values.push_back("count=planned");
                break;
            case Count::estimated:
                values.push_back("count=estimated");
                break;
        }
    }
    if (prefs.handling) {
        values.push_back(*prefs.handling == Handling::strict ? "handling=strict"
                                                             : "handling=lenient");
    }
    // timezone= is parsed but not applied by this stand-in, so it is not echoed either.
    if (prefs.max_affected && prefs.handling == Handling::strict &&
        (mutation == Mutation::update || mutation == Mutation::remove ||
         mutation == Mutation::call)) {
        values.push_back("max-affected=" + std::to_string(*prefs.max_affected));
    }
    if (values.empty()) return std::nullopt;
    std::string joined;
    for (const auto& v : values) joined += (joined.empty() ? "" : ", ") + v;
    return joined;
}

}  // namespace jobsync::testing::gateway
