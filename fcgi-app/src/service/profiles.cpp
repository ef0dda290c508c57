// User profiles, cache-aside over Redis and PostgreSQL, with a refill lock against stampedes.
#include "service/profiles.hpp"

#include <thread>

#include "metrics/metrics.hpp"
#include "service/user_json.hpp"
#include "store/errors.hpp"
#include "util/log.hpp"

namespace service {
namespace {

constexpr const char* kInvalidated = "-";

using Clock = std::chrono::steady_clock;
using std::chrono::milliseconds;

}  // namespace

Profiles::Profiles(store::UserStore& users, store::Redis& cache, std::string key_prefix,
                   int ttl_seconds, bool enabled, FillLockTimes lock_times,
                   int read_your_writes_seconds)
    : users_(users),
      cache_(cache),
      keys_(std::move(key_prefix)),
      ttl_(std::to_string(ttl_seconds)),
      enabled_(enabled),
      lock_times_(lock_times),
      tombstone_seconds_(std::to_string(read_your_writes_seconds)) {}

std::string Profiles::key_prefix() const {
    return enabled_ ? keys_.profile_prefix() : std::string();
}

std::optional<model::User> Profiles::get(int64_t user_id) {
    if (!enabled_) return users_.find_by_id(user_id);
    std::optional<std::string> cached;
    try {
        cached = cache_.command({"GET", keys_.profile(user_id)}).string();
    } catch (const store::RedisError&) {
        // The cache is an optimisation: fall through to the source of truth.
        metrics::cache_miss(metrics::Cache::profile);
        return users_.find_by_id(user_id);
    }
    return get(user_id, cached);
}

std::optional<model::User> Profiles::get(int64_t user_id,
                                         const std::optional<std::string>& cached_text) {
    if (!enabled_) return users_.find_by_id(user_id);
    if (cached_text && *cached_text != kInvalidated) {
        if (auto user = user_from_json_text(*cached_text)) {
            metrics::cache_hit(metrics::Cache::profile);
            return user;
        }
    }
    metrics::cache_miss(metrics::Cache::profile);
    // A tombstone: the profile changed a moment ago and must not be cached from a read that
    // may predate the change, so read the primary (a standby may lag) without filling until
    // it expires.
    if (cached_text) {
        metrics::profile_read(metrics::ProfileRead::primary_after_write);
        return users_.find_by_id(user_id);
    }
    return refill(user_id);
}

std::optional<model::User> Profiles::read_for_fill(int64_t user_id) {
    auto read = users_.find_by_id_from_read_pool(user_id);
    if (read.current) {
        metrics::profile_read(metrics::ProfileRead::read_pool);
        return std::move(read.user);
    }
    metrics::profile_read(metrics::ProfileRead::primary_standby_behind);
    return users_.find_by_id(user_id);
}

std::optional<model::User> Profiles::refill(int64_t user_id) {
    bool mine = false;
    try {
        // PX bounds the lock if its holder dies; NX: one holder per profile at a time.
        auto reply = cache_.command({"SET", keys_.profile_fill_lock(user_id), "1", "PX",
                                     std::to_string(lock_times_.hold.count()), "NX"});
        mine = reply.is_status();
    } catch (const store::RedisError&) {
        return users_.find_by_id(user_id);  // the cache is down: nothing to protect
    }
    if (!mine) {
        if (auto user = wait_for_fill(user_id)) return user;
    } else {
        metrics::fill_lock(metrics::FillLock::acquired);
    }
    auto user = read_for_fill(user_id);
    try {
        const std::string key = keys_.profile(user_id);
        const std::string lock = keys_.profile_fill_lock(user_id);
        const std::string text = user ? user_to_cache_text(*user) : std::string();
        std::vector<store::RedisArgs> commands;
        // NX: a copy read before a concurrent write must not replace that write's tombstone.
        if (user) commands.push_back({"SET", key, text, "EX", ttl_, "NX"});
        // Released at once so that waiters stop polling; if the lock had already expired and
        // another request holds it now, the cost is one more database read, nothing worse.
        if (mine) commands.push_back({"DEL", lock});
        if (!commands.empty()) cache_.pipeline(commands);
    } catch (const store::RedisError&) {
    }
    return user;
}

std::optional<model::User> Profiles::wait_for_fill(int64_t user_id) {
    const auto deadline = Clock::now() + lock_times_.wait;
    const std::string key = keys_.profile(user_id);
    const std::string lock = keys_.profile_fill_lock(user_id);
    auto pause = milliseconds(2);
    try {
        while (Clock::now() < deadline) {
            std::this_thread::sleep_for(pause);
            pause = std::min(pause * 2, milliseconds(20));
            auto replies = cache_.pipeline({{"GET", key}, {"EXISTS", lock}});
            if (auto text = replies[0].string()) {
                if (*text == kInvalidated) break;
                if (auto user = user_from_json_text(*text)) {
                    metrics::fill_lock(metrics::FillLock::waited);
                    return user;
                }
                break;
            }
            if (replies[1].integer() == 0) break;  // released without a fill (no such user)
        }
    } catch (const store::RedisError&) {
        return std::nullopt;
    }
    if (Clock::now() >= deadline) metrics::fill_lock(metrics::FillLock::timed_out);
    return std::nullopt;
}

std::optional<model::User> Profiles::update(int64_t user_id, const model::UserChange& change) {
    auto user = users_.update(user_id, change);
    invalidate(user_id);
    return user;
}

void Profiles::invalidate(int64_t user_id) {
    if (!enabled_) return;
    try {
        // A short tombstone instead of DEL: a reader that fetched the row just before the write
        // committed cannot cache its stale copy (fills use SET NX) while the tombstone lives.
        cache_.command({"SET", keys_.profile(user_id), kInvalidated, "EX", tombstone_seconds_});
    } catch (const store::RedisError&) {
        // The TTL bounds how long a stale copy can live if Redis is briefly unreachable.
        util::log(util::LogLevel::warn, "profile_invalidate_failed",
                  {{"user_id", std::to_string(user_id)}});
    }
}

}  // namespace service
