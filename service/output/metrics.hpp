// The run's figures in the Prometheus text exposition format (version 0.0.4), for
// node_exporter's textfile collector: the usual way to watch a batch job that is not running
// when Prometheus scrapes. Every figure describes the last run, so all are gauges named
// job_sync_last_run_* (a `_total` counter would have to grow across runs, which one file
// rewritten per run cannot promise). Pure: text in, text out.
//
// job_sync_last_success_timestamp_seconds must survive failed runs, or an alert on "no success
// for 36 h" would reset on every failure: a failed run carries the value over from the file it
// replaces (parse_last_success), a successful run sets it to its own finish time.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "output/run_record.hpp"

namespace jobsync::output {

// The metrics file for `record`; `previous_last_success` is what the file it replaces held.
std::string render_metrics(const RunRecord& record, std::optional<double> previous_last_success);

// job_sync_last_success_timestamp_seconds from a metrics file's text; nullopt when absent or
// not a finite number.
std::optional<double> parse_last_success(std::string_view metrics_text);

}  // namespace jobsync::output
