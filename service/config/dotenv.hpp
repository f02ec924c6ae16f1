// .env parsing, pure: text in, entries and line-numbered errors out. Reading the file is
// load_settings.cpp's job.
//
// One entry a line, as most dotenv tools read it:
//   # a comment              blank lines and comment lines are skipped
//   export KEY=value         `export ` is allowed and ignored
//   KEY=value # note         unquoted: surrounding blanks trimmed; `#` starts a comment only
//                            after a blank, so URL=http://h/#x keeps its `#x`
//   KEY='a value'            quoted ('...' or "..."): everything between the quotes, literally;
//   KEY="it's"               the closing quote may be followed only by blanks and a comment
//   KEY=                     empty value
// No escapes, no multi-line values, no ${VAR} interpolation: every value the service reads
// (URLs, keys, queries, numbers) fits on one line without them (README, "The .env file").
// CRLF line ends and a UTF-8 byte order mark are accepted. A key given twice keeps both
// entries, in order; whoever merges them lets the later one win.
//
// Errors read "<source>:<line>: <message>" and never quote a value, since values are secrets.
// A bad line is reported and skipped.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace jobsync::config {

struct DotenvEntry {
    std::string key;
    std::string value;
    int line = 0;  // 1-based
};

struct DotenvResult {
    std::vector<DotenvEntry> entries;
    std::vector<std::string> errors;

    bool ok() const { return errors.empty(); }
};

DotenvResult parse_dotenv(std::string_view text, std::string_view source_name);

// True for names the shell would accept: [A-Za-z_][A-Za-z0-9_]*.
bool is_valid_env_name(std::string_view name);

}  // namespace jobsync::config
