// .env parsing. parse_dotenv is pure (text in, entries and line-numbered errors out);
// read_dotenv_file is the thin wrapper that reads a file.
//
// The format, as most dotenv tools read it:
//   # a comment              blank lines and comment lines are skipped
//   export KEY=value         `export ` is allowed and ignored
//   KEY=value # note         unquoted: surrounding blanks trimmed; `#` starts a comment only
//                            after a blank, so URL=http://h/#x keeps its `#x`
//   KEY='literal $ \n'       single quotes: every character literal
//   KEY="a\nb \"q\" \$HOME"  double quotes: \n \t \r \" \\ \$ \' are escapes; any other
//                            backslash is kept as is
//   KEY=                     empty value
// Quoted values may span lines (PEM keys, certificates); the closing quote may be followed
// only by blanks and a comment. There is no ${VAR} interpolation: values are taken literally.
// CRLF line ends and a UTF-8 byte order mark are accepted. A key given twice keeps both
// entries, in order; whoever merges them lets the later one win.
//
// Errors read "<source>:<line>: <message>" and never quote a value, since values are secrets.
// A bad line is reported and skipped; an unterminated quote ends parsing, since the rest of
// the file cannot be told apart from the value.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace jobsync::config {

struct DotenvEntry {
    std::string key;
    std::string value;
    int line = 0;  // 1-based line of the key
};

struct DotenvResult {
    std::vector<DotenvEntry> entries;
    std::vector<std::string> errors;

    bool ok() const { return errors.empty(); }
};

DotenvResult parse_dotenv(std::string_view text, std::string_view source_name);

// Reads and parses `path`. Throws ConfigError when the file cannot be read; parse errors are
// returned in the result.
DotenvResult read_dotenv_file(const std::string& path);

// True for names the shell would accept: [A-Za-z_][A-Za-z0-9_]*.
bool is_valid_env_name(std::string_view name);

}  // namespace jobsync::config
