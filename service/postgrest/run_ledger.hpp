// The PostgREST RunLedger: the lease and the run's history row, through the RPC functions of
// schema/20250104000000_job_sync_runs.sql, with retries (each call is safe to repeat: a begin
// repeated under the same run id joins its own run).
#pragma once

#include "http/retry.hpp"
#include "http/transport.hpp"
#include "ports/ports.hpp"
#include "postgrest/connection.hpp"
#include "postgrest/request.hpp"

namespace jobsync::postgrest {

class PostgrestRunLedger final : public sync::RunLedger {
  public:
    PostgrestRunLedger(http::Transport& transport, Endpoint endpoint, http::RetryPolicy policy,
                       http::RetryEnvironment environment);

    sync::Lease begin(const sync::RunStart& start) override;
    sync::LeaseRenewal renew(std::string_view run_id, int lease_seconds) override;
    sync::FinishOutcome finish(const sync::RunRecord& record) override;
    sync::SweepClaim claim_sweep(std::string_view run_id, int shard) override;
    sync::FinishOutcome finish_run(const sync::RunClose& close) override;

  private:
    http::RetriedResponse call(std::string_view function, std::string arguments) const;

    Connection connection_;
};

}  // namespace jobsync::postgrest
