#include "integration/service/service_stack.hpp"

#include <spdlog/sinks/ostream_sink.h>
#include <spdlog/spdlog.h>

#include <filesystem>

#include "logging/logging.hpp"

namespace jobsync::testing {

namespace {

// One cluster for the whole binary (initdb costs a second or two); each stack empties the
// table instead.
PgCluster& shared_cluster() {
    static PgCluster cluster;
    return cluster;
}

std::string fixture(const std::string& name) {
    return (std::filesystem::path(JOBSYNC_FIXTURES_DIR) / name).string();
}

}  // namespace

ServiceStack::ServiceStack(bool own_cluster, PgClusterOptions cluster_options) {
    if (own_cluster) {
        owned_cluster_ = std::make_unique<PgCluster>(cluster_options);
        cluster_ = owned_cluster_.get();
    } else {
        cluster_ = &shared_cluster();
    }
    db_ = std::make_unique<PgConnection>(cluster_->superuser_conninfo());
    // Each stack starts from an empty board and run history, without what earlier tests of the
    // shared cluster added to the table (an admin's constraint, a slow trigger).
    db_->exec(R"(DO $$ BEGIN
        IF to_regclass('public.jobs') IS NOT NULL THEN
            TRUNCATE public.jobs RESTART IDENTITY;
            ALTER TABLE public.jobs DROP CONSTRAINT IF EXISTS e2e_title_not_spam;
            DROP TRIGGER IF EXISTS e2e_refuse_blocked_employer ON public.jobs;
            DROP TRIGGER IF EXISTS e2e_slow_rows ON public.jobs;
        END IF;
        IF to_regclass('public.job_sync_runs') IS NOT NULL THEN
            TRUNCATE public.job_sync_runs RESTART IDENTITY CASCADE;
        END IF;
    END $$)");
    gateway_ = std::make_unique<RestGateway>(
        GatewayOptions{cluster_->authenticator_conninfo(), kJwtSecret});
    jsearch_ = std::make_unique<JsearchStandin>();
    jsearch_->set_jobs(kChicago, chicago_jobs());
    jsearch_->set_jobs(kPython, python_jobs());
}

void ServiceStack::restart_gateway(const std::function<void(GatewayOptions&)>& adjust) {
    GatewayOptions options{cluster_->authenticator_conninfo(), kJwtSecret};
    adjust(options);
    gateway_.reset();
    gateway_ = std::make_unique<RestGateway>(options);
}

config::EnvMap ServiceStack::environment(
    const std::map<std::string, std::string>& overrides) const {
    config::EnvMap env{
        {"SUPABASE_URL", gateway_->base_url()},
        {"SUPABASE_SERVICE_ROLE_KEY", service_role_key()},
        {"JSEARCH_API_KEY", "local-jsearch-key"},
        {"JSEARCH_BASE_URL", jsearch_->base_url()},
        {"JSEARCH_QUERIES", std::string(kChicago) + ";" + kPython},
        {"JOBSYNC_CONCURRENCY", "1"},
        {"JOBSYNC_MAX_RPS", "0"},
    };
    for (const auto& [name, value] : overrides) env[name] = value;
    return env;
}

SyncResult ServiceStack::sync(std::vector<std::string> args,
                              const std::map<std::string, std::string>& overrides) {
    std::vector<std::string> words{"sync", "--log-level", "warn"};
    words.insert(words.end(), args.begin(), args.end());
    return run(std::move(words), overrides);
}

SyncResult ServiceStack::run(std::vector<std::string> args,
                             const std::map<std::string, std::string>& overrides) {
    std::vector<std::string> words{"job-sync"};
    words.insert(words.end(), args.begin(), args.end());
    std::vector<const char*> argv;
    for (const auto& word : words) argv.push_back(word.c_str());

    std::ostringstream out;
    std::ostringstream err;
    AppContext context{
        environment(overrides), out, err, nullptr, nullptr, nullptr, nullptr, nullptr};
    context.clock = &clock_;
    context.sleeper = &sleeper_;
    context.jitter = &jitter_;
    context.err_is_terminal = err_is_terminal;
    std::ostringstream log;
    context.log_sink = std::make_shared<spdlog::sinks::ostream_sink_mt>(log);
    SyncResult result;
    result.exit_code = run_app(static_cast<int>(argv.size()), argv.data(), context);
    result.out = out.str();
    result.err = err.str();
    result.log = log.str();
    // The sink refers to `log`, which goes out of scope now.
    logging::configure_logging("warn", logging::LogFormat::text);
    clock_.advance(std::chrono::hours(1));
    return result;
}

std::vector<std::string> ServiceStack::chicago_jobs() {
    return load_fixture_jobs(fixture("search_developer_jobs_in_chicago_us_2024-11.json"));
}

std::vector<std::string> ServiceStack::python_jobs() {
    return load_fixture_jobs(fixture("search_junior_python_us_2025-10_openwebninja.json"));
}

long ServiceStack::count(const std::string& where) {
    auto rows = db_->exec("select count(*) as n from public.jobs where " + where);
    return std::stol(rows.at(0, "n").value_or("0"));
}

std::string ServiceStack::value(const std::string& job_id, const std::string& column) {
    auto rows = db_->exec_params(
        "select " + column + "::text as v from public.jobs where job_id = $1", {job_id});
    if (rows.rows.empty()) throw std::runtime_error("no row with job_id " + job_id);
    return rows.at(0, "v").value_or("<null>");
}

std::string ServiceStack::run_value(const std::string& run_id, const std::string& column) {
    auto rows = db_->exec_params(
        "select " + column + "::text as v from public.job_sync_runs where run_id = $1", {run_id});
    if (rows.rows.empty()) throw std::runtime_error("no run " + run_id);
    return rows.at(0, "v").value_or("<null>");
}

std::vector<std::string> ServiceStack::run_ids() {
    auto rows = db_->exec("select run_id from public.job_sync_runs order by id");
    std::vector<std::string> ids;
    for (std::size_t i = 0; i < rows.rows.size(); ++i)
        ids.push_back(rows.at(i, "run_id").value_or(""));
    return ids;
}

}  // namespace jobsync::testing
