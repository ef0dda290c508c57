// Login sessions in Redis.
#include "service/sessions.hpp"

#include <algorithm>
#include <charconv>

#include "util/crypto.hpp"

namespace service {
namespace {

int64_t now_seconds() { return static_cast<int64_t>(std::time(nullptr)); }

// The value is "user_id:created_at:generation": tiny, and parsed without a JSON library on
// every page.
std::optional<Session> parse_value(std::string_view v) {
    Session s;
    const char* end = v.data() + v.size();
    auto r1 = std::from_chars(v.data(), end, s.user_id);
    if (r1.ec != std::errc{} || r1.ptr == end || *r1.ptr != ':') return std::nullopt;
    auto r2 = std::from_chars(r1.ptr + 1, end, s.created_at);
    if (r2.ec != std::errc{} || r2.ptr == end || *r2.ptr != ':') return std::nullopt;
    auto r3 = std::from_chars(r2.ptr + 1, end, s.generation);
    if (r3.ec != std::errc{} || r3.ptr != end) return std::nullopt;
    return s;
}

}  // namespace

bool is_session_id_shape(std::string_view text) {
    if (text.size() != 43) return false;
    return std::all_of(text.begin(), text.end(), [](char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
               c == '-' || c == '_';
    });
}

SessionStore::SessionStore(store::Redis& redis, std::string key_prefix, int idle_seconds,
                           int absolute_seconds)
    : redis_(redis), prefix_(std::move(key_prefix)), idle_seconds_(idle_seconds),
      absolute_seconds_(absolute_seconds),
      touch_granularity_(std::clamp(idle_seconds / 30, 1, 60)) {}

std::string SessionStore::key_for(std::string_view id) const {
    return prefix_ + "s:" + util::sha256_hex(id);
}

std::string SessionStore::create(int64_t user_id, int generation) {
    const std::string id = util::random_token(32);
    const std::string value = std::to_string(user_id) + ":" + std::to_string(now_seconds()) + ":" +
                              std::to_string(generation);
    const std::string ttl = std::to_string(std::min(idle_seconds_, absolute_seconds_));
    redis_.command({"SET", key_for(id), value, "EX", ttl});
    return id;
}

std::optional<Session> SessionStore::check(const std::string& key, const std::string& value,
                                           int64_t ttl) {
    auto session = parse_value(value);
    const int64_t now = now_seconds();
    if (!session || now - session->created_at >= absolute_seconds_) {
        redis_.command({"DEL", key});
        return std::nullopt;
    }
    // Page views are read-only: the idle timeout is pushed back only once it has run down by
    // touch_granularity_ seconds, so that not every view is a write (and an AOF append).
    const int64_t wanted = std::min<int64_t>(idle_seconds_,
                                             session->created_at + absolute_seconds_ - now);
    if (wanted - ttl >= touch_granularity_ || ttl > wanted)
        redis_.command({"EXPIRE", key, std::to_string(wanted)});
    return session;
}

std::optional<Session> SessionStore::touch(std::string_view id) {
    if (!is_session_id_shape(id)) return std::nullopt;
    const std::string key = key_for(id);
    auto replies = redis_.pipeline({{"GET", key}, {"TTL", key}});
    auto value = store::reply_string(replies[0].get());
    if (!value) return std::nullopt;
    return check(key, *value, replies[1]->integer);
}

std::optional<SessionStore::WithCompanion> SessionStore::touch_with(
    std::string_view id, const std::string& companion_prefix) {
    // Reads the session, its TTL and the companion key in one round trip. The companion key is
    // derived from the session's value, which is why this is a script and not a pipeline.
    static constexpr std::string_view kScript = R"lua(
local v = redis.call('GET', KEYS[1])
if not v then return false end
local uid = string.match(v, '^(%d+):')
local companion = false
if uid then companion = redis.call('GET', ARGV[1] .. uid) end
return {v, redis.call('TTL', KEYS[1]), companion}
)lua";
    if (!is_session_id_shape(id)) return std::nullopt;
    const std::string key = key_for(id);
    auto reply = redis_.eval(kScript, 1, {key, companion_prefix});
    if (reply->type != REDIS_REPLY_ARRAY || reply->elements != 3) return std::nullopt;
    auto value = store::reply_string(reply->element[0]);
    if (!value) return std::nullopt;
    auto session = check(key, *value, reply->element[1]->integer);
    if (!session) return std::nullopt;
    return WithCompanion{*session, store::reply_string(reply->element[2])};
}

void SessionStore::destroy(std::string_view id) {
    if (!is_session_id_shape(id)) return;
    redis_.command({"DEL", key_for(id)});
}

}  // namespace service
