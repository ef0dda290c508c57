// The standard process_* metrics of a worker pool, read from /proc when /metrics is scraped.
#pragma once

#include <sys/types.h>

#include <string>
#include <vector>

namespace metrics {

// One process as /proc/<pid>/stat and /proc/<pid>/fd describe it.
struct ProcessSample {
    double cpu_seconds = 0;                  // user + system time of the process itself
    double reaped_children_cpu_seconds = 0;  // of its children that exited and were reaped
    double resident_bytes = 0;
    double virtual_bytes = 0;
    double start_time_seconds = 0;  // since the Unix epoch
    double open_fds = 0;
};

// Reads one process; false when it is gone.
bool sample_process(pid_t pid, ProcessSample& out);

// The pool's processes: a worker under a supervisor reports the supervisor and every child of
// it (the whole pool, the workers that died included through the supervisor's reaped CPU
// time); any other process reports itself.
std::vector<pid_t> pool_processes();

// process_cpu_seconds_total, process_resident_memory_bytes, process_virtual_memory_bytes,
// process_open_fds, process_max_fds and process_start_time_seconds of the pool (sums, and the
// supervisor's start time), in the Prometheus text format.
std::string render_process_metrics();

}  // namespace metrics
