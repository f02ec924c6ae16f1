// What a real run would do, computed from what a dry run saw (pure): the feed's jobs against
// the table's state. The rules are the real run's:
// - a feed job not in the table is inserted; one in the table is updated (active) or
//   reactivated (inactive): the upsert sets is_active=true and last_seen on every feed job;
// - the sweep deactivates the active rows its filter reaches (last_seen NULL or before the
//   run's start: postgrest::sweep_filter) that are not in the feed, and only when every query
//   succeeded, at least one job was fetched and --no-sweep was not given;
// - the guard (evaluate_guard) counts the active rows after the upserts, as the runner does.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <vector>

#include "sync/dedup.hpp"
#include "sync/summary.hpp"

namespace jobsync::sync {

struct FeedJob {
    std::string job_id;
    std::string title;
    FeedRank rank = 0;  // where a sequential run meets this copy (sync/dry_run_feed.hpp)
};

// A row of the table among the feed's ids.
struct StoredJob {
    std::string job_id;
    bool is_active = false;
};

struct PlanExample {
    std::string job_id;
    std::string title;  // the feed's for inserts/updates/reactivations; the table's otherwise
};

struct PlanAction {
    long count = 0;
    std::vector<PlanExample> examples;  // the first few, in feed order (deactivations: by id)
};

struct DryRunInput {
    std::vector<FeedJob> feed;                 // distinct jobs, in the order the run met them
    std::vector<StoredJob> stored;             // the table's rows among the feed's ids
    std::vector<std::string> sweep_reachable;  // ids the sweep's filter matches now
    long active_now = 0;                       // active rows in the table now
    bool sweep = true;                         // false: --no-sweep
    double max_deactivate_share = 0.5;
    // Why a real run would skip the sweep (a failed query, nothing fetched); empty: it would not.
    std::string sweep_blocker;
};

struct DryRunPlan {
    PlanAction insert;
    PlanAction update;
    PlanAction reactivate;
    PlanAction deactivate;  // what the sweep would reach, even when it would not run
    bool sweep_would_run = false;
    std::string sweep_note;            // why it would not run; empty when it would
    std::optional<GuardReport> guard;  // when the guard would be consulted
};

// The mass-deactivation guard's rule (the runner's): at most floor(share * active) rows;
// `share` >= 1 turns it off (never tripped).
GuardReport evaluate_guard(double share, long active, long would_deactivate);

DryRunPlan plan_dry_run(const DryRunInput& input, std::size_t max_examples = 5);

}  // namespace jobsync::sync
