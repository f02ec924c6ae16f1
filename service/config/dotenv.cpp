#include "config/dotenv.hpp"

#include <filesystem>
#include <fstream>
#include <sstream>

#include "config/errors.hpp"
#include "config/text.hpp"
#include "text/strings.hpp"

namespace jobsync::config {

namespace {

bool is_name_start(char c) { return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || c == '_'; }

bool is_name_char(char c) { return is_name_start(c) || (c >= '0' && c <= '9'); }

// Walks the text once, line by line; a quoted value may carry the walk over several lines.
class DotenvParser {
  public:
    DotenvParser(std::string_view text, std::string_view source)
        : text_(strip_bom(text)), source_(source) {}

    DotenvResult run() {
        while (pos_ < text_.size()) {
            if (!parse_statement()) break;
        }
        return std::move(result_);
    }

  private:
    bool at_end() const { return pos_ >= text_.size(); }
    char peek() const { return text_[pos_]; }

    bool at_line_end() const {
        return at_end() || peek() == '\n' || (peek() == '\r' && next_is('\n'));
    }
    bool next_is(char c) const { return pos_ + 1 < text_.size() && text_[pos_ + 1] == c; }

    void skip_blanks() {
        while (!at_end() && is_blank(peek())) ++pos_;
    }

    // Moves past the rest of the current line and its line end.
    void skip_line() {
        while (!at_end() && peek() != '\n') ++pos_;
        if (!at_end()) {
            ++pos_;
            ++line_;
        }
    }

    void error(int line, const std::string& message) {
        result_.errors.push_back(std::string(source_) + ":" + std::to_string(line) + ": " +
                                 message);
    }

    // Parses one line (or several, for a multi-line quoted value). False stops the parse.
    bool parse_statement() {
        const int line = line_;
        skip_blanks();
        if (at_line_end() || peek() == '#') {
            skip_line();
            return true;
        }

        const std::size_t line_start = pos_;
        while (!at_line_end() && peek() != '=') ++pos_;
        if (at_line_end()) {
            error(line, "expected KEY=value but found no '='");
            skip_line();
            return true;
        }
        std::string_view key = text::trim(text_.substr(line_start, pos_ - line_start));
        ++pos_;  // '='
        if (text::starts_with(key, "export") && key.size() > 6 && is_blank(key[6])) {
            key = text::trim(key.substr(6));
        }
        if (!is_valid_env_name(key)) {
            error(line,
                  "invalid variable name before '=' (use letters, digits and '_', not "
                  "starting with a digit)");
            skip_line();
            return true;
        }

        const std::size_t value_start = pos_;
        skip_blanks();
        const bool blank_before_value = pos_ > value_start;
        if (!at_end() && (peek() == '\'' || peek() == '"')) {
            return parse_quoted(std::string(key), line);
        }
        add(std::string(key), read_unquoted(blank_before_value), line);
        skip_line();
        return true;
    }

    // The rest of the line, without a trailing comment or trailing blanks.
    std::string read_unquoted(bool blank_before_value) {
        const std::size_t start = pos_;
        while (!at_line_end()) {
            if (peek() == '#') {
                const bool after_blank =
                    pos_ == start ? blank_before_value : is_blank(text_[pos_ - 1]);
                if (after_blank) break;
            }
            ++pos_;
        }
        std::string_view value = text_.substr(start, pos_ - start);
        while (!value.empty() && is_blank(value.back())) value.remove_suffix(1);
        return std::string(value);
    }

    bool parse_quoted(const std::string& key, int line) {
        const char quote = peek();
        ++pos_;
        std::string value;
        bool closed = false;
        while (!at_end()) {
            char c = peek();
            if (c == quote) {
                closed = true;
                ++pos_;
                break;
            }
            if (c == '\\' && quote == '"' && pos_ + 1 < text_.size()) {
                append_escape(value, text_[pos_ + 1]);
                pos_ += 2;
                continue;
            }
            if (c == '\r' && next_is('\n')) {  // CRLF inside a multi-line value
                ++pos_;
                continue;
            }
            if (c == '\n') ++line_;
            value += c;
            ++pos_;
        }
        if (!closed) {
            const char* kind = quote == '"' ? "double" : "single";
            error(line, std::string("unterminated ") + kind + " quote in the value of " + key +
                            " (add the closing " + (quote == '"' ? "\"" : "'") + ")");
            return false;
        }

        skip_blanks();
        if (!at_line_end() && peek() != '#') {
            error(line_, "unexpected text after the closing quote of " + key +
                             " (quote the whole value, or put a blank before a # comment)");
            skip_line();
            return true;
        }
        add(key, std::move(value), line);
        skip_line();
        return true;
    }

    static void append_escape(std::string& value, char escaped) {
        switch (escaped) {
            case 'n':
                value += '\n';
                break;
            case 't':
                value += '\t';
                break;
            case 'r':
                value += '\r';
                break;
            case '"':
            case '\\':
            case '$':
            case '\'':
                value += escaped;
                break;
            default:  // not an escape: keep the backslash, as a shell does
                value += '\\';
                value += escaped;
        }
    }

    void add(std::string key, std::string value, int line) {
        result_.entries.push_back(DotenvEntry{std::move(key), std::move(value), line});
    }

    std::string_view text_;
    std::string_view source_;
    std::size_t pos_ = 0;
    int line_ = 1;
    DotenvResult result_;
};

}  // namespace

bool is_valid_env_name(std::string_view name) {
    if (name.empty() || !is_name_start(name.front())) return false;
    for (char c : name) {
        if (!is_name_char(c)) return false;
    }
    return true;
}

DotenvResult parse_dotenv(std::string_view text, std::string_view source_name) {
    return DotenvParser(text, source_name).run();
}

DotenvResult read_dotenv_file(const std::string& path) {
    std::error_code ignored;
    std::ifstream file(path, std::ios::binary);
    std::ostringstream text;
    if (file && !std::filesystem::is_directory(path, ignored)) text << file.rdbuf();
    if (!file || file.bad() || std::filesystem::is_directory(path, ignored)) {
        throw ConfigError("cannot read the env file " + path +
                          " (check the path given to --env-file and its permissions)");
    }
    return parse_dotenv(text.str(), path);
}

}  // namespace jobsync::config
