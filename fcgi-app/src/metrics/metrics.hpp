// Counters for GET /metrics, shared by every worker of one supervisor: the supervisor maps one
// segment (MAP_SHARED, lock-free atomics) before it forks, so each worker adds to the same
// numbers and any worker can report them, with no extra round trip to anything.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace metrics {

// Maps the shared segment (a memfd, so that it also reaches workers that exec a new binary).
// Call once, in the supervisor, before the first fork. Without it (a worker under spawn-fcgi,
// a test) every function below still works on process-local counters.
void init_shared();

// The descriptor of the shared segment, -1 when there is none.
int shared_fd();

// Maps the segment a supervisor passed down as fd (a worker started with --metrics-fd). Returns
// false, keeping process-local counters, when fd is not a segment of this binary's layout.
bool attach_shared(int fd);

// Each enum below ends in count, which is not a value but the size of its counters; metrics.cpp
// names every value in a label table, and an enum value without its label does not compile.
enum class Store { postgres, redis_session, redis_cache, count };
enum class Cache { profile, token, count };
enum class FillLock { acquired, waited, timed_out, count };
// Where a profile read that missed the cache went: the read pool (a standby when one is
// configured), the primary because the user changed a moment ago, or the primary because
// the standby had not yet replayed everything it received.
enum class ProfileRead { read_pool, primary_after_write, primary_standby_behind, count };

// Credential checks an operator alerts on: logins, registrations and re-authentications
// (the current password asked again before a sensitive change).
enum class Attempt { login, registration, reauth, count };
// success; failure (wrong credentials, or a registration refused for its fields); throttled
// (a growing delay or a network's limit); locked (the hourly limit of the account or of its
// known device); unavailable (Redis or PostgreSQL could not answer: 503).
enum class AttemptResult { success, failure, throttled, locked, unavailable, count };
void attempt(Attempt what, AttemptResult result);

// nginx refused a password-hashing request because the hashing queue was full (its 503).
void hash_queue_rejected();

// A store call failed (connect, I/O or an error reply).
void store_error(Store store);
// A store opened a new connection after having had one (a reconnect, not the first connect).
void store_reconnect(Store store);

void cache_hit(Cache cache);
void cache_miss(Cache cache);
// How a profile cache miss went: this request refilled it, waited for another's refill, or
// waited in vain and read PostgreSQL itself.
void fill_lock(FillLock outcome);
void profile_read(ProfileRead source);
// A new session that the session Redis replicas did not acknowledge in time (WAIT).
void session_unreplicated();

// One answered request: route_index is the position in the route table (-1: no route matched).
void request(int route_index, int status, double seconds);

// Set by the supervisor: workers alive now, and workers replaced after an unplanned exit.
void set_live_workers(int n);
void worker_died();

// The method and pattern of each route, in route table order (the labels of request()).
struct RouteLabel {
    std::string method;
    std::string pattern;
};

// Every counter in the Prometheus text exposition format (version 0.0.4), then the build and
// the pool's process metrics.
std::string render(const std::vector<RouteLabel>& routes);

// The version this binary was built from (git describe), "unknown" outside a git checkout.
const char* build_version();

}  // namespace metrics
