// process_* metrics of a worker pool from /proc.
#include "metrics/process.hpp"

#include <sys/resource.h>
#include <unistd.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "metrics/exposition.hpp"
#include "metrics/metrics.hpp"

namespace metrics {
namespace {

double boot_time_seconds() {
    std::ifstream in("/proc/stat");
    for (std::string line; std::getline(in, line);)
        if (line.starts_with("btime ")) return std::stod(line.substr(6));
    return 0;
}

size_t count_fds(pid_t pid) {
    std::error_code ec;
    size_t n = 0;
    for (std::filesystem::directory_iterator it("/proc/" + std::to_string(pid) + "/fd", ec), end;
         !ec && it != end; it.increment(ec))
        ++n;
    return n;
}

// The pids whose parent is ppid (from /proc/<ppid>/task/<ppid>/children when the kernel has
// it, else a scan of /proc).
std::vector<pid_t> children_of(pid_t ppid) {
    std::vector<pid_t> out;
    std::ifstream in("/proc/" + std::to_string(ppid) + "/task/" + std::to_string(ppid) +
                     "/children");
    if (in) {
        for (long pid; in >> pid;) out.push_back(static_cast<pid_t>(pid));
        return out;
    }
    std::error_code ec;
    for (std::filesystem::directory_iterator it("/proc", ec), end; !ec && it != end;
         it.increment(ec)) {
        const std::string name = it->path().filename().string();
        if (name.find_first_not_of("0123456789") != std::string::npos) continue;
        std::ifstream stat(it->path() / "stat");
        std::string line;
        if (!std::getline(stat, line)) continue;
        const size_t close = line.rfind(')');
        long parent = 0;
        char state = 0;
        if (close != std::string::npos &&
            sscanf(line.c_str() + close + 1, " %c %ld", &state, &parent) == 2 && parent == ppid)
            out.push_back(static_cast<pid_t>(std::stol(name)));
    }
    return out;
}

}  // namespace

bool sample_process(pid_t pid, ProcessSample& out) {
    std::ifstream in("/proc/" + std::to_string(pid) + "/stat");
    std::string line;
    if (!std::getline(in, line)) return false;
    // pid (comm) state ppid ...: comm may hold spaces and parentheses; fields follow the last ')'.
    const size_t close = line.rfind(')');
    if (close == std::string::npos) return false;
    std::istringstream fields(line.substr(close + 2));
    std::vector<std::string> f;
    for (std::string w; fields >> w;) f.push_back(w);
    // f[0] is field 3 (state): utime 14, stime 15, cutime 16, cstime 17, starttime 22,
    // vsize 23, rss 24 (in pages).
    if (f.size() < 22) return false;
    static const double ticks = static_cast<double>(sysconf(_SC_CLK_TCK));
    static const double page = static_cast<double>(sysconf(_SC_PAGESIZE));
    static const double boot = boot_time_seconds();
    out.cpu_seconds = (std::stod(f[11]) + std::stod(f[12])) / ticks;
    out.reaped_children_cpu_seconds = (std::stod(f[13]) + std::stod(f[14])) / ticks;
    out.start_time_seconds = boot + std::stod(f[19]) / ticks;
    out.virtual_bytes = std::stod(f[20]);
    out.resident_bytes = std::stod(f[21]) * page;
    out.open_fds = static_cast<double>(count_fds(pid));
    return true;
}

std::vector<pid_t> pool_processes() {
    // Workers of a supervisor share its metrics segment (shared_fd() >= 0 after attach).
    const pid_t root = shared_fd() >= 0 ? getppid() : getpid();
    std::vector<pid_t> pids{root};
    if (root != getpid())
        for (pid_t child : children_of(root)) pids.push_back(child);
    return pids;
}

std::string render_process_metrics() {
    ProcessSample total, one;
    double start = 0;
    const auto pids = pool_processes();
    for (size_t i = 0; i < pids.size(); ++i) {
        if (!sample_process(pids[i], one)) continue;
        total.cpu_seconds += one.cpu_seconds;
        // Only the pool's root: its reaped children are the pool's workers that exited.
        if (i == 0) {
            total.cpu_seconds += one.reaped_children_cpu_seconds;
            start = one.start_time_seconds;
        }
        total.resident_bytes += one.resident_bytes;
        total.virtual_bytes += one.virtual_bytes;
        total.open_fds += one.open_fds;
    }
    rlimit files{};
    getrlimit(RLIMIT_NOFILE, &files);
    std::string out;
    out += single(
        "process_cpu_seconds_total", "counter",
        "User and system CPU time of the pool (supervisor and workers, exited ones included).",
        total.cpu_seconds);
    out += single(
        "process_resident_memory_bytes", "gauge",
        "Resident memory of the pool's processes, summed (shared pages count once per process).",
        total.resident_bytes);
    out += single("process_virtual_memory_bytes", "gauge",
                  "Virtual memory of the pool's processes, summed.", total.virtual_bytes);
    out += single("process_open_fds", "gauge",
                  "Open file descriptors of the pool's processes, summed.", total.open_fds);
    out += single("process_max_fds", "gauge", "The open file limit of each process of the pool.",
                  files.rlim_cur == RLIM_INFINITY ? -1 : static_cast<double>(files.rlim_cur));
    out += single("process_start_time_seconds", "gauge",
                  "When the pool's supervisor started, in seconds since the Unix epoch.", start);
    out += single("login_pool_processes", "gauge", "Processes counted in the process_* metrics.",
                  static_cast<double>(pids.size()));
    return out;
}

}  // namespace metrics
