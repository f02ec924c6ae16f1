#include "postgrest/run_ledger.hpp"

#include <spdlog/spdlog.h>

#include <utility>

#include "postgrest/ledger_rpc.hpp"
#include "postgrest/response.hpp"

namespace jobsync::postgrest {

PostgrestRunLedger::PostgrestRunLedger(http::Transport& transport, Endpoint endpoint,
                                       http::RetryPolicy policy, http::RetryEnvironment environment)
    : connection_(transport, std::move(endpoint), std::move(policy), std::move(environment)) {}

sync::Lease PostgrestRunLedger::begin(const sync::RunStart& start) {
    const http::RetriedResponse sent = call("job_sync_begin", begin_arguments(start));
    sync::Lease lease = read_begin_reply(sent.response);
    lease.message = connection_.scrub(std::move(lease.message));
    lease.retries = sent.retries();
    return lease;
}

sync::LeaseRenewal PostgrestRunLedger::renew(std::string_view run_id, int lease_seconds) {
    const http::RetriedResponse sent =
        call("job_sync_heartbeat", renew_arguments(run_id, lease_seconds));
    sync::LeaseRenewal renewal = read_renew_reply(sent.response);
    renewal.message = connection_.scrub(std::move(renewal.message));
    renewal.retries = sent.retries();
    return renewal;
}

sync::FinishOutcome PostgrestRunLedger::finish(const sync::RunRecord& record) {
    const http::RetriedResponse sent = call("job_sync_finish", finish_arguments(record));
    sync::FinishOutcome outcome = read_finish_reply(sent.response);
    outcome.message = connection_.scrub(std::move(outcome.message));
    outcome.retries = sent.retries();
    return outcome;
}

sync::SweepClaim PostgrestRunLedger::claim_sweep(std::string_view run_id, int shard) {
    const http::RetriedResponse sent = call("job_sync_claim_sweep", claim_arguments(run_id, shard));
    sync::SweepClaim claim = read_claim_reply(sent.response);
    claim.message = connection_.scrub(std::move(claim.message));
    for (auto& line : claim.failed) line = connection_.scrub(std::move(line));
    claim.retries = sent.retries();
    return claim;
}

sync::FinishOutcome PostgrestRunLedger::finish_run(const sync::RunClose& close) {
    const http::RetriedResponse sent = call("job_sync_finish_run", finish_run_arguments(close));
    sync::FinishOutcome outcome = read_finish_run_reply(sent.response);
    outcome.message = connection_.scrub(std::move(outcome.message));
    outcome.retries = sent.retries();
    return outcome;
}

http::RetriedResponse PostgrestRunLedger::call(std::string_view function,
                                               std::string arguments) const {
    const http::Request request =
        build_rpc_request(connection_.endpoint, function, std::move(arguments));
    spdlog::debug("postgrest: POST {} ({} bytes)", request.url, request.body.size());
    auto on_retry = [this, function](int attempt, const http::Response& response,
                                     std::chrono::milliseconds wait) {
        spdlog::warn("postgrest: {} attempt {} failed ({}); retrying in {} ms", function, attempt,
                     connection_.scrub(describe_response(response)), wait.count());
    };
    return http::send_with_retry(connection_.transport, request, connection_.policy,
                                 connection_.environment, on_retry);
}

}  // namespace jobsync::postgrest
