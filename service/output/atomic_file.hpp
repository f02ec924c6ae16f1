// Files other programs read while job-sync may be writing them (a metrics scraper, a pipeline
// step): written to a temporary file beside the target, flushed, then renamed over it, so a
// reader sees the old file or the new one, never half of one. The temporary name starts with
// "." and does not end in ".prom", so node_exporter's textfile collector never reads it.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace jobsync::output {

// Replaces `path` with `content` atomically, mode 0644 (the collector runs as another user).
// Throws std::runtime_error naming the path and the system's reason.
void write_file_atomically(const std::string& path, std::string_view content);

// The file's content; nullopt when it does not exist or cannot be read.
std::optional<std::string> read_file_if_present(const std::string& path);

// Why `path` cannot be written (its folder is missing or not writable, or it is a folder);
// nullopt when it can. Lets the app refuse a bad path before the run spends any quota.
std::optional<std::string> unwritable_reason(const std::string& path);

}  // namespace jobsync::output
