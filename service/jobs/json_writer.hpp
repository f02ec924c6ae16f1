// JSON text written the way RapidJSON's Writer writes it, byte for byte, but appended straight
// to a std::string, 16 bytes at a time where nothing needs escaping: the mapping's JSON columns
// and the upsert rows are most of the text job-sync writes.
#pragma once

#include <rapidjson/document.h>

#include <string>
#include <string_view>

namespace jobsync::jobs {

// `text` as a JSON string: \" \\ \b \f \n \r \t, other control characters as \u00XX
// (upper-case hex), everything else, UTF-8 included, as is. `text` is not checked for UTF-8.
void append_json_string(std::string& out, std::string_view text);

// As append_json_string when `text` is clean UTF-8 (well-formed, no NUL: what PostgreSQL
// text takes); otherwise appends nothing and returns false. One pass for the check and the write.
bool append_clean_json_string(std::string& out, std::string_view text);

// `value` as compact JSON: RapidJSON's number formats (shortest round-trip doubles, "1.0" for
// a whole double), members in their order. Strings are not checked for UTF-8.
void append_compact_json(std::string& out, const rapidjson::Value& value);

// As append_compact_json when every string and member name in `value` is clean UTF-8;
// otherwise appends nothing and returns false.
bool append_clean_compact_json(std::string& out, const rapidjson::Value& value);

}  // namespace jobsync::jobs
