// The run ledger's RPC calls (pure): the JSON arguments of job_sync_begin, job_sync_heartbeat,
// job_sync_finish, job_sync_claim_sweep and job_sync_finish_run
// (schema/20250104000000_job_sync_runs.sql) and the reading of their answers. The functions run on
// the database's clock, so no client's clock matters.
#pragma once

#include <string>
#include <string_view>

#include "http/transport.hpp"
#include "ports/ports.hpp"

namespace jobsync::postgrest {

inline constexpr std::string_view kLedgerMigration = "schema/20250104000000_job_sync_runs.sql";

std::string begin_arguments(const sync::RunStart& start);
std::string renew_arguments(std::string_view run_id, int lease_seconds);
std::string finish_arguments(const sync::RunRecord& record);
std::string claim_arguments(std::string_view run_id, int shard);
std::string finish_run_arguments(const sync::RunClose& close);

// 200 with the function's JSON object. Anything else fails: a missing function (404: PGRST202,
// 42883) means the migration was not applied and sets ledger_missing.
sync::Lease read_begin_reply(const http::Response& response);
sync::LeaseRenewal read_renew_reply(const http::Response& response);
sync::FinishOutcome read_finish_reply(const http::Response& response);
sync::SweepClaim read_claim_reply(const http::Response& response);
sync::FinishOutcome read_finish_run_reply(const http::Response& response);

}  // namespace jobsync::postgrest
