#include "config/config.hpp"

#include <algorithm>
#include <cctype>
#include <stdexcept>

#include "config/bounds.hpp"
#include "config/errors.hpp"
#include "config/queries.hpp"
#include "config/supabase_key.hpp"
#include "config/url_safety.hpp"
#include "text/strings.hpp"

namespace jobsync::config {

namespace {

constexpr const char* kSupabaseKeySource =
    "the secret key (sb_secret_...) or the legacy service_role key from the Supabase dashboard "
    "(Project Settings > API Keys)";

bool has_space_or_control(std::string_view text) {
    return std::any_of(text.begin(), text.end(),
                       [](unsigned char c) { return c <= 0x20 || c == 0x7F; });
}

bool is_one_of(std::string_view value, std::initializer_list<std::string_view> allowed) {
    return std::find(allowed.begin(), allowed.end(), value) != allowed.end();
}

// Environment over file over nothing; values trimmed, empty means unset.
class Variables {
  public:
    Variables(const EnvMap& process_env, const std::vector<DotenvEntry>& dotenv)
        : process_env_(process_env), dotenv_(dotenv) {}

    std::optional<std::string> get(const std::string& name) const {
        const auto found = process_env_.find(name);
        if (found != process_env_.end() && !text::trim(found->second).empty()) {
            return std::string(text::trim(found->second));
        }
        for (auto entry = dotenv_.rbegin(); entry != dotenv_.rend(); ++entry) {
            if (entry->key != name) continue;
            if (text::trim(entry->value).empty()) return std::nullopt;
            return std::string(text::trim(entry->value));
        }
        return std::nullopt;
    }

    std::string get_or(const std::string& name, const std::string& fallback) const {
        return get(name).value_or(fallback);
    }

  private:
    const EnvMap& process_env_;
    const std::vector<DotenvEntry>& dotenv_;
};

// Checks an http(s) base URL and returns it without trailing slashes; "" after a problem.
std::string check_base_url(const std::string& name, const std::string& url,
                           const std::string& example, std::vector<std::string>& problems) {
    const std::string fix = "; set it to e.g. " + example;
    const auto separator = url.find("://");
    const std::string scheme = separator == std::string::npos
                                   ? std::string()
                                   : text::to_lower(url.substr(0, separator + 3));
    if (scheme != "https://" && scheme != "http://") {
        problems.push_back(name + " must start with https:// (or http://)" + fix);
        return {};
    }
    if (has_space_or_control(url)) {
        problems.push_back(name + " contains spaces or control characters" + fix);
        return {};
    }
    if (url.find_first_of("?#") != std::string::npos) {
        problems.push_back(name + " must not have a query (?) or fragment (#)" + fix);
        return {};
    }
    const std::string_view rest = std::string_view(url).substr(scheme.size());
    if (rest.empty() || rest.front() == '/') {
        problems.push_back(name + " has no host name" + fix);
        return {};
    }
    // Both URLs receive a key: never in clear text off this machine, never with a password.
    if (auto problem = key_url_problem(name, url)) {
        problems.push_back(*problem);
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

std::string check_supabase_url(const Variables& vars, std::vector<std::string>& problems) {
    const std::string example = "https://<project-ref>.supabase.co";
    const auto url = vars.get("SUPABASE_URL");
    if (!url) {
        problems.push_back("SUPABASE_URL is not set; set it to your project URL, e.g. " + example +
                           " (Supabase dashboard: Project Settings > Data API)");
        return {};
    }
    if (is_example_placeholder(*url)) {
        problems.push_back(still_placeholder("SUPABASE_URL") + ", e.g. " + example);
        return {};
    }
    std::string checked = check_base_url("SUPABASE_URL", *url, example, problems);
    if (text::ends_with(checked, "/rest/v1")) {
        checked.resize(checked.size() - std::string_view("/rest/v1").size());
        while (text::ends_with(checked, "/")) checked.pop_back();
    }
    return checked;
}

void check_supabase_key(const Variables& vars, Settings& settings,
                        std::vector<std::string>& problems) {
    const auto key = vars.get("SUPABASE_SERVICE_ROLE_KEY");
    if (!key) {
        problems.push_back(std::string("SUPABASE_SERVICE_ROLE_KEY is not set; set it in the "
                                       "environment or the .env file to ") +
                           kSupabaseKeySource);
        return;
    }
    if (has_space_or_control(*key)) {
        problems.push_back(std::string("SUPABASE_SERVICE_ROLE_KEY contains spaces or control "
                                       "characters; paste only the key (no 'Bearer '), i.e. ") +
                           kSupabaseKeySource);
        return;
    }
    if (is_example_placeholder(*key)) {
        problems.push_back(still_placeholder("SUPABASE_SERVICE_ROLE_KEY") + ": " +
                           kSupabaseKeySource);
        return;
    }
    const KeyCheck check = classify_supabase_key(*key);
    if (!check.kind) {
        problems.push_back("SUPABASE_SERVICE_ROLE_KEY " + check.problem);
        return;
    }
    settings.supabase_key = Secret(*key);
    settings.supabase_key_kind = *check.kind;
}

void check_jsearch(const Variables& vars, Settings& settings, std::vector<std::string>& problems) {
    // Several keys: shard I of a sharded run takes JSEARCH_API_KEY_<I> when it is set (each
    // key has its own quota and rate limit), else the shared JSEARCH_API_KEY.
    std::optional<std::string> key;
    std::string key_name = "JSEARCH_API_KEY";
    if (settings.shard_count > 1) {
        const std::string own = "JSEARCH_API_KEY_" + std::to_string(settings.shard);
        key = vars.get(own);
        if (key) key_name = own;
    }
    if (!key) key = vars.get("JSEARCH_API_KEY");
    const std::string where =
        "your RapidAPI key (rapidapi.com > JSearch > Endpoints, the X-RapidAPI-Key value; the "
        "app must be subscribed to JSearch)";
    if (!key) {
        problems.push_back(
            "JSEARCH_API_KEY is not set; set it in the environment or the .env "
            "file to " +
            where);
    } else if (has_space_or_control(*key)) {
        problems.push_back(key_name + " contains spaces or control characters; paste only " +
                           where);
    } else if (is_example_placeholder(*key)) {
        problems.push_back(still_placeholder(key_name) + ": " + where);
    } else {
        settings.jsearch_api_key = Secret(*key);
    }

    settings.jsearch_base_url = check_base_url(
        "JSEARCH_BASE_URL", vars.get_or("JSEARCH_BASE_URL", settings.jsearch_base_url),
        std::string(jsearch::kDefaultBaseUrl), problems);

    const std::string host = vars.get_or("JSEARCH_HOST", settings.jsearch_host);
    const bool host_ok = std::all_of(host.begin(), host.end(), [](char c) {
        return std::isalnum(static_cast<unsigned char>(c)) || c == '.' || c == '-' || c == ':';
    });
    if (!host_ok) {
        problems.emplace_back(
            "JSEARCH_HOST must be a bare host name without scheme or path; set "
            "it to e.g. jsearch.p.rapidapi.com");
    }
    settings.jsearch_host = host;
}

void check_jobs_table(const Variables& vars, Settings& settings,
                      std::vector<std::string>& problems) {
    const std::string table = vars.get_or("JOBS_TABLE", settings.jobs_table);
    if (!is_valid_env_name(table) || table.size() > 63) {
        problems.push_back("JOBS_TABLE '" + table +
                           "' is not a plain table name (letters, digits and '_', not starting "
                           "with a digit, at most 63 characters); set it to e.g. jobs");
    }
    settings.jobs_table = table;
}

void check_timeout(const Variables& vars, Settings& settings, std::vector<std::string>& problems) {
    const auto text = vars.get("JOBSYNC_HTTP_TIMEOUT_SECONDS");
    if (!text) return;
    const long seconds = parse_whole_number(*text).value_or(0);
    if (seconds < 1 || seconds > 600) {
        problems.push_back(
            "JOBSYNC_HTTP_TIMEOUT_SECONDS must be a whole number of seconds "
            "from 1 to 600, got '" +
            *text + "'; leave it unset for 30");
        return;
    }
    settings.http_timeout_seconds = static_cast<int>(seconds);
}

// A flag wins over its environment variable; both are optional.
std::optional<std::string> flag_or_variable(const std::string& flag, const Variables& vars,
                                            const std::string& variable) {
    const std::string_view trimmed = text::trim(flag);
    if (!trimmed.empty()) return std::string(trimmed);
    return vars.get(variable);
}

void check_bounds(const CommandLine& line, const Variables& vars, Settings& settings,
                  std::vector<std::string>& problems) {
    if (const auto text = flag_or_variable(line.deadline, vars, "JOBSYNC_DEADLINE")) {
        const auto duration = parse_duration(*text);
        if (!duration || duration->count() < 1) {
            problems.push_back(
                "--deadline / JOBSYNC_DEADLINE must be a duration such as 90s, "
                "30m or 1h30m (1 s to 7 days), got '" +
                *text + "'");
        } else {
            settings.deadline = *duration;
        }
    }
    if (const auto text = flag_or_variable(line.max_requests, vars, "JOBSYNC_MAX_REQUESTS")) {
        const long count = parse_whole_number(*text).value_or(0);
        if (count < 1 || count > 1000000) {
            problems.push_back(
                "--max-requests / JOBSYNC_MAX_REQUESTS must be a whole number of billed "
                "requests from 1 to 1000000, got '" +
                *text + "'");
        } else {
            settings.max_requests = count;
        }
    }
    if (const auto text =
            flag_or_variable(line.max_response_bytes, vars, "JOBSYNC_MAX_RESPONSE_BYTES")) {
        const auto size = parse_byte_size(*text);
        if (!size || *size < 1024) {
            problems.push_back(
                "--max-response-bytes / JOBSYNC_MAX_RESPONSE_BYTES must be a size of at least "
                "1KiB such as 67108864 or 64MiB, got '" +
                *text + "'");
        } else {
            settings.max_response_bytes = *size;
        }
    }
    settings.ca_file = std::string(text::trim(line.ca_file));
}

void check_range(const std::string& option, long value, long low, long high,
                 std::vector<std::string>& problems) {
    if (value < low || value > high) {
        problems.push_back(option + " must be from " + std::to_string(low) + " to " +
                           std::to_string(high) + ", got " + std::to_string(value));
    }
}

sync::SearchQuery check_query_options(const CommandLine& line, std::vector<std::string>& problems) {
    sync::SearchQuery options;
    check_range("--pages", line.pages, 1, 50, problems);
    check_range("--pages-per-request", line.pages_per_request, 1, 50, problems);
    options.pages = static_cast<int>(std::clamp(line.pages, 1L, 50L));
    options.pages_per_request = static_cast<int>(std::clamp(line.pages_per_request, 1L, 50L));

    options.country = text::to_lower(text::trim(line.country));
    const bool two_letters =
        options.country.size() == 2 && std::all_of(options.country.begin(), options.country.end(),
                                                   [](char c) { return c >= 'a' && c <= 'z'; });
    if (!options.country.empty() && !two_letters) {
        problems.push_back("--country must be a two-letter country code such as us or de, got '" +
                           line.country + "'");
    }

    options.date_posted = text::to_lower(text::trim(line.date_posted));
    if (!options.date_posted.empty() &&
        !is_one_of(options.date_posted, {"all", "today", "3days", "week", "month"})) {
        problems.push_back("--date-posted must be one of all, today, 3days, week, month; got '" +
                           line.date_posted + "'");
    }

    std::string types;
    std::string_view rest = line.employment_types;
    while (!rest.empty()) {
        const auto comma = rest.find(',');
        const std::string type = text::to_upper(text::trim(rest.substr(0, comma)));
        rest = comma == std::string_view::npos ? std::string_view() : rest.substr(comma + 1);
        if (type.empty()) continue;
        if (!is_one_of(type, {"FULLTIME", "CONTRACTOR", "PARTTIME", "INTERN"})) {
            problems.push_back("--employment-types: '" + type +
                               "' is not one of FULLTIME, CONTRACTOR, PARTTIME, INTERN");
            continue;
        }
        types += (types.empty() ? "" : ",") + type;
    }
    options.employment_types = types;
    options.remote_only = line.remote_only;
    return options;
}

void check_queries(const CommandLine& line, const Variables& vars,
                   const std::optional<std::string>& queries_file_text, Settings& settings,
                   std::vector<std::string>& problems) {
    if (!line.queries_file.empty() && !queries_file_text) {
        throw std::logic_error("build_settings: the text of --queries-file was not supplied");
    }
    const auto texts = merge_queries({
        line.queries,
        queries_file_text ? parse_queries_file(*queries_file_text) : std::vector<std::string>{},
        split_queries(vars.get_or("JSEARCH_QUERIES", "")),
    });
    // `check` reports missing queries itself (a warning: the scheduled sync may pass them as
    // flags); `status` does not need them.
    if (texts.empty() && line.command != Command::check && line.command != Command::status) {
        problems.emplace_back(
            "no search queries; give --query \"TEXT\" (repeatable), "
            "--queries-file PATH, or JSEARCH_QUERIES=\"query one;query two\"");
    }
    const sync::SearchQuery options = check_query_options(line, problems);
    for (const auto& text : texts) {
        sync::SearchQuery query = options;
        query.text = text;
        settings.queries.push_back(std::move(query));
    }
}

// A run id goes into job_sync_runs and log lines: printable, short, no spaces.
void check_run_id(const std::string& run_id, Settings& settings,
                  std::vector<std::string>& problems) {
    const bool ok = run_id.size() <= 100 && std::all_of(run_id.begin(), run_id.end(), [](char c) {
                        return std::isalnum(static_cast<unsigned char>(c)) || c == '-' ||
                               c == '_' || c == '.' || c == ':';
                    });
    if (!ok) {
        problems.emplace_back(
            "--run-id must be at most 100 letters, digits and - _ . : (e.g. "
            "nightly-2025-01-04), got '" +
            run_id + "'");
        return;
    }
    settings.run_id = run_id;
}

// A share from 0 to 1, written as a decimal number ("0.5", "1", ".25").
void check_share(const std::string& text, Settings& settings, std::vector<std::string>& problems) {
    const double share = parse_decimal(text::trim(text)).value_or(-1.0);
    if (share < 0.0 || share > 1.0) {
        problems.push_back(
            "--max-deactivate-share must be a number from 0 to 1 (e.g. 0.5; 1 "
            "turns the guard off), got '" +
            text + "'");
        return;
    }
    settings.max_deactivate_share = share;
}

// --shard I/N, or --shards N with I from JOB_COMPLETION_INDEX (a Kubernetes Indexed Job).
void check_shards(const CommandLine& line, const Variables& vars, Settings& settings,
                  std::vector<std::string>& problems) {
    constexpr long kMaxShards = 1000;
    long shard = 0;
    long count = 1;
    if (line.dry_run && (!line.shard.empty() || line.shards >= 0)) {
        problems.emplace_back(
            "--dry-run plans the whole run in one process: leave out --shard/--shards");
        return;
    }
    if (!line.shard.empty() && line.shards >= 0) {
        problems.emplace_back("give --shard I/N or --shards N, not both");
        return;
    }
    if (!line.shard.empty()) {
        const std::string_view text = text::trim(line.shard);
        const auto slash = text.find('/');
        if (slash != std::string_view::npos) {
            shard = parse_whole_number(text.substr(0, slash)).value_or(-1);
            count = parse_whole_number(text.substr(slash + 1)).value_or(0);
        }
        if (slash == std::string_view::npos || shard < 0 || count < 1 || count > kMaxShards ||
            shard >= count) {
            problems.push_back(
                "--shard must be I/N with 0 <= I < N <= " + std::to_string(kMaxShards) +
                " (e.g. 0/4), got '" + line.shard + "'");
            return;
        }
    } else if (line.shards >= 0) {
        count = line.shards;
        const auto index = vars.get("JOB_COMPLETION_INDEX");
        if (count < 1 || count > kMaxShards) {
            problems.push_back("--shards must be from 1 to " + std::to_string(kMaxShards) +
                               ", got " + std::to_string(count));
            return;
        }
        if (!index) {
            problems.emplace_back(
                "--shards N takes the shard index from JOB_COMPLETION_INDEX, which is not set "
                "(Kubernetes sets it in an Indexed Job); elsewhere give --shard I/N");
            return;
        }
        shard = parse_whole_number(*index).value_or(-1);
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
// by it.
std::string resolve_run_id(const CommandLine& line, const Variables& vars, const Settings& settings,
                           std::vector<std::string>& problems) {
    if (!line.run_id.empty()) return line.run_id;
    // A dry run never takes the scheduled run's id from the environment: it would use it up.
    if (line.dry_run) return {};
    if (auto id = vars.get("JOBSYNC_RUN_ID")) return *id;
    if (settings.shard_count <= 1) return {};
    const auto run = vars.get("GITHUB_RUN_ID");
    if (vars.get("GITHUB_ACTIONS") == std::optional<std::string>("true") && run) {
        return "github-" + *run;
    }
    problems.emplace_back(
        "a sharded run needs a run id that all its shards share: give --run-id ID or set "
        "JOBSYNC_RUN_ID (the Kubernetes recipe passes the Job's name; on GitHub Actions "
        "github.run_id is used by itself)");
    return {};
}

// --concurrency / --max-rps / --upsert-concurrency, or their environment variables: the flag
// wins.
void check_fetch_options(const CommandLine& line, const Variables& vars, Settings& settings,
                         std::vector<std::string>& problems) {
    if (auto text = flag_or_variable(line.concurrency, vars, "JOBSYNC_CONCURRENCY")) {
        const long n = parse_whole_number(*text).value_or(0);
        if (n < 1 || n > 32) {
            problems.push_back(
                "--concurrency (or JOBSYNC_CONCURRENCY) must be a whole number from 1 to 32, "
                "got '" +
                *text + "'");
        } else {
            settings.concurrency = static_cast<int>(n);
        }
    }
    if (auto text = flag_or_variable(line.max_rps, vars, "JOBSYNC_MAX_RPS")) {
        const double rps = parse_decimal(*text).value_or(-1.0);
        if (rps != 0.0 && (rps < 0.1 || rps > 10000.0)) {
            problems.push_back(
                "--max-rps (or JOBSYNC_MAX_RPS) must be a number of requests a second from 0.1 "
                "to 10000, or 0 for no limit, got '" +
                *text + "'");
        } else {
            settings.max_rps = rps;
        }
    }
    if (auto text = flag_or_variable(line.upsert_concurrency, vars, "JOBSYNC_UPSERT_CONCURRENCY")) {
        const long n = parse_whole_number(*text).value_or(0);
        if (n < 1 || n > 16) {
            problems.push_back(
                "--upsert-concurrency (or JOBSYNC_UPSERT_CONCURRENCY) must be a whole number "
                "from 1 to 16, got '" +
                *text + "'");
        } else {
            settings.upsert_concurrency = static_cast<int>(n);
        }
    }
}

void check_run_options(const CommandLine& line, const Variables& vars, Settings& settings,
                       std::vector<std::string>& problems) {
    check_range("--batch-size", line.batch_size, 1, 10000, problems);
    settings.batch_size = static_cast<std::size_t>(std::clamp(line.batch_size, 1L, 10000L));

    check_range("--lease-seconds", line.lease_seconds, 10, 86400, problems);
    settings.lease_seconds = static_cast<int>(std::clamp(line.lease_seconds, 10L, 86400L));
    settings.sweep = !line.no_sweep;
    check_run_id(resolve_run_id(line, vars, settings, problems), settings, problems);
    check_share(line.max_deactivate_share, settings, problems);

    settings.log_level = text::to_lower(line.log_level);
    if (!is_one_of(settings.log_level, {"trace", "debug", "info", "warn", "error"})) {
        problems.push_back("--log-level must be one of trace, debug, info, warn, error; got '" +
                           line.log_level + "'");
    }
    const std::string format = text::to_lower(line.log_format);
    if (format == "json") {
        settings.log_format = logging::LogFormat::json;
    } else if (format == "text") {
        settings.log_format = logging::LogFormat::text;
    } else {
        problems.push_back("--log-format must be text or json; got '" + line.log_format + "'");
    }
    settings.report_file = line.report_file;
    settings.metrics_file = line.metrics_file;
}

}  // namespace

Settings build_settings(const CommandLine& line, const EnvMap& process_env,
                        const std::vector<DotenvEntry>& dotenv,
                        const std::optional<std::string>& queries_file_text) {
    const Variables vars(process_env, dotenv);
    Settings settings;
    std::vector<std::string> problems;

    settings.supabase_url = check_supabase_url(vars, problems);
    check_supabase_key(vars, settings, problems);
    check_jobs_table(vars, settings, problems);
    check_shards(line, vars, settings, problems);
    // `status` only reads the run history: the JSearch settings do not matter to it.
    if (line.command != Command::status) check_jsearch(vars, settings, problems);
    check_timeout(vars, settings, problems);
    check_queries(line, vars, queries_file_text, settings, problems);
    check_run_options(line, vars, settings, problems);
    check_bounds(line, vars, settings, problems);
    check_fetch_options(line, vars, settings, problems);

    if (!problems.empty()) throw ConfigError(std::move(problems));
    return settings;
}

}  // namespace jobsync::config
