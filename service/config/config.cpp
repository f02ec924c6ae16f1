#include "config/config.hpp"

#include <arpa/inet.h>

#include <algorithm>
#include <stdexcept>

#include "config/errors.hpp"
#include "config/numbers.hpp"
#include "config/queries.hpp"
#include "config/supabase_key.hpp"
#include "text/strings.hpp"

namespace jobsync::config {

namespace {

using Problems = std::vector<std::string>;

bool has_space_or_control(std::string_view text) {
    return std::any_of(text.begin(), text.end(),
                       [](unsigned char c) { return c <= 0x20 || c == 0x7F; });
}

// Letters and digits, and the characters of `extra`.
bool only_alnum_and(std::string_view text, std::string_view extra) {
    return std::all_of(text.begin(), text.end(), [&](char c) {
        return std::isalnum(static_cast<unsigned char>(c)) || extra.find(c) != extra.npos;
    });
}

// Where each setting's text comes from: a flag, an environment variable (the real environment
// over the .env file, whose last entry for a name wins), or both, the flag winning. Variables
// are trimmed and count as unset when empty; a flag given empty is a value, and a mistake.
class Inputs {
  public:
    Inputs(const CommandLine& line, const EnvMap& env, const std::vector<DotenvEntry>& dotenv)
        : line_(line), env_(env), dotenv_(dotenv) {}

    std::optional<std::string> variable(const std::string& name) const {
        const auto found = env_.find(name);
        if (found != env_.end() && !text::trim(found->second).empty()) {
            return std::string(text::trim(found->second));
        }
        for (auto entry = dotenv_.rbegin(); entry != dotenv_.rend(); ++entry) {
            if (entry->key != name) continue;
            if (text::trim(entry->value).empty()) return std::nullopt;
            return std::string(text::trim(entry->value));
        }
        return std::nullopt;
    }

    std::optional<std::string> get(const char* flag, const char* variable_name) const {
        if (flag != nullptr) {
            if (auto text = line_.option(flag)) return std::string(text::trim(*text));
        }
        return variable_name != nullptr ? variable(variable_name) : std::nullopt;
    }

    std::string flag_or(const char* flag, const std::string& fallback) const {
        return get(flag, nullptr).value_or(fallback);
    }

  private:
    const CommandLine& line_;
    const EnvMap& env_;
    const std::vector<DotenvEntry>& dotenv_;
};

// How messages name a setting: "--pages", "JOBS_TABLE" or "--concurrency (or
// JOBSYNC_CONCURRENCY)".
std::string label(const char* flag, const char* variable) {
    if (flag == nullptr) return variable;
    const std::string name = std::string("--") + flag;
    return variable == nullptr ? name : name + " (or " + variable + ")";
}

// The numeric settings: one row each. A value outside [low, high] (or unreadable) is reported
// as "<label> must be <expected>, got '<text>'"; `expected` defaults to the range.
enum class Form { whole, decimal, duration, bytes };

struct NumberSetting {
    const char* flag;
    const char* variable;
    Form form;
    double low;
    double high;
    bool zero_turns_off;   // 0 is accepted too, below `low`
    const char* expected;  // nullptr: "a whole number from <low> to <high>"
    void (*apply)(Settings& settings, double value);
};

// The per-query options are applied to the queries already gathered.
const NumberSetting kNumbers[] = {
    {"pages", nullptr, Form::whole, 1, 50, false, nullptr,
     [](Settings& s, double v) {
         for (auto& query : s.queries) query.pages = static_cast<int>(v);
     }},
    {"pages-per-request", nullptr, Form::whole, 1, 50, false, nullptr,
     [](Settings& s, double v) {
         for (auto& query : s.queries) query.pages_per_request = static_cast<int>(v);
     }},
    {"concurrency", "JOBSYNC_CONCURRENCY", Form::whole, 1, 32, false, nullptr,
     [](Settings& s, double v) { s.concurrency = static_cast<int>(v); }},
    {"max-rps", "JOBSYNC_MAX_RPS", Form::decimal, 0.1, 10000, true,
     "a number of requests a second from 0.1 to 10000, or 0 for no limit",
     [](Settings& s, double v) { s.max_rps = v; }},
    {"batch-size", nullptr, Form::whole, 1, 10000, false, nullptr,
     [](Settings& s, double v) { s.batch_size = static_cast<std::size_t>(v); }},
    {"upsert-concurrency", "JOBSYNC_UPSERT_CONCURRENCY", Form::whole, 1, 16, false, nullptr,
     [](Settings& s, double v) { s.upsert_concurrency = static_cast<int>(v); }},
    {"max-deactivate-share", nullptr, Form::decimal, 0, 1, false,
     "a number from 0 to 1 (e.g. 0.5; 1 turns the guard off)",
     [](Settings& s, double v) { s.max_deactivate_share = v; }},
    {"lease-seconds", nullptr, Form::whole, 10, 86400, false, nullptr,
     [](Settings& s, double v) { s.lease_seconds = static_cast<int>(v); }},
    {"deadline", "JOBSYNC_DEADLINE", Form::duration, 1, 7 * 86400, false,
     "a duration such as 90s, 30m or 1h30m (1 s to 7 days)",
     [](Settings& s, double v) { s.deadline = std::chrono::seconds(static_cast<long>(v)); }},
    {"max-requests", "JOBSYNC_MAX_REQUESTS", Form::whole, 1, 1000000, false,
     "a whole number of billed requests from 1 to 1000000",
     [](Settings& s, double v) { s.max_requests = static_cast<long>(v); }},
    {"max-response-bytes", "JOBSYNC_MAX_RESPONSE_BYTES", Form::bytes, 1024, 1099511627776.0, false,
     "a size of at least 1KiB such as 67108864 or 64MiB",
     [](Settings& s, double v) { s.max_response_bytes = static_cast<std::size_t>(v); }},
    {nullptr, "JOBSYNC_HTTP_TIMEOUT_SECONDS", Form::whole, 1, 600, false,
     "a whole number of seconds from 1 to 600",
     [](Settings& s, double v) { s.http_timeout_seconds = static_cast<int>(v); }},
    {"limit", nullptr, Form::whole, 1, 1000, false, nullptr,
     [](Settings& s, double v) { s.status_limit = static_cast<int>(v); }},
};

std::optional<double> read_number(Form form, std::string_view text) {
    switch (form) {
        case Form::whole:
            if (auto value = text::parse_whole_number(text)) return static_cast<double>(*value);
            return std::nullopt;
        case Form::decimal:
            return parse_decimal(text);
        case Form::duration:
            if (auto value = parse_duration(text)) return static_cast<double>(value->count());
            return std::nullopt;
        case Form::bytes:
            if (auto value = parse_byte_size(text)) return static_cast<double>(*value);
            return std::nullopt;
    }
    return std::nullopt;
}

void check_numbers(const Inputs& inputs, Settings& settings, Problems& problems) {
    for (const auto& setting : kNumbers) {
        const auto text = inputs.get(setting.flag, setting.variable);
        if (!text) continue;
        const auto value = read_number(setting.form, *text);
        const bool off = setting.zero_turns_off && value == 0.0;
        if (value && (off || (*value >= setting.low && *value <= setting.high))) {
            setting.apply(settings, *value);
            continue;
        }
        const std::string expected =
            setting.expected != nullptr
                ? setting.expected
                : std::string(setting.form == Form::whole ? "a whole number" : "a number") +
                      " from " + text::format_number(setting.low) + " to " +
                      text::format_number(setting.high);
        problems.push_back(label(setting.flag, setting.variable) + " must be " + expected +
                           ", got '" + *text + "'");
    }
}

// One of a fixed set of words, any case; the lower-case word, or nullopt after a problem.
std::optional<std::string> check_choice(const char* flag, const std::string& text,
                                        std::initializer_list<std::string_view> choices,
                                        Problems& problems) {
    std::string word = text::to_lower(text);
    if (std::find(choices.begin(), choices.end(), word) != choices.end()) return word;
    std::string list;
    for (const auto choice : choices) list += (list.empty() ? "" : ", ") + std::string(choice);
    problems.push_back("--" + std::string(flag) + " must be one of " + list + "; got '" + text +
                       "'");
    return std::nullopt;
}

// localhost, 127.0.0.0/8 (a dotted quad: inet_pton refuses "127.1" and octal) or ::1.
bool is_loopback_host(std::string_view host) {
    const std::string lowered = text::to_lower(host);
    if (lowered == "localhost" || lowered == "[::1]") return true;
    in_addr address{};
    return inet_pton(AF_INET, lowered.c_str(), &address) == 1 &&
           (ntohl(address.s_addr) >> 24) == 127;
}

// An http(s) base URL that a key is sent to, without trailing slashes; "" after a problem.
// Never in clear text off this machine, never with a password in it.
std::string check_base_url(const std::string& name, const std::string& url,
                           const std::string& example, Problems& problems) {
    const auto separator = url.find("://");
    const std::string scheme =
        separator == std::string::npos ? std::string() : text::to_lower(url.substr(0, separator));
    const std::string_view rest = separator == std::string::npos
                                      ? std::string_view()
                                      : std::string_view(url).substr(separator + 3);
    const std::string_view authority = rest.substr(0, rest.find('/'));
    std::string_view host = authority;  // without the port: "[::1]:8080" -> "[::1]"
    host = host.substr(0, text::starts_with(host, "[") ? host.find(']') + 1 : host.find(':'));
    std::string problem;
    if (scheme != "https" && scheme != "http") {
        problem = " must start with https:// (or http://)";
    } else if (has_space_or_control(url)) {
        problem = " contains spaces or control characters";
    } else if (url.find_first_of("?#") != std::string::npos) {
        problem = " must not have a query (?) or fragment (#)";
    } else if (authority.empty()) {
        problem = " has no host name";
    } else if (authority.find('@') != std::string_view::npos) {
        problems.push_back(name +
                           " must not contain credentials (user:password@ before the host): URLs "
                           "end up in logs; remove them, the keys go in SUPABASE_SERVICE_ROLE_KEY "
                           "and JSEARCH_API_KEY");
        return {};
    } else if (scheme == "http" && !is_loopback_host(host)) {
        problems.push_back(name + " uses http:// to " + std::string(host) +
                           ": the key would travel unencrypted and anyone on the path could read "
                           "it; use https:// (http:// is accepted only for loopback: localhost, "
                           "127.0.0.0/8, ::1)");
        return {};
    }
    if (!problem.empty()) {
        problems.push_back(name + problem + "; set it to e.g. " + example);
        return {};
    }
    std::string_view trimmed = url;
    while (text::ends_with(trimmed, "/")) trimmed.remove_suffix(1);
    return std::string(trimmed);
}

// The values env/.env.example ships with: copying the example without filling it in should
// fail here, naming the setting, not later as a 401 from a remote service.
bool is_example_placeholder(std::string_view value) {
    for (std::string_view marker : {"replace_me", "replace-with-your", "your-project-ref"}) {
        if (value.find(marker) != std::string_view::npos) return true;
    }
    return false;
}

std::string still_placeholder(const std::string& name) {
    return name + " still holds the placeholder from env/.env.example; set it to the real value";
}

// A secret from the environment: set, one word, not env/.env.example's placeholder. `where`
// says where to find the real one.
std::optional<std::string> check_secret(const std::string& name,
                                        const std::optional<std::string>& value,
                                        const std::string& where, Problems& problems) {
    if (!value) {
        problems.push_back(name + " is not set; set it in the environment or the .env file to " +
                           where);
    } else if (has_space_or_control(*value)) {
        problems.push_back(name + " contains spaces or control characters; paste only " + where);
    } else if (is_example_placeholder(*value)) {
        problems.push_back(still_placeholder(name) + ": " + where);
    } else {
        return value;
    }
    return std::nullopt;
}

void check_supabase(const Inputs& inputs, Settings& settings, Problems& problems) {
    const std::string example = "https://<project-ref>.supabase.co";
    const auto url = inputs.variable("SUPABASE_URL");
    if (!url) {
        problems.push_back("SUPABASE_URL is not set; set it to your project URL, e.g. " + example +
                           " (Supabase dashboard: Project Settings > Data API)");
    } else if (is_example_placeholder(*url)) {
        problems.push_back(still_placeholder("SUPABASE_URL") + ", e.g. " + example);
    } else {
        // The dashboard shows the URL with /rest/v1; the clients add it themselves.
        std::string checked = check_base_url("SUPABASE_URL", *url, example, problems);
        if (text::ends_with(checked, "/rest/v1")) checked.resize(checked.size() - 8);
        while (text::ends_with(checked, "/")) checked.pop_back();
        settings.supabase_url = checked;
    }
    const auto key =
        check_secret("SUPABASE_SERVICE_ROLE_KEY", inputs.variable("SUPABASE_SERVICE_ROLE_KEY"),
                     "the secret key (sb_secret_...) or the legacy service_role key, without "
                     "'Bearer ', from the Supabase dashboard (Project Settings > API Keys)",
                     problems);
    if (!key) return;
    const KeyCheck check = classify_supabase_key(*key);
    if (!check.kind) {
        problems.push_back("SUPABASE_SERVICE_ROLE_KEY " + check.problem);
        return;
    }
    settings.supabase_key = Secret(*key);
    settings.supabase_key_kind = *check.kind;
}

void check_jsearch(const Inputs& inputs, Settings& settings, Problems& problems) {
    // Shard I of a sharded run takes JSEARCH_API_KEY_<I> when it is set (each key has its own
    // quota and rate limit), else the shared JSEARCH_API_KEY.
    std::string name = "JSEARCH_API_KEY";
    const std::string own = name + "_" + std::to_string(settings.shard);
    if (settings.shard_count > 1 && inputs.variable(own)) name = own;
    const auto key = check_secret(name, inputs.variable(name),
                                  "your RapidAPI key (rapidapi.com > JSearch > Endpoints, the "
                                  "X-RapidAPI-Key value; the app must be subscribed to JSearch)",
                                  problems);
    if (key) settings.jsearch_api_key = Secret(*key);

    settings.jsearch_base_url = check_base_url(
        "JSEARCH_BASE_URL", inputs.variable("JSEARCH_BASE_URL").value_or(settings.jsearch_base_url),
        std::string(jsearch::kDefaultBaseUrl), problems);
    settings.jsearch_host = inputs.variable("JSEARCH_HOST").value_or(settings.jsearch_host);
    if (!only_alnum_and(settings.jsearch_host, ".-:")) {
        problems.emplace_back(
            "JSEARCH_HOST must be a bare host name without scheme or path; set it to e.g. " +
            std::string(jsearch::kDefaultHost));
    }
}

void check_queries(const CommandLine& line, const Inputs& inputs,
                   const std::optional<std::string>& queries_file_text, Settings& settings,
                   Problems& problems) {
    if (line.option("queries-file") && !queries_file_text) {
        throw std::logic_error("build_settings: the text of --queries-file was not supplied");
    }
    const auto texts = merge_queries({
        line.queries,
        queries_file_text ? parse_queries_file(*queries_file_text) : std::vector<std::string>{},
        split_queries(inputs.variable("JSEARCH_QUERIES").value_or("")),
    });
    // `check` reports missing queries itself (a warning: the scheduled sync may pass them as
    // flags); `status` does not need them.
    if (texts.empty() && line.command == Command::sync) {
        problems.emplace_back(
            "no search queries; give --query \"TEXT\" (repeatable), --queries-file PATH, or "
            "JSEARCH_QUERIES=\"query one;query two\"");
    }
    sync::SearchQuery options;
    options.country = text::to_lower(inputs.flag_or("country", ""));
    const bool two_letters =
        options.country.size() == 2 && std::all_of(options.country.begin(), options.country.end(),
                                                   [](char c) { return c >= 'a' && c <= 'z'; });
    if (!options.country.empty() && !two_letters) {
        problems.push_back("--country must be a two-letter country code such as us or de, got '" +
                           inputs.flag_or("country", "") + "'");
    }
    if (auto when = inputs.get("date-posted", nullptr); when && !when->empty()) {
        options.date_posted =
            check_choice("date-posted", *when, {"all", "today", "3days", "week", "month"}, problems)
                .value_or("");
    }
    const std::string types = inputs.flag_or("employment-types", "");
    for (std::string_view rest = types; !rest.empty();) {
        const auto comma = rest.find(',');
        const std::string type = text::to_upper(text::trim(rest.substr(0, comma)));
        rest = comma == std::string_view::npos ? std::string_view() : rest.substr(comma + 1);
        if (type.empty()) continue;
        if (type != "FULLTIME" && type != "CONTRACTOR" && type != "PARTTIME" && type != "INTERN") {
            problems.push_back("--employment-types: '" + type +
                               "' is not one of FULLTIME, CONTRACTOR, PARTTIME, INTERN");
            continue;
        }
        options.employment_types += (options.employment_types.empty() ? "" : ",") + type;
    }
    options.remote_only = line.flag("remote-only");
    for (const auto& text : texts) {
        settings.queries.push_back(options);
        settings.queries.back().text = text;
    }
}

// --shard I/N, or --shards N with I from JOB_COMPLETION_INDEX (a Kubernetes Indexed Job).
void check_shards(const CommandLine& line, const Inputs& inputs, Settings& settings,
                  Problems& problems) {
    constexpr long kMaxShards = 1000;
    const auto shard_text = line.option("shard");
    const auto shards_text = line.option("shards");
    if (!shard_text && !shards_text) return;
    if (line.flag("dry-run")) {
        problems.emplace_back(
            "--dry-run plans the whole run in one process: leave out --shard/--shards");
        return;
    }
    if (shard_text && shards_text) {
        problems.emplace_back("give --shard I/N or --shards N, not both");
        return;
    }
    long shard = -1;
    long count = 0;
    if (shard_text) {
        const std::string_view text = text::trim(*shard_text);
        const auto slash = text.find('/');
        if (slash != std::string_view::npos) {
            shard = text::parse_whole_number(text.substr(0, slash)).value_or(-1);
            count = text::parse_whole_number(text.substr(slash + 1)).value_or(0);
        }
        if (shard < 0 || count > kMaxShards || shard >= count) {
            problems.push_back(
                "--shard must be I/N with 0 <= I < N <= " + std::to_string(kMaxShards) +
                " (e.g. 0/4), got '" + *shard_text + "'");
            return;
        }
    } else {
        count = text::parse_whole_number(text::trim(*shards_text)).value_or(0);
        const auto index = inputs.variable("JOB_COMPLETION_INDEX");
        if (count < 1 || count > kMaxShards) {
            problems.push_back("--shards must be a whole number from 1 to " +
                               std::to_string(kMaxShards) + ", got '" + *shards_text + "'");
            return;
        }
        if (!index) {
            problems.emplace_back(
                "--shards N takes the shard index from JOB_COMPLETION_INDEX, which is not set "
                "(Kubernetes sets it in an Indexed Job); elsewhere give --shard I/N");
            return;
        }
        shard = text::parse_whole_number(*index).value_or(-1);
        if (shard < 0 || shard >= count) {
            problems.push_back("JOB_COMPLETION_INDEX must be a whole number below --shards " +
                               std::to_string(count) + ", got '" + *index + "'");
            return;
        }
    }
    settings.shard = static_cast<int>(shard);
    settings.shard_count = static_cast<int>(count);
}

// --run-id, else JOBSYNC_RUN_ID, else (a sharded run on GitHub Actions) the workflow run's id,
// which every job of a matrix shares. A sharded run must have one: the shards find each other
// by it. A dry run never takes the scheduled run's id from the environment: it would use it up.
void check_run_id(const CommandLine& line, const Inputs& inputs, Settings& settings,
                  Problems& problems) {
    std::string id = inputs.flag_or("run-id", "");
    if (id.empty() && !line.flag("dry-run")) {
        const auto github_run = inputs.variable("GITHUB_RUN_ID");
        if (auto variable = inputs.variable("JOBSYNC_RUN_ID")) {
            id = *variable;
        } else if (settings.shard_count > 1 && github_run &&
                   inputs.variable("GITHUB_ACTIONS") == std::optional<std::string>("true")) {
            id = "github-" + *github_run;
        } else if (settings.shard_count > 1) {
            problems.emplace_back(
                "a sharded run needs a run id that all its shards share: give --run-id ID or set "
                "JOBSYNC_RUN_ID (the Kubernetes recipe passes the Job's name; on GitHub Actions "
                "github.run_id is used by itself)");
        }
    }
    // It goes into job_sync_runs and log lines: printable, short, no spaces.
    if (id.size() > 100 || !only_alnum_and(id, "-_.:")) {
        problems.push_back(
            "--run-id must be at most 100 letters, digits and - _ . : (e.g. nightly-2025-01-04), "
            "got '" +
            id + "'");
        return;
    }
    settings.run_id = id;
}

void check_run_options(const CommandLine& line, const Inputs& inputs, Settings& settings,
                       Problems& problems) {
    settings.jobs_table = inputs.variable("JOBS_TABLE").value_or(settings.jobs_table);
    if (!is_valid_env_name(settings.jobs_table) || settings.jobs_table.size() > 63) {
        problems.push_back("JOBS_TABLE '" + settings.jobs_table +
                           "' is not a plain table name (letters, digits and '_', not starting "
                           "with a digit, at most 63 characters); set it to e.g. jobs");
    }
    settings.sweep = !line.flag("no-sweep");
    settings.dry_run = line.flag("dry-run");
    settings.check_jsearch = line.flag("jsearch");
    settings.ca_file = inputs.flag_or("ca-file", "");
    settings.report_file = inputs.flag_or("report", "");
    settings.metrics_file = inputs.flag_or("metrics-file", "");
    if (settings.dry_run && (line.option("report") || line.option("metrics-file"))) {
        // A dry run's figures are not a run's: a metrics file would record a success that
        // changed nothing. Its report goes to stdout (--log-format json for one JSON object).
        problems.emplace_back(
            "--dry-run writes no --report or --metrics-file; use --log-format json for its "
            "report as JSON on stdout");
    }
    const bool sync = line.command == Command::sync;
    settings.log_level =
        check_choice("log-level", inputs.flag_or("log-level", sync ? settings.log_level : "warn"),
                     {"trace", "debug", "info", "warn", "error"}, problems)
            .value_or(settings.log_level);
    if (check_choice("log-format", inputs.flag_or("log-format", "text"), {"text", "json"},
                     problems) == "json") {
        settings.log_format = logging::LogFormat::json;
    }
    settings.status_json = check_choice("format", inputs.flag_or("format", "text"),
                                        {"text", "json"}, problems) == "json";
}

}  // namespace

Settings build_settings(const CommandLine& line, const EnvMap& process_env,
                        const std::vector<DotenvEntry>& dotenv,
                        const std::optional<std::string>& queries_file_text) {
    const Inputs inputs(line, process_env, dotenv);
    Settings settings;
    Problems problems;
    check_supabase(inputs, settings, problems);
    check_shards(line, inputs, settings, problems);
    // `status` only reads the run history: the JSearch settings do not matter to it.
    if (line.command != Command::status) check_jsearch(inputs, settings, problems);
    check_queries(line, inputs, queries_file_text, settings, problems);
    check_numbers(inputs, settings, problems);
    check_run_id(line, inputs, settings, problems);
    check_run_options(line, inputs, settings, problems);
    if (!problems.empty()) throw ConfigError(std::move(problems));
    return settings;
}

}  // namespace jobsync::config
