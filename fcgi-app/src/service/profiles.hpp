// User profiles, cache-aside: Redis first, PostgreSQL on a miss, invalidated after a write
// commits. A warm /home therefore costs no database query at all.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "store/redis.hpp"
#include "store/users.hpp"

namespace service {

class Profiles {
public:
    // enabled = false reads PostgreSQL every time (the old system, kept for the benchmark).
    Profiles(store::UserStore& users, store::Redis& cache, std::string key_prefix,
             int ttl_seconds, bool enabled);

    // The user, from the cache when warm. When the cache is unreachable the database still
    // answers (slower, still correct). Throws PgError only when the database is needed
    // and unreachable.
    std::optional<store::User> get(int64_t user_id);

    // get(), when the caller already fetched the cached text (or found none) in the same
    // round trip as something else.
    std::optional<store::User> get(int64_t user_id, const std::optional<std::string>& cached_text);

    // The prefix of the cache keys (key_for(id) is this + id); empty when the cache is off.
    std::string key_prefix() const;

    // Writes the change to PostgreSQL, then drops the cached copy, so the next read sees it.
    std::optional<store::User> update(int64_t user_id, const store::UserChange& change);

    // Drops the cached copy (after any committed change that a profile shows).
    void invalidate(int64_t user_id);

    std::string key_for(int64_t user_id) const;

private:
    store::UserStore& users_;
    store::Redis& cache_;
    std::string prefix_;
    std::string ttl_;
    bool enabled_;
};

}  // namespace service
