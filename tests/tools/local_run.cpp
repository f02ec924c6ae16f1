// `make run`: the main job on an embedded default. Starts a throwaway PostgreSQL with the
// schema, the PostgREST-compatible gateway and the JSearch stand-in on loopback, runs the real
// `job-sync sync` binary against them twice (a first sync, then a day later with a changed feed
// after users clicked on some jobs), prints the summaries and a few rows, and shuts down.
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdlib>
#include <cstring>
#include <cxxopts.hpp>
#include <filesystem>
#include <iomanip>
#include <iostream>
#include <random>
#include <string>
#include <vector>

#include "standins/gateway/gateway.hpp"
#include "standins/jsearch/jsearch_standin.hpp"
#include "support/pg_cluster.hpp"

extern char** environ;

namespace {

using namespace jobsync::testing;
namespace fs = std::filesystem;

constexpr const char* kChicagoFixture = "search_developer_jobs_in_chicago_us_2024-11.json";
constexpr const char* kPythonFixture = "search_junior_python_us_2025-10_openwebninja.json";

std::string random_secret() {
    std::random_device device;
    std::mt19937_64 generator(device());
    std::string secret;
    static constexpr char kAlphabet[] = "abcdefghijklmnopqrstuvwxyz0123456789";
    for (int i = 0; i < 48; ++i) secret.push_back(kAlphabet[generator() % 36]);
    return secret;
}

// Runs job-sync as a child process, in an empty working directory (so no stray ./.env is
// picked up), with the given variables added to the environment. Returns its exit code.
int run_job_sync(const std::string& binary, const std::vector<std::string>& args,
                 const std::vector<std::string>& variables) {
    std::vector<std::string> env_strings;
    for (char** entry = environ; *entry != nullptr; ++entry) {
        std::string value(*entry);
        bool overridden = false;
        for (const auto& variable : variables) {
            if (value.compare(0, variable.find('=') + 1, variable, 0, variable.find('=') + 1) ==
                0) {
                overridden = true;
            }
        }
        if (!overridden) env_strings.push_back(value);
    }
    env_strings.insert(env_strings.end(), variables.begin(), variables.end());

    std::vector<char*> argv{const_cast<char*>(binary.c_str())};
    for (const auto& arg : args) argv.push_back(const_cast<char*>(arg.c_str()));
    argv.push_back(nullptr);
    std::vector<char*> envp;
    for (auto& entry : env_strings) envp.push_back(entry.data());
    envp.push_back(nullptr);

    fs::path workdir = fs::temp_directory_path() / ("job-sync-run-" + std::to_string(::getpid()));
    fs::create_directories(workdir);
    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_addchdir_np(&actions, workdir.c_str());
    pid_t pid = 0;
    int spawn_error =
        posix_spawn(&pid, binary.c_str(), &actions, nullptr, argv.data(), envp.data());
    posix_spawn_file_actions_destroy(&actions);
    if (spawn_error != 0) {
        fs::remove_all(workdir);
        throw std::runtime_error("cannot start " + binary + ": " + std::strerror(spawn_error));
    }
    int status = 0;
    ::waitpid(pid, &status, 0);
    fs::remove_all(workdir);
    return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

void print_rows(PgConnection& db) {
    auto rows = db.exec(
        "select left(job_id, 14) as job_id, left(job_title, 34) as title, "
        "left(employer_name, 20) as employer, is_active, click_count, coalesce(lane, '') as lane "
        "from public.jobs order by is_active, click_count desc, job_title limit 12");
    std::cout << std::left << std::setw(16) << "job_id" << std::setw(36) << "title" << std::setw(22)
              << "employer" << std::setw(8) << "active" << std::setw(7) << "clicks"
              << "lane\n";
    for (std::size_t i = 0; i < rows.rows.size(); ++i) {
        std::cout << std::setw(16) << rows.at(i, "job_id").value_or("") << std::setw(36)
                  << rows.at(i, "title").value_or("") << std::setw(22)
                  << rows.at(i, "employer").value_or("") << std::setw(8)
                  << rows.at(i, "is_active").value_or("") << std::setw(7)
                  << rows.at(i, "click_count").value_or("") << rows.at(i, "lane").value_or("")
                  << "\n";
    }
    auto totals = db.exec(
        "select count(*) filter (where is_active) as active, "
        "count(*) filter (where not is_active) as inactive from public.jobs");
    std::cout << "table public.jobs: " << totals.at(0, "active").value_or("0") << " active, "
              << totals.at(0, "inactive").value_or("0") << " inactive\n";
}

// Day 2 as `shards` shards of one run (issue 11), one after another so their summaries read in
// order: every shard but the last leaves the sweep, the last one sweeps for the run. Then the
// run's record and its shards' rows. Returns the worst exit code.
int run_sharded_day(const std::string& binary, const std::vector<std::string>& variables,
                    int shards, PgConnection& db) {
    const std::string run_id = "day-2-sharded";
    int worst = 0;
    for (int shard = 0; shard < shards; ++shard) {
        const std::string part = std::to_string(shard) + "/" + std::to_string(shards);
        std::cout << "==> job-sync sync --shard " << part << " --run-id " << run_id << " (day 2)\n"
                  << std::flush;
        const int code = run_job_sync(
            binary, {"sync", "--pages", "2", "--run-id", run_id, "--shard", part}, variables);
        std::cout << "job-sync exited with " << code << "\n\n";
        worst = std::max(worst, code);
    }
    auto run = db.exec_params(
        "select status, shard_count, queries, billed_requests, jobs_fetched, rows_upserted, "
        "deactivated, sweep_shard, coalesce(error, '-') as error from public.job_sync_runs "
        "where run_id = $1",
        {run_id});
    std::cout << "==> the run record of " << run_id << " (job_sync_runs)\n";
    for (const char* column :
         {"status", "shard_count", "queries", "billed_requests", "jobs_fetched", "rows_upserted",
          "deactivated", "sweep_shard", "error"}) {
        std::cout << "  " << std::left << std::setw(16) << column
                  << (run.rows.empty() ? "?" : run.at(0, column).value_or("<null>")) << "\n";
    }
    auto parts = db.exec_params(
        "select shard, status, attempts, queries, billed_requests, jobs_fetched from "
        "public.job_sync_run_shards where run_id = $1 order by shard",
        {run_id});
    std::cout << "  shards (job_sync_run_shards): shard status attempts queries billed fetched\n";
    for (std::size_t i = 0; i < parts.rows.size(); ++i) {
        std::cout << "    ";
        for (const char* column :
             {"shard", "status", "attempts", "queries", "billed_requests", "jobs_fetched"}) {
            std::cout << parts.at(i, column).value_or("-") << " ";
        }
        std::cout << "\n";
    }
    std::cout << "\n";
    return worst;
}

}  // namespace

int main(int argc, char** argv) {
    cxxopts::Options options("local-run", "Runs job-sync against an embedded local stack.");
    options.add_options()("job-sync", "path of the job-sync binary",
                          cxxopts::value<std::string>()->default_value("build/job-sync"))(
        "fixtures", "directory of recorded JSearch responses",
        cxxopts::value<std::string>()->default_value(JOBSYNC_FIXTURES_DIR))(
        "shards", "run day 2 as N shards of one run (`sync --shard I/N`), one after another",
        cxxopts::value<int>()->default_value("1"))("h,help", "this help");
    auto parsed = options.parse(argc, argv);
    if (parsed.count("help")) {
        std::cout << options.help() << "\n";
        return 0;
    }
    const std::string binary = fs::absolute(parsed["job-sync"].as<std::string>()).string();
    const fs::path fixtures = parsed["fixtures"].as<std::string>();

    try {
        std::cout << "==> starting a throwaway PostgreSQL and applying schema/ ...\n";
        PgCluster cluster;
        const std::string jwt_secret = random_secret();
        RestGateway gateway(GatewayOptions{cluster.authenticator_conninfo(), jwt_secret});
        JsearchStandin jsearch;
        const std::string chicago = "developer jobs in chicago";
        const std::string python = "junior python";
        jsearch.set_jobs(
            chicago, load_fixture_jobs(
                         (fixtures / "search_developer_jobs_in_chicago_us_2024-11.json").string()));
        jsearch.set_jobs(
            python, load_fixture_jobs(
                        (fixtures / "search_junior_python_us_2025-10_openwebninja.json").string()));
        std::cout << "    PostgREST gateway: " << gateway.base_url() << "/rest/v1/jobs\n"
                  << "    JSearch stand-in:  " << jsearch.base_url() << "/search\n\n";

        const std::vector<std::string> variables = {
            "SUPABASE_URL=" + gateway.base_url(),
            "SUPABASE_SERVICE_ROLE_KEY=" + mint_jwt(jwt_secret, "service_role"),
            "JSEARCH_API_KEY=local-jsearch-key",
            "JSEARCH_BASE_URL=" + jsearch.base_url(),
            "JSEARCH_QUERIES=" + chicago + ";" + python,
        };

        std::cout << "==> job-sync sync (day 1)\n" << std::flush;
        int first = run_job_sync(binary, {"sync", "--pages", "2"}, variables);
        std::cout << "job-sync exited with " << first << "\n\n";

        auto db = cluster.connect_superuser();
        db.exec(
            "update public.jobs set click_count = 7, lane = 'applied' where job_id in "
            "(select job_id from public.jobs order by job_id limit 2)");
        std::cout << "==> users clicked on two jobs; day 2 the Chicago feed lost 3 jobs\n";
        auto chicago_jobs = load_fixture_jobs(
            (fixtures / "search_developer_jobs_in_chicago_us_2024-11.json").string());
        chicago_jobs.resize(chicago_jobs.size() > 3 ? chicago_jobs.size() - 3 : 0);
        jsearch.set_jobs(chicago, chicago_jobs);

        const int shards = std::max(1, parsed["shards"].as<int>());
        int second = 0;
        if (shards > 1) {
            second = run_sharded_day(binary, variables, shards, db);
        } else {
            std::cout << "==> job-sync sync (day 2)\n" << std::flush;
            second = run_job_sync(binary, {"sync", "--pages", "2"}, variables);
        }
        std::cout << "job-sync exited with " << second << "\n\n";

        print_rows(db);

        // The operators' commands on the same stack: none of them writes to the jobs table.
        std::cout << "\n==> job-sync check\n" << std::flush;
        int check = run_job_sync(binary, {"check"}, variables);
        std::cout << "job-sync exited with " << check << "\n\n";

        std::cout << "==> day 3, before the run: the Chicago feed has its 3 jobs back and the "
                     "Python feed lost 2; job-sync sync --dry-run\n"
                  << std::flush;
        jsearch.set_jobs(chicago, load_fixture_jobs((fixtures / kChicagoFixture).string()));
        auto python_jobs = load_fixture_jobs((fixtures / kPythonFixture).string());
        python_jobs.resize(python_jobs.size() > 2 ? python_jobs.size() - 2 : 0);
        jsearch.set_jobs(python, python_jobs);
        int dry = run_job_sync(binary, {"sync", "--pages", "2", "--dry-run"}, variables);
        std::cout << "job-sync exited with " << dry << "\n\n";

        std::cout << "==> job-sync status\n" << std::flush;
        int status = run_job_sync(binary, {"status"}, variables);
        std::cout << "job-sync exited with " << status << "\n";

        std::cout << "\n==> shutting the local stack down\n";
        return first == 0 && second == 0 && check == 0 && dry == 0 && status == 0 ? 0 : 1;
    } catch (const std::exception& e) {
        std::cerr << "local-run: " << e.what() << "\n";
        return 1;
    }
}
