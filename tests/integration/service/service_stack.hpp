// The whole service against real parts on loopback: a throwaway PostgreSQL with schema/, the
// PostgREST-compatible gateway over it and the JSearch stand-in. job-sync runs in-process
// through run_app (the same code path as the binary) with an injected clock and sleeper, so
// retries and backoff are asserted exactly and nothing sleeps.
#pragma once

#include <chrono>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <sstream>
#include <string>
#include <vector>

#include "app.hpp"
#include "standins/gateway/gateway.hpp"
#include "standins/jsearch/jsearch_standin.hpp"
#include "support/pg_cluster.hpp"

namespace jobsync::testing {

// Starts at the real time and moves one hour per sync, like a daily job run hourly, and by
// every wait the run makes (so a wait that is over is seen to be over).
class SteppingClock : public http::Clock {
  public:
    std::chrono::system_clock::time_point now() override {
        std::lock_guard lock(mutex_);
        return now_;
    }
    void advance(std::chrono::milliseconds step) {
        std::lock_guard lock(mutex_);
        now_ += step;
    }

  private:
    std::mutex mutex_;
    std::chrono::system_clock::time_point now_ = std::chrono::system_clock::now();
};

// Records every wait (from any of the run's threads) and moves the clock on by it instead of
// sleeping; read `sleeps` once the run has ended.
class RecordingSleeper : public http::Sleeper {
  public:
    explicit RecordingSleeper(SteppingClock& clock) : clock_(clock) {}
    void sleep(std::chrono::milliseconds duration) override {
        {
            std::lock_guard lock(mutex_);
            sleeps.push_back(duration);
        }
        clock_.advance(duration);
    }
    std::vector<std::chrono::milliseconds> sleeps;

  private:
    SteppingClock& clock_;
    std::mutex mutex_;
};

class ZeroJitter : public http::JitterSource {
  public:
    double next() override { return 0.0; }
};

struct SyncResult {
    int exit_code = -1;
    std::string out;  // the summary
    std::string err;
    std::string log;  // every log line of the run
};

class ServiceStack {
  public:
    static constexpr const char* kJwtSecret = "e2e-jwt-secret-that-is-long-enough-for-hs256";
    static constexpr const char* kChicago = "developer jobs in chicago";
    static constexpr const char* kPython = "junior python";

    // A fresh cluster of its own, for tests that stop the database or start from an older
    // schema (cluster_options.apply_schema = false).
    explicit ServiceStack(bool own_cluster = false, PgClusterOptions cluster_options = {});

    // A new gateway (new port) with options changed by `adjust`: a body limit, a statement
    // timeout. Requests recorded so far and hooks are dropped.
    void restart_gateway(const std::function<void(GatewayOptions&)>& adjust);

    PgCluster& cluster() { return *cluster_; }
    RestGateway& gateway() { return *gateway_; }
    JsearchStandin& jsearch() { return *jsearch_; }
    PgConnection& db() { return *db_; }
    RecordingSleeper& sleeper() { return sleeper_; }
    // Runs see `err` as a terminal (progress drawn in place), as with a person at the keyboard.
    bool err_is_terminal = false;

    // Minted once: a JWT carries iat, so minting again a second later gives another string.
    const std::string& service_role_key() const { return service_role_key_; }
    const std::string& anon_key() const { return anon_key_; }

    // The environment a deployment would set; `overrides` replace or add variables. Queries
    // are fetched one at a time without a rate limit unless JOBSYNC_CONCURRENCY /
    // JOBSYNC_MAX_RPS say otherwise, so the request order and waits tests assert are exact.
    config::EnvMap environment(const std::map<std::string, std::string>& overrides = {}) const;

    // `job-sync sync <args>`; the clock then moves on an hour.
    SyncResult sync(std::vector<std::string> args = {},
                    const std::map<std::string, std::string>& overrides = {});
    // `job-sync <args>` as given (check, status, ...); the clock then moves on an hour.
    SyncResult run(std::vector<std::string> args,
                   const std::map<std::string, std::string>& overrides = {});

    // Feeds from the real fixtures: Chicago (2024-11 vintage) and junior python (2025).
    static std::vector<std::string> chicago_jobs();
    static std::vector<std::string> python_jobs();

    // SELECT helpers on the real table (as the superuser, bypassing RLS).
    long count(const std::string& where = "true");
    // The column's value as text, "<null>" for NULL.
    std::string value(const std::string& job_id, const std::string& column);
    // A column of the job_sync_runs row of `run_id` as text, "<null>" for NULL.
    std::string run_value(const std::string& run_id, const std::string& column);
    // Run ids in job_sync_runs, oldest first.
    std::vector<std::string> run_ids();

  private:
    std::unique_ptr<PgCluster> owned_cluster_;
    PgCluster* cluster_ = nullptr;
    std::unique_ptr<RestGateway> gateway_;
    std::unique_ptr<JsearchStandin> jsearch_;
    std::unique_ptr<PgConnection> db_;
    std::string service_role_key_ = mint_jwt(kJwtSecret, "service_role");
    std::string anon_key_ = mint_jwt(kJwtSecret, "anon");
    SteppingClock clock_;
    RecordingSleeper sleeper_{clock_};
    ZeroJitter jitter_;
};

}  // namespace jobsync::testing
