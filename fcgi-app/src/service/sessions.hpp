// Login sessions in Redis. The cookie carries a 256-bit random id; Redis holds only its
// SHA-256, so a leaked Redis dump does not hand out live sessions.
#pragma once

#include <cstdint>
#include <ctime>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "store/keys.hpp"
#include "store/redis.hpp"

namespace service {

struct Session {
    int64_t user_id = 0;
    int64_t created_at = 0;  // unix seconds
    // The user's session generation when the session began. Bumping the user's generation
    // (model::User::session_generation) ends all their sessions at once, without a scan.
    int generation = 0;
};

// Where a session was started from, shown to its user in the session list.
struct SessionOrigin {
    std::string network;     // the client's address cut to a prefix ("203.0.113.0/24")
    std::string user_agent;  // as sent, at most 256 bytes of valid UTF-8, else empty
};

// One live session as its user sees it.
struct SessionInfo {
    std::string id;          // public id: the SHA-256 hex that keys it in Redis, never the cookie
    int64_t created_at = 0;  // unix seconds
    int64_t last_seen_at = 0;  // unix seconds, accurate to the sliding granularity (≤ 60 s)
    SessionOrigin origin;
    bool current = false;    // the session the request came with
};

// How a new session is made durable: WAIT until this many replicas of the session Redis hold
// it (at most timeout_ms), so that a Sentinel failover right after a login keeps it.
struct SessionDurability {
    int replicas = 0;  // 0: answer without waiting
    int timeout_ms = 100;
};

class SessionStore {
public:
    SessionStore(store::Redis& redis, std::string key_prefix, int idle_seconds,
                 int absolute_seconds, SessionDurability durability = {});

    // Starts a session for user_id under the user's current session generation and returns
    // the new id for the cookie (never logged). The session joins the user's session list.
    std::string create(int64_t user_id, int generation, const SessionOrigin& origin = {});

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

    // The user's live sessions under generation, newest first; current_id (the cookie of the
    // request) is marked. Prunes dead entries from the user's list as it goes.
    std::vector<SessionInfo> list(int64_t user_id, int generation, std::string_view current_id);
    // Ends the user's session with the public id; false when the user has no such session.
    bool destroy_listed(int64_t user_id, std::string_view public_id);
    // Ends every session of the user but keep_id's; returns how many ended.
    size_t destroy_others(int64_t user_id, std::string_view keep_id);

    // The public id of a session id: what list() reports and destroy_listed() takes.
    static std::string public_id(std::string_view id);

private:
    // Ends sessions by public id and drops them from the user's list, in one round trip.
    void remove(int64_t user_id, const std::vector<std::string>& public_ids);
    // Checks the absolute limit and slides the idle timeout of the session with public id pid,
    // read with its TTL.
    std::optional<Session> check(const std::string& pid, const std::string& value, int64_t ttl);

    store::Redis& redis_;
    store::Keys keys_;
    int idle_seconds_;
    int absolute_seconds_;
    int touch_granularity_;
    SessionDurability durability_;
};

// True when text has the shape of an id this store issues (43 base64url characters).
bool is_session_id_shape(std::string_view text);

}  // namespace service
