// Counters for GET /metrics in one shared-memory segment.
#include "metrics/metrics.hpp"

#include "metrics/exposition.hpp"
#include "metrics/process.hpp"

#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <array>
#include <atomic>
#include <cstdio>
#include <new>
#include <stdexcept>

namespace metrics {
namespace {

constexpr size_t kMaxRoutes = 64;
constexpr std::array kStatuses = {200, 201, 204, 301, 302, 303, 304, 400, 401, 403, 404, 405,
                                  406, 409, 412, 413, 415, 422, 429, 500, 502, 503, 504, 0};
constexpr std::array kBuckets = {0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1,
                                 0.25,  0.5,    1.0,   2.5,  5.0,   10.0};
constexpr size_t kRouteSlots = kMaxRoutes + 1;  // the last one: no route matched

// The number of values of one of the enums of metrics.hpp (each ends in count).
template <class Enum>
constexpr size_t kCount = static_cast<size_t>(Enum::count);

// The label value of each enum value, in enum order.
constexpr std::array kStoreNames = {"postgres", "redis_session", "redis_cache"};
constexpr std::array kCacheNames = {"profile", "token"};
constexpr std::array kFillLockNames = {"acquired", "waited", "timed_out"};
constexpr std::array kProfileReadNames = {"read_pool", "primary_after_write",
                                          "primary_standby_behind"};
constexpr std::array kAttemptResults = {"success", "failure", "throttled", "locked", "unavailable"};
// The counter family of each kind of attempt: its name and its help text.
struct Family {
    const char* name;
    const char* help;
};
constexpr std::array kAttemptFamilies = {
    Family{"login_attempts_total", "Form and JSON logins by result."},
    Family{"login_registration_attempts_total", "Registrations by result."},
    Family{"login_reauth_attempts_total",
           "Current-password checks before a sensitive change, by result."},
};
static_assert(kStoreNames.size() == kCount<Store>, "a Store without its label");
static_assert(kCacheNames.size() == kCount<Cache>, "a Cache without its label");
static_assert(kFillLockNames.size() == kCount<FillLock>, "a FillLock without its label");
static_assert(kProfileReadNames.size() == kCount<ProfileRead>, "a ProfileRead without its label");
static_assert(kAttemptResults.size() == kCount<AttemptResult>,
              "an AttemptResult without its label");
static_assert(kAttemptFamilies.size() == kCount<Attempt>, "an Attempt without its counter family");

using Counter = std::atomic<uint64_t>;
static_assert(Counter::is_always_lock_free, "shared counters must be address-free atomics");

// Everything lives in this one struct; atomics are zero-initialised by the mapping.
struct Segment {
    Counter requests[kRouteSlots][kStatuses.size()];
    Counter latency_buckets[kRouteSlots][kBuckets.size()];  // not cumulative; summed in render
    Counter latency_count[kRouteSlots];
    Counter latency_sum_us[kRouteSlots];
    Counter store_errors[kCount<Store>];
    Counter store_reconnects[kCount<Store>];
    Counter cache_hits[kCount<Cache>];
    Counter cache_misses[kCount<Cache>];
    Counter fill_lock[kCount<FillLock>];
    Counter profile_reads[kCount<ProfileRead>];
    Counter sessions_unreplicated;
    Counter attempts[kCount<Attempt>][kCount<AttemptResult>];
    Counter hash_queue_rejections;
    std::atomic<int64_t> live_workers;
    Counter worker_deaths;
};

Segment* map_segment(int flags) {
    void* p = mmap(nullptr, sizeof(Segment), PROT_READ | PROT_WRITE, flags | MAP_ANONYMOUS, -1, 0);
    if (p == MAP_FAILED) throw std::runtime_error("metrics: mmap failed");
    return new (p) Segment;  // anonymous memory is zero-filled, which is every counter's start
}

// A MAP_SHARED mapping of fd; zero-filled when the memfd was just sized, shared thereafter.
Segment* map_fd(int fd) {
    void* p = mmap(nullptr, sizeof(Segment), PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
    if (p == MAP_FAILED) return nullptr;
    return static_cast<Segment*>(p);
}

Segment* g_segment = nullptr;
int g_fd = -1;

Segment& seg() {
    if (!g_segment) g_segment = map_segment(MAP_PRIVATE);
    return *g_segment;
}

void add(Counter& c, uint64_t n = 1) { c.fetch_add(n, std::memory_order_relaxed); }

size_t status_slot(int status) {
    for (size_t i = 0; i + 1 < kStatuses.size(); ++i)
        if (kStatuses[i] == status) return i;
    return kStatuses.size() - 1;
}

std::string number(double v) {
    char buf[32];
    snprintf(buf, sizeof buf, "%g", v);
    return buf;
}

uint64_t load(const Counter& c) { return c.load(std::memory_order_relaxed); }

// One counter family with one label: HELP, TYPE, and a sample per label value.
template <size_t N>
void counter_family(std::string& out, std::string_view name, std::string_view help,
                    std::string_view label_name, const std::array<const char*, N>& values,
                    const Counter (&counters)[N]) {
    out += family(name, "counter", help);
    for (size_t i = 0; i < N; ++i)
        out += std::string(name) + "{" + std::string(label_name) + "=\"" + values[i] + "\"} " +
               std::to_string(load(counters[i])) + "\n";
}

}  // namespace

void init_shared() {
    if (g_segment) munmap(g_segment, sizeof(Segment));
    g_segment = nullptr;
    // MFD_CLOEXEC: only the workers the supervisor execs get it, as fd 3, on purpose.
    g_fd = memfd_create("login-metrics", MFD_CLOEXEC);
    if (g_fd >= 0 && ftruncate(g_fd, sizeof(Segment)) == 0) g_segment = map_fd(g_fd);
    if (!g_segment) g_segment = map_segment(MAP_SHARED);  // forked workers still share it
}

int shared_fd() { return g_fd; }

bool attach_shared(int fd) {
    struct stat st {};
    if (fstat(fd, &st) != 0 || st.st_size != static_cast<off_t>(sizeof(Segment))) return false;
    Segment* s = map_fd(fd);
    if (!s) return false;
    if (g_segment) munmap(g_segment, sizeof(Segment));
    g_segment = s;
    g_fd = fd;
    return true;
}

void store_error(Store store) { add(seg().store_errors[static_cast<size_t>(store)]); }
void store_reconnect(Store store) { add(seg().store_reconnects[static_cast<size_t>(store)]); }
void cache_hit(Cache cache) { add(seg().cache_hits[static_cast<size_t>(cache)]); }
void cache_miss(Cache cache) { add(seg().cache_misses[static_cast<size_t>(cache)]); }
void fill_lock(FillLock outcome) { add(seg().fill_lock[static_cast<size_t>(outcome)]); }
void profile_read(ProfileRead source) { add(seg().profile_reads[static_cast<size_t>(source)]); }
void session_unreplicated() { add(seg().sessions_unreplicated); }
void attempt(Attempt what, AttemptResult result) {
    add(seg().attempts[static_cast<size_t>(what)][static_cast<size_t>(result)]);
}
void hash_queue_rejected() { add(seg().hash_queue_rejections); }

void request(int route_index, int status, double seconds) {
    const size_t r = route_index >= 0 && static_cast<size_t>(route_index) < kMaxRoutes
                         ? static_cast<size_t>(route_index) : kMaxRoutes;
    Segment& s = seg();
    add(s.requests[r][status_slot(status)]);
    for (size_t b = 0; b < kBuckets.size(); ++b) {
        if (seconds <= kBuckets[b]) {
            add(s.latency_buckets[r][b]);
            break;
        }
    }
    add(s.latency_count[r]);
    add(s.latency_sum_us[r], static_cast<uint64_t>(seconds * 1e6));
}

void set_live_workers(int n) { seg().live_workers.store(n, std::memory_order_relaxed); }
void worker_died() { add(seg().worker_deaths); }

namespace {

// The method and route labels of route slot r ("unmatched" for the last slot).
std::string route_labels(const std::vector<RouteLabel>& routes, size_t r) {
    if (r < routes.size() && r < kMaxRoutes)
        return "method=\"" + escape_label(routes[r].method) + "\",route=\"" +
               escape_label(routes[r].pattern) + "\"";
    return "method=\"\",route=\"unmatched\"";
}

bool slot_used(const std::vector<RouteLabel>& routes, size_t r) {
    return r == kMaxRoutes || r < routes.size();
}

void render_requests(std::string& out, const Segment& s, const std::vector<RouteLabel>& routes) {
    out += family("login_http_requests_total", "counter",
                  "Requests answered by the workers, by route and status.");
    for (size_t r = 0; r < kRouteSlots; ++r) {
        if (!slot_used(routes, r)) continue;
        for (size_t i = 0; i < kStatuses.size(); ++i) {
            const uint64_t n = load(s.requests[r][i]);
            if (n == 0) continue;
            const std::string status = kStatuses[i] ? std::to_string(kStatuses[i]) : "other";
            out += "login_http_requests_total{" + route_labels(routes, r) + ",status=\"" + status +
                   "\"} " + std::to_string(n) + "\n";
        }
    }
}

void render_latency(std::string& out, const Segment& s, const std::vector<RouteLabel>& routes) {
    out += family("login_http_request_duration_seconds", "histogram",
                  "Time from dispatch to the finished response, in the worker.");
    for (size_t r = 0; r < kRouteSlots; ++r) {
        if (!slot_used(routes, r)) continue;
        const uint64_t count = load(s.latency_count[r]);
        if (count == 0) continue;
        const std::string labels = route_labels(routes, r);
        uint64_t cumulative = 0;
        for (size_t b = 0; b < kBuckets.size(); ++b) {
            cumulative += load(s.latency_buckets[r][b]);
            out += "login_http_request_duration_seconds_bucket{" + labels + ",le=\"" +
                   number(kBuckets[b]) + "\"} " + std::to_string(cumulative) + "\n";
        }
        out += "login_http_request_duration_seconds_bucket{" + labels + ",le=\"+Inf\"} " +
               std::to_string(count) + "\n";
        out += "login_http_request_duration_seconds_sum{" + labels + "} " +
               number(static_cast<double>(load(s.latency_sum_us[r])) / 1e6) + "\n";
        out += "login_http_request_duration_seconds_count{" + labels + "} " +
               std::to_string(count) + "\n";
    }
}

void render_stores(std::string& out, const Segment& s) {
    out += family("login_cache_requests_total", "counter", "Cache lookups, by cache and result.");
    for (size_t c = 0; c < kCacheNames.size(); ++c) {
        out += "login_cache_requests_total{cache=\"" + std::string(kCacheNames[c]) +
               "\",result=\"hit\"} " + std::to_string(load(s.cache_hits[c])) + "\n";
        out += "login_cache_requests_total{cache=\"" + std::string(kCacheNames[c]) +
               "\",result=\"miss\"} " + std::to_string(load(s.cache_misses[c])) + "\n";
    }
    counter_family(out, "login_profile_fill_total",
                   "Profile cache misses by how the refill went (stampede protection).", "outcome",
                   kFillLockNames, s.fill_lock);
    counter_family(out, "login_profile_db_reads_total",
                   "Profile reads from PostgreSQL by the server they went to.", "source",
                   kProfileReadNames, s.profile_reads);
    out += single("login_sessions_unreplicated_total", "counter",
                  "New sessions not acknowledged by the session Redis replicas in time.",
                  static_cast<double>(load(s.sessions_unreplicated)));
    counter_family(out, "login_store_errors_total", "Failed calls to PostgreSQL and Redis.",
                   "store", kStoreNames, s.store_errors);
    counter_family(out, "login_store_reconnects_total",
                   "New connections opened after a lost one.", "store", kStoreNames,
                   s.store_reconnects);
}

}  // namespace

std::string render(const std::vector<RouteLabel>& routes) {
    const Segment& s = seg();
    std::string out;
    out.reserve(16 * 1024);
    render_requests(out, s, routes);
    render_latency(out, s, routes);
    render_stores(out, s);
    for (size_t a = 0; a < kAttemptFamilies.size(); ++a)
        counter_family(out, kAttemptFamilies[a].name, kAttemptFamilies[a].help, "result",
                       kAttemptResults, s.attempts[a]);
    out += single("login_hash_queue_rejections_total", "counter",
                  "Password-hashing requests nginx refused with 503 because the hashing queue "
                  "was full.",
                  static_cast<double>(load(s.hash_queue_rejections)));
    out += single("login_workers_live", "gauge", "Worker processes alive in this pool.",
                  static_cast<double>(s.live_workers.load()));
    out += single("login_worker_deaths_total", "counter",
                  "Workers that exited unplanned and were replaced.",
                  static_cast<double>(load(s.worker_deaths)));
    out += family("login_build_info", "gauge", "The version this binary was built from.") +
           "login_build_info{version=\"" + escape_label(build_version()) + "\"} 1\n";
    out += render_process_metrics();
    return out;
}

}  // namespace metrics
