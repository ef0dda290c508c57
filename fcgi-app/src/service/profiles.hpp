// User profiles, cache-aside: Redis first, PostgreSQL on a miss, invalidated after a write
// commits. A warm /home therefore costs no database query at all, and a hot profile that
// expires is refilled by one request while the others wait for it (no stampede).
#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>

#include "store/keys.hpp"
#include "store/redis.hpp"
#include "store/users.hpp"

namespace service {

// How long a refill may hold its lock, and how long other readers of the same profile wait
// for it before they read PostgreSQL themselves.
struct FillLockTimes {
    std::chrono::milliseconds hold{2000};
    std::chrono::milliseconds wait{300};
};

class Profiles {
public:
    // enabled = false reads PostgreSQL every time (the old system, kept for the benchmark).
    // After a change, the user's reads go to the primary, uncached, for
    // read_your_writes_seconds (the tombstone's lifetime); fills read the read pool.
    Profiles(store::UserStore& users, store::Redis& cache, std::string key_prefix,
             int ttl_seconds, bool enabled, FillLockTimes lock_times = {},
             int read_your_writes_seconds = 2);

    // The user, from the cache when warm. When the cache is unreachable the database still
    // answers (slower, still correct). Throws PgError only when the database is needed
    // and unreachable.
    std::optional<model::User> get(int64_t user_id);

    // get(), when the caller already fetched the cached text (or found none) in the same
    // round trip as something else.
    std::optional<model::User> get(int64_t user_id, const std::optional<std::string>& cached_text);

    // The prefix of the cache keys (store::Keys::profile(id) is this + id); empty when the
    // cache is off.
    std::string key_prefix() const;

    // Writes the change to PostgreSQL, then drops the cached copy, so the next read sees it.
    std::optional<model::User> update(int64_t user_id, const model::UserChange& change);

    // Drops the cached copy (after any committed change that a profile shows).
    void invalidate(int64_t user_id);

private:
    // A miss: the request that wins the lock reads PostgreSQL and fills the cache; the others
    // poll the cache for its result, for at most lock_times_.wait.
    std::optional<model::User> refill(int64_t user_id);
    // The filled profile once it appears; nullopt when the wait ended without one (the lock
    // was released without a fill, a tombstone appeared, the time ran out, Redis failed).
    std::optional<model::User> wait_for_fill(int64_t user_id);
    // The read pool's copy of the user, or the primary's when the standby is behind.
    std::optional<model::User> read_for_fill(int64_t user_id);

    store::UserStore& users_;
    store::Redis& cache_;
    store::Keys keys_;
    std::string ttl_;
    bool enabled_;
    FillLockTimes lock_times_;
    std::string tombstone_seconds_;
};

}  // namespace service
