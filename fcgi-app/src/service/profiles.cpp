// User profiles, cache-aside over Redis and PostgreSQL.
#include "service/profiles.hpp"

#include "service/user_json.hpp"
#include "store/errors.hpp"
#include "util/log.hpp"

namespace service {
namespace {

constexpr const char* kInvalidated = "-";
constexpr const char* kTombstoneSeconds = "2";  // far longer than a read-then-fill takes

}  // namespace

Profiles::Profiles(store::UserStore& users, store::Redis& cache, std::string key_prefix,
                   int ttl_seconds, bool enabled)
    : users_(users), cache_(cache), prefix_(std::move(key_prefix)),
      ttl_(std::to_string(ttl_seconds)), enabled_(enabled) {}

std::string Profiles::key_for(int64_t user_id) const {
    return prefix_ + "p:" + std::to_string(user_id);
}

std::string Profiles::key_prefix() const { return enabled_ ? prefix_ + "p:" : std::string(); }

std::optional<store::User> Profiles::get(int64_t user_id) {
    if (!enabled_) return users_.find_by_id(user_id);
    std::optional<std::string> cached;
    try {
        auto reply = cache_.command({"GET", key_for(user_id)});
        cached = store::reply_string(reply.get());
    } catch (const store::RedisError&) {
        // The cache is an optimisation: fall through to the source of truth.
    }
    return get(user_id, cached);
}

std::optional<store::User> Profiles::get(int64_t user_id,
                                         const std::optional<std::string>& cached_text) {
    if (!enabled_) return users_.find_by_id(user_id);
    if (cached_text && *cached_text != kInvalidated) {
        if (auto user = user_from_json_text(*cached_text)) return user;
    }
    auto user = users_.find_by_id(user_id);
    if (!user) return user;
    try {
        // NX: a copy read before a concurrent write must not replace that write's tombstone.
        cache_.command({"SET", key_for(user_id), user_to_cache_text(*user), "EX", ttl_, "NX"});
    } catch (const store::RedisError&) {
    }
    return user;
}

std::optional<store::User> Profiles::update(int64_t user_id, const store::UserChange& change) {
    auto user = users_.update(user_id, change);
    invalidate(user_id);
    return user;
}

void Profiles::invalidate(int64_t user_id) {
    if (!enabled_) return;
    try {
        // A short tombstone instead of DEL: a reader that fetched the row just before the write
        // committed cannot cache its stale copy (fills use SET NX) while the tombstone lives.
        cache_.command({"SET", key_for(user_id), kInvalidated, "EX", kTombstoneSeconds});
    } catch (const store::RedisError&) {
        // The TTL bounds how long a stale copy can live if Redis is briefly unreachable.
        util::log(util::LogLevel::warn, "profile_invalidate_failed",
                  {{"user_id", std::to_string(user_id)}});
    }
}

}  // namespace service
