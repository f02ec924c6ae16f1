#include "postgrest/ledger_rpc.hpp"

#include <rapidjson/document.h>
#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include "postgrest/read_request.hpp"
#include "postgrest/response.hpp"

namespace jobsync::postgrest {

namespace {

using Writer = rapidjson::Writer<rapidjson::StringBuffer>;

void key(Writer& w, const char* name) { w.Key(name); }

void text(Writer& w, const char* name, std::string_view value) {
    w.Key(name);
    w.String(value.data(), static_cast<rapidjson::SizeType>(value.size()));
}

void number(Writer& w, const char* name, long value) {
    w.Key(name);
    w.Int64(value);
}

// An empty error is SQL NULL, not ''.
void text_or_null(Writer& w, const char* name, std::string_view value) {
    if (value.empty()) {
        w.Key(name);
        w.Null();
    } else {
        text(w, name, value);
    }
}

// The details, when they are a JSON object; anything else (none included) is SQL NULL.
void object_or_null(Writer& w, const char* name, std::string_view json) {
    w.Key(name);
    rapidjson::Document details;
    details.Parse(json.data(), json.size());
    if (!json.empty() && !details.HasParseError() && details.IsObject()) {
        details.Accept(w);
    } else {
        w.Null();
    }
}

// Why a call failed, or nothing when the response is a 200 with a JSON object in `document`.
struct CallProblem {
    sync::Failure failure = sync::Failure::none;
    std::string message;
    bool ledger_missing = false;
};

CallProblem check_reply(const http::Response& response, std::string_view function,
                        rapidjson::Document& document) {
    if (!response.transport_failed() && response.status == 200) {
        document.Parse(response.body.data(), response.body.size());
        if (!document.HasParseError() && document.IsObject()) return {};
        return {sync::Failure::bad_response,
                std::string(function) +
                    " answered 200 without a JSON object: " + describe_response(response),
                false};
    }
    const auto error = parse_error_body(response.body);
    const std::string code = error ? error->code : std::string();
    if (!response.transport_failed() && response.status == 404 &&
        (code == "PGRST202" || code == "42883" || code == "PGRST205" || code == "42P01" ||
         code.empty())) {
        return {sync::Failure::rejected,
                "the run ledger is missing (function public." + std::string(function) +
                    " not found): apply " + std::string(kLedgerMigration) +
                    " to the project, then run again [" + describe_response(response) + "]",
                true};
    }
    const sync::ClassifiedFailure failure = classify_failure(response, "job_sync_runs");
    return {failure.failure, std::string(function) + " failed: " + failure.message, false};
}

// job_sync_finish and job_sync_finish_run answer alike: the run's status, and whether it came
// too late (the run was no longer running).
sync::FinishOutcome read_finish_outcome(const http::Response& response, std::string_view function) {
    sync::FinishOutcome outcome;
    rapidjson::Document reply;
    const CallProblem problem = check_reply(response, function, reply);
    if (problem.failure != sync::Failure::none) {
        outcome.failure = problem.failure;
        outcome.message = problem.message;
        return outcome;
    }
    outcome.status = text_member(reply, "status");
    outcome.late = true_member(reply, "late");
    return outcome;
}

}  // namespace

std::string begin_arguments(const sync::RunStart& start) {
    rapidjson::StringBuffer buffer;
    Writer w(buffer);
    w.StartObject();
    text(w, "p_run_id", start.run_id);
    number(w, "p_lease_seconds", start.lease_seconds);
    text(w, "p_holder", start.holder);
    number(w, "p_shard", start.shard);
    number(w, "p_shard_count", start.shard_count);
    if (start.dry_run) {
        w.Key("p_dry_run");
        w.Bool(true);
    }
    w.EndObject();
    return {buffer.GetString(), buffer.GetSize()};
}

std::string renew_arguments(std::string_view run_id, int lease_seconds) {
    rapidjson::StringBuffer buffer;
    Writer w(buffer);
    w.StartObject();
    text(w, "p_run_id", run_id);
    number(w, "p_lease_seconds", lease_seconds);
    w.EndObject();
    return {buffer.GetString(), buffer.GetSize()};
}

std::string finish_arguments(const sync::RunRecord& record) {
    rapidjson::StringBuffer buffer;
    Writer w(buffer);
    w.StartObject();
    text(w, "p_run_id", record.run_id);
    text(w, "p_status", sync::to_string(record.status));
    key(w, "p_counts");
    w.StartObject();
    const sync::RunCounts& c = record.counts;
    number(w, "queries", c.queries);
    number(w, "requests", c.requests);
    number(w, "billed_requests", c.billed_requests);
    number(w, "jobs_fetched", c.jobs_fetched);
    number(w, "jobs_skipped", c.jobs_skipped);
    number(w, "jobs_refused", c.jobs_refused);
    number(w, "rows_upserted", c.rows_upserted);
    number(w, "deactivated", c.deactivated);
    number(w, "retries", c.retries);
    w.EndObject();
    text_or_null(w, "p_error", record.error);
    number(w, "p_shard", record.shard);
    object_or_null(w, "p_details", record.details_json);
    w.EndObject();
    return {buffer.GetString(), buffer.GetSize()};
}

sync::Lease read_begin_reply(const http::Response& response) {
    sync::Lease lease;
    rapidjson::Document reply;
    const CallProblem problem = check_reply(response, "job_sync_begin", reply);
    if (problem.failure != sync::Failure::none) {
        lease.state = sync::Lease::State::failed;
        lease.failure = problem.failure;
        lease.message = problem.message;
        lease.ledger_missing = problem.ledger_missing;
        return lease;
    }
    const std::string status = text_member(reply, "status");
    lease.started_at = text_member(reply, "started_at");
    lease.lease_expires_at = text_member(reply, "lease_expires_at");
    if (status == "running" && !lease.started_at.empty()) {
        lease.state = sync::Lease::State::held;
        lease.joined = true_member(reply, "joined");
        return lease;
    }
    if (status == "refused") {
        lease.state = sync::Lease::State::refused;
        lease.holder_run_id = text_member(reply, "holder_run_id");
        lease.holder = text_member(reply, "holder");
        lease.holder_started_at = text_member(reply, "holder_started_at");
        if (lease.holder_run_id.empty()) {
            // A shard of a run refused earlier, when the holder has finished since.
            lease.message =
                "run " + text_member(reply, "run_id") +
                " was refused when its first shard started: " + text_member(reply, "error");
            return lease;
        }
        lease.message = "another run holds the lease: run " + lease.holder_run_id + " (holder " +
                        (lease.holder.empty() ? std::string("unknown") : lease.holder) +
                        ") since " + lease.holder_started_at + ", lease until " +
                        lease.lease_expires_at;
        return lease;
    }
    if (status == "finished") {
        lease.state = sync::Lease::State::finished;
        lease.run_status = text_member(reply, "run_status");
        lease.message = "run id '" + text_member(reply, "run_id") + "' already ran (status " +
                        lease.run_status + "); give a new --run-id or leave it out";
        return lease;
    }
    lease.state = sync::Lease::State::failed;
    lease.failure = sync::Failure::bad_response;
    lease.message = "job_sync_begin gave an answer job-sync does not understand: " +
                    describe_response(response);
    return lease;
}

sync::LeaseRenewal read_renew_reply(const http::Response& response) {
    sync::LeaseRenewal renewal;
    rapidjson::Document reply;
    const CallProblem problem = check_reply(response, "job_sync_heartbeat", reply);
    if (problem.failure != sync::Failure::none) {
        renewal.failure = problem.failure;
        renewal.message = problem.message;
        return renewal;
    }
    renewal.held = true_member(reply, "held");
    renewal.lease_expires_at = text_member(reply, "lease_expires_at");
    renewal.status = text_member(reply, "status");
    return renewal;
}

sync::FinishOutcome read_finish_reply(const http::Response& response) {
    return read_finish_outcome(response, "job_sync_finish");
}

std::string claim_arguments(std::string_view run_id, int shard) {
    rapidjson::StringBuffer buffer;
    Writer w(buffer);
    w.StartObject();
    text(w, "p_run_id", run_id);
    number(w, "p_shard", shard);
    w.EndObject();
    return {buffer.GetString(), buffer.GetSize()};
}

std::string finish_run_arguments(const sync::RunClose& close) {
    rapidjson::StringBuffer buffer;
    Writer w(buffer);
    w.StartObject();
    text(w, "p_run_id", close.run_id);
    text(w, "p_status", sync::to_string(close.status));
    number(w, "p_deactivated", close.deactivated);
    text_or_null(w, "p_error", close.error);
    object_or_null(w, "p_details", close.details_json);
    w.EndObject();
    return {buffer.GetString(), buffer.GetSize()};
}

namespace {

std::vector<int> member_ints(const rapidjson::Value& object, const char* name) {
    std::vector<int> values;
    const auto found = object.FindMember(name);
    if (found == object.MemberEnd() || !found->value.IsArray()) return values;
    for (const auto& item : found->value.GetArray()) {
        if (item.IsInt()) values.push_back(item.GetInt());
    }
    return values;
}

long member_long(const rapidjson::Value& object, const char* name) {
    const auto found = object.FindMember(name);
    return found != object.MemberEnd() && found->value.IsInt64() ? found->value.GetInt64() : 0;
}

}  // namespace

sync::SweepClaim read_claim_reply(const http::Response& response) {
    sync::SweepClaim claim;
    rapidjson::Document reply;
    const CallProblem problem = check_reply(response, "job_sync_claim_sweep", reply);
    if (problem.failure != sync::Failure::none) {
        claim.failure = problem.failure;
        claim.message = problem.message;
        return claim;
    }
    claim.claimed = true_member(reply, "claimed");
    claim.reason = text_member(reply, "reason");
    claim.run_status = text_member(reply, "run_status");
    claim.running = member_ints(reply, "running");
    claim.missing = member_ints(reply, "missing");
    claim.jobs_fetched = member_long(reply, "jobs_fetched");
    claim.billed_requests = member_long(reply, "billed_requests");
    const auto failed = reply.FindMember("failed");
    if (failed != reply.MemberEnd() && failed->value.IsArray()) {
        for (const auto& shard : failed->value.GetArray()) {
            if (!shard.IsObject()) continue;
            const auto number = shard.FindMember("shard");
            std::string line = "shard ";
            line += number != shard.MemberEnd() && number->value.IsInt()
                        ? std::to_string(number->value.GetInt())
                        : std::string("?");
            line += " " + text_member(shard, "status");
            const std::string error = text_member(shard, "error");
            if (!error.empty()) line += ": " + error;
            claim.failed.push_back(std::move(line));
        }
    }
    if (!claim.claimed && claim.reason.empty()) {
        claim.failure = sync::Failure::bad_response;
        claim.message = "job_sync_claim_sweep gave an answer job-sync does not understand: " +
                        describe_response(response);
    }
    return claim;
}

sync::FinishOutcome read_finish_run_reply(const http::Response& response) {
    return read_finish_outcome(response, "job_sync_finish_run");
}

}  // namespace jobsync::postgrest
