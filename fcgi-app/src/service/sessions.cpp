// Login sessions in Redis.
#include "service/sessions.hpp"

#include <algorithm>
#include <charconv>

#include "metrics/metrics.hpp"
#include "util/crypto.hpp"
#include "util/log.hpp"

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
                           int absolute_seconds, SessionDurability durability)
    : redis_(redis),
      keys_(std::move(key_prefix)),
      idle_seconds_(idle_seconds),
      absolute_seconds_(absolute_seconds),
      touch_granularity_(std::clamp(idle_seconds / 30, 1, 60)),
      durability_(durability) {}

std::string SessionStore::public_id(std::string_view id) { return util::sha256_hex(id); }

std::string SessionStore::create(int64_t user_id, int generation, const SessionOrigin& origin) {
    const std::string id = util::random_token(32);
    const std::string pid = public_id(id);
    const std::string now = std::to_string(now_seconds());
    const std::string value =
        std::to_string(user_id) + ":" + now + ":" + std::to_string(generation);
    const std::string ttl = std::to_string(std::min(idle_seconds_, absolute_seconds_));
    const std::string meta = keys_.session_meta(pid);
    const std::string user = keys_.user_sessions(user_id);
    const std::string key = keys_.session(pid);
    const std::string absolute = std::to_string(absolute_seconds_);
    // The session, what the session list shows about it, and its place in that list
    // (RedisArgs are views: every string they point at is a named local).
    std::vector<store::RedisArgs> commands{
        {"SET", key, value, "EX", ttl},
        {"HSET", meta, "c", now, "s", now, "ip", origin.network, "ua", origin.user_agent},
        {"EXPIRE", meta, ttl},
        {"SADD", user, pid},
        {"EXPIRE", user, absolute}};
    const std::string replicas = std::to_string(durability_.replicas);
    const std::string timeout = std::to_string(durability_.timeout_ms);
    if (durability_.replicas > 0) commands.push_back({"WAIT", replicas, timeout});
    auto replies = redis_.pipeline(commands);
    const int64_t replicated = replies.back().integer().value_or(0);
    if (durability_.replicas > 0 && replicated < durability_.replicas) {
        // The login still succeeds: the session lives on the primary, and only a failover
        // before replication catches up would lose it (the user then logs in again).
        metrics::session_unreplicated();
        util::log(util::LogLevel::warn, "session_not_replicated",
                  {{"user_id", std::to_string(user_id)},
                   {"replicas", std::to_string(replicated)},
                   {"wanted", replicas}});
    }
    return id;
}

std::optional<Session> SessionStore::check(const std::string& pid, const std::string& value,
                                           int64_t ttl) {
    auto session = parse_value(value);
    const int64_t now = now_seconds();
    const std::string key = keys_.session(pid);
    const std::string meta = keys_.session_meta(pid);
    if (!session || now - session->created_at >= absolute_seconds_) {
        redis_.command({"DEL", key, meta});
        return std::nullopt;
    }
    // Page views are read-only: the idle timeout is pushed back only once it has run down by
    // touch_granularity_ seconds, so that not every view is a write (and an AOF append).
    const int64_t wanted = std::min<int64_t>(idle_seconds_,
                                             session->created_at + absolute_seconds_ - now);
    if (wanted - ttl >= touch_granularity_ || ttl > wanted) {
        const std::string expire = std::to_string(wanted);
        redis_.pipeline({{"EXPIRE", key, expire},
                         {"HSET", meta, "s", std::to_string(now)},
                         {"EXPIRE", meta, expire}});
    }
    return session;
}

std::optional<Session> SessionStore::touch(std::string_view id) {
    if (!is_session_id_shape(id)) return std::nullopt;
    const std::string pid = public_id(id);
    const std::string key = keys_.session(pid);
    auto replies = redis_.pipeline({{"GET", key}, {"TTL", key}});
    auto value = replies[0].string();
    if (!value) return std::nullopt;
    return check(pid, *value, replies[1].integer().value_or(-2));
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
    const std::string pid = public_id(id);
    auto reply = redis_.eval(kScript, 1, {keys_.session(pid), companion_prefix});
    if (reply.size() != 3) return std::nullopt;
    auto value = reply[0].string();
    if (!value) return std::nullopt;
    auto session = check(pid, *value, reply[1].integer().value_or(-2));
    if (!session) return std::nullopt;
    return WithCompanion{*session, reply[2].string()};
}

void SessionStore::destroy(std::string_view id) {
    if (!is_session_id_shape(id)) return;
    const std::string pid = public_id(id);
    redis_.command({"DEL", keys_.session(pid), keys_.session_meta(pid)});
}

void SessionStore::remove(int64_t user_id, const std::vector<std::string>& pids) {
    if (pids.empty()) return;
    store::RedisArgs del{"DEL"}, srem{"SREM"};
    std::vector<std::string> keys;
    keys.reserve(2 * pids.size());
    for (const auto& pid : pids) {
        keys.push_back(keys_.session(pid));
        keys.push_back(keys_.session_meta(pid));
    }
    for (const auto& k : keys) del.push_back(k);
    const std::string user = keys_.user_sessions(user_id);
    srem.push_back(user);
    for (const auto& pid : pids) srem.push_back(pid);
    redis_.pipeline({del, srem});
}

std::vector<SessionInfo> SessionStore::list(int64_t user_id, int generation,
                                            std::string_view current_id) {
    const std::vector<std::string> pids =
        redis_.command({"SMEMBERS", keys_.user_sessions(user_id)}).strings();
    if (pids.empty()) return {};
    std::vector<store::RedisArgs> cmds;
    std::vector<std::string> keys;
    keys.reserve(2 * pids.size());
    for (const auto& pid : pids) {
        keys.push_back(keys_.session(pid));
        keys.push_back(keys_.session_meta(pid));
    }
    for (size_t i = 0; i < pids.size(); ++i) {
        cmds.push_back({"GET", keys[2 * i]});
        cmds.push_back({"HMGET", keys[2 * i + 1], "c", "s", "ip", "ua"});
    }
    const auto replies = redis_.pipeline(cmds);
    const std::string current = is_session_id_shape(current_id) ? public_id(current_id) : "";
    const int64_t now = now_seconds();
    std::vector<SessionInfo> live;
    std::vector<std::string> dead;
    for (size_t i = 0; i < pids.size(); ++i) {
        auto value = replies[2 * i].string();
        auto session = value ? parse_value(*value) : std::nullopt;
        if (!session || session->user_id != user_id || session->generation != generation ||
            now - session->created_at >= absolute_seconds_) {
            dead.push_back(pids[i]);
            continue;
        }
        const store::ReplyView meta = replies[2 * i + 1];
        auto field = [meta](size_t k) { return meta[k].string().value_or(""); };
        SessionInfo info;
        info.id = pids[i];
        info.created_at = session->created_at;
        int64_t seen = 0;
        const std::string seen_text = field(1);
        std::from_chars(seen_text.data(), seen_text.data() + seen_text.size(), seen);
        info.last_seen_at = std::max(seen, session->created_at);
        info.origin = {field(2), field(3)};
        info.current = pids[i] == current;
        live.push_back(std::move(info));
    }
    remove(user_id, dead);
    std::sort(live.begin(), live.end(), [](const SessionInfo& a, const SessionInfo& b) {
        return a.created_at != b.created_at ? a.created_at > b.created_at : a.id < b.id;
    });
    return live;
}

bool SessionStore::destroy_listed(int64_t user_id, std::string_view pid) {
    if (pid.size() != 64 || !std::all_of(pid.begin(), pid.end(), [](char c) {
            return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f');
        }))
        return false;
    auto member = redis_.command({"SISMEMBER", keys_.user_sessions(user_id), pid});
    if (member.integer() != 1) return false;
    remove(user_id, {std::string(pid)});
    return true;
}

size_t SessionStore::destroy_others(int64_t user_id, std::string_view keep_id) {
    const std::string keep = is_session_id_shape(keep_id) ? public_id(keep_id) : "";
    std::vector<std::string> others;
    for (auto& pid : redis_.command({"SMEMBERS", keys_.user_sessions(user_id)}).strings())
        if (pid != keep) others.push_back(std::move(pid));
    remove(user_id, others);
    return others.size();
}

}  // namespace service
