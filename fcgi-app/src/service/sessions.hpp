// Login sessions in Redis. The cookie carries a 256-bit random id; Redis holds only its
// SHA-256, so a leaked Redis dump does not hand out live sessions.
#pragma once

#include <cstdint>
#include <ctime>
#include <optional>
#include <string>
#include <string_view>

#include "store/redis.hpp"

namespace service {

struct Session {
    int64_t user_id = 0;
    int64_t created_at = 0;  // unix seconds
    // The user's session generation when the session began. Bumping the user's generation
    // (store::User::session_generation) ends all their sessions at once, without a scan.
    int generation = 0;
};

class SessionStore {
public:
    SessionStore(store::Redis& redis, std::string key_prefix, int idle_seconds,
                 int absolute_seconds);

    // Starts a session for user_id under the user's current session generation and returns
    // the new id for the cookie (never logged).
    std::string create(int64_t user_id, int generation);

    // The session behind id, sliding its idle timeout, in one read-only round trip (a second,
    // writing one only when the timeout has run down by a minute or more, or 1/30 of the
    // idle timeout when that is shorter). nullopt for a malformed, unknown, idle-expired or
    // absolutely expired id. Throws RedisError when Redis cannot answer.
    std::optional<Session> touch(std::string_view id);

    struct WithCompanion {
        Session session;
        std::optional<std::string> companion;  // the value of companion_prefix + user_id
    };

    // touch(), and in the same round trip (a server-side script) the value stored under
    // companion_prefix + <the session's user id>: the cached profile, so that a page view
    // costs one Redis round trip instead of two. Needs the companion key on the same Redis.
    std::optional<WithCompanion> touch_with(std::string_view id, const std::string& companion_prefix);

    // Ends the session; unknown ids are ignored.
    void destroy(std::string_view id);

    // The Redis key for a session id (exposed for tests).
    std::string key_for(std::string_view id) const;

private:
    // Checks the absolute limit and slides the idle timeout of a session read with its TTL.
    std::optional<Session> check(const std::string& key, const std::string& value, int64_t ttl);

    store::Redis& redis_;
    std::string prefix_;
    int idle_seconds_;
    int absolute_seconds_;
    int touch_granularity_;
};

// True when text has the shape of an id this store issues (43 base64url characters).
bool is_session_id_shape(std::string_view text);

}  // namespace service
