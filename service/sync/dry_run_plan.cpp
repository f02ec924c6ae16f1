#include "sync/dry_run_plan.hpp"

#include <algorithm>
#include <cmath>
#include <unordered_map>
#include <unordered_set>

namespace jobsync::sync {

namespace {

void add(PlanAction& action, const std::string& job_id, const std::string& title,
         std::size_t max_examples) {
    ++action.count;
    if (action.examples.size() < max_examples) action.examples.push_back({job_id, title});
}

}  // namespace

GuardReport evaluate_guard(double share, long active, long would_deactivate) {
    GuardReport guard;
    guard.share = std::max(0.0, share);
    guard.active = active;
    guard.would_deactivate = would_deactivate;
    guard.limit = static_cast<long>(std::floor(guard.share * static_cast<double>(active) + 1e-9));
    guard.tripped = share < 1.0 && would_deactivate > guard.limit;
    return guard;
}

DryRunPlan plan_dry_run(const DryRunInput& input, std::size_t max_examples) {
    std::unordered_map<std::string, bool> active_by_id;
    for (const auto& row : input.stored) active_by_id[row.job_id] = row.is_active;

    DryRunPlan plan;
    std::unordered_set<std::string> in_feed;
    for (const auto& job : input.feed) {
        if (!in_feed.insert(job.job_id).second) continue;  // counted once, like dedup
        const auto found = active_by_id.find(job.job_id);
        if (found == active_by_id.end()) {
            add(plan.insert, job.job_id, job.title, max_examples);
        } else if (found->second) {
            add(plan.update, job.job_id, job.title, max_examples);
        } else {
            add(plan.reactivate, job.job_id, job.title, max_examples);
        }
    }

    std::vector<std::string> vanished;
    for (const auto& id : input.sweep_reachable) {
        if (in_feed.count(id) == 0) vanished.push_back(id);
    }
    std::sort(vanished.begin(), vanished.end());
    vanished.erase(std::unique(vanished.begin(), vanished.end()), vanished.end());
    for (const auto& id : vanished) add(plan.deactivate, id, {}, max_examples);

    if (!input.sweep_blocker.empty()) {
        plan.sweep_note = input.sweep_blocker;
    } else if (input.feed.empty()) {
        plan.sweep_note = "no jobs fetched: refusing to deactivate the whole board";
    } else if (!input.sweep) {
        plan.sweep_note = "--no-sweep";
    }
    if (!plan.sweep_note.empty()) return plan;

    plan.sweep_would_run = true;
    if (input.max_deactivate_share < 1.0) {
        // The runner counts the active rows after the upserts: new and reactivated jobs included.
        const long active_after = input.active_now + plan.insert.count + plan.reactivate.count;
        plan.guard =
            evaluate_guard(input.max_deactivate_share, active_after, plan.deactivate.count);
        if (plan.guard->tripped) plan.sweep_would_run = false;
    }
    return plan;
}

}  // namespace jobsync::sync
