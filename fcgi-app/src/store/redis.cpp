// A Redis connection owned by one worker.
#include "store/redis.hpp"

#include <hiredis/hiredis.h>

#include <cerrno>

#include "store/backoff.hpp"
#include "store/errors.hpp"
#include "store/redis_url.hpp"
#include "util/log.hpp"
#include "util/text.hpp"

namespace store {
namespace {

constexpr timeval kTimeout{1, 0};

Reply run(redisContext* c, const char* format, auto... args) {
    return Reply(static_cast<redisReply*>(redisCommand(c, format, args...)));
}

// The primary that one of the sentinels names for `master`, checked with ROLE so that a
// sentinel that has not yet noticed a failover cannot send us to a replica.
// AUTH with the endpoint's credentials, when it has any. A sentinel that has no password of its
// own refuses AUTH with "without any password configured": it needs none, so that is fine.
bool authenticate(redisContext* c, const RedisEndpoint& e, bool sentinel) {
    if (e.password.empty()) return true;
    Reply r = e.username.empty() ? run(c, "AUTH %b", e.password.data(), e.password.size())
                                 : run(c, "AUTH %b %b", e.username.data(), e.username.size(),
                                       e.password.data(), e.password.size());
    if (!r.raw()) return false;
    if (r.raw()->type != REDIS_REPLY_ERROR) return true;
    return sentinel &&
           std::string_view(r.raw()->str, r.raw()->len).find("without any password configured") !=
               std::string_view::npos;
}

RedisContextPtr connect_via_sentinels(const RedisEndpoint& e) {
    constexpr timeval kSentinelTimeout{0, 300000};
    for (const auto& sentinel : e.sentinels) {
        RedisContextPtr s(redisConnectWithTimeout(sentinel.host.c_str(), sentinel.port,
                                                  kSentinelTimeout));
        if (!s || s->err) continue;
        redisSetTimeout(s.get(), kSentinelTimeout);
        if (!authenticate(s.get(), e, true)) continue;
        Reply addr = run(s.get(), "SENTINEL get-master-addr-by-name %s", e.master.c_str());
        if (addr.size() != 2) continue;
        const auto host = addr[0].string();
        const auto port = util::parse_uint(addr[1].string().value_or(""), 65535);
        if (!host || !port) continue;
        RedisContextPtr c(redisConnectWithTimeout(host->c_str(), static_cast<int>(*port), kTimeout));
        if (!c || c->err) continue;
        redisSetTimeout(c.get(), kTimeout);
        if (!authenticate(c.get(), e, false)) continue;
        Reply role = run(c.get(), "ROLE");
        if (role[0].string() == "master") return c;
    }
    return nullptr;
}

void append(redisContext* c, const RedisArgs& args) {
    std::vector<const char*> argv;
    std::vector<size_t> lens;
    argv.reserve(args.size());
    lens.reserve(args.size());
    for (auto a : args) {
        argv.push_back(a.data());
        lens.push_back(a.size());
    }
    redisAppendCommandArgv(c, static_cast<int>(argv.size()), argv.data(), lens.data());
}

}  // namespace

void RedisFree::operator()(redisContext* c) const noexcept {
    redisFree(c);
}

Redis::Redis(const std::string& url, metrics::Store role, const std::string& password)
    : endpoint_(parse_redis_url(url)), redacted_url_(endpoint_.redacted()), role_(role) {
    if (endpoint_.password.empty()) endpoint_.password = password;
}

void Redis::fail(const char* what) {
    const std::string reason = ctx_ && ctx_->err ? ctx_->errstr : "unknown";
    ctx_.reset();
    // Backoff with jitter: while the server is down, each worker tries again only now and then,
    // and the workers' attempts are spread out instead of arriving together.
    retry_after_ = std::chrono::steady_clock::now() + reconnect_delay(failures_++);
    metrics::store_error(role_);
    util::log(util::LogLevel::warn, "redis_error",
              {{"url", redacted_url_}, {"during", what}, {"reason", reason}});
    throw RedisError(std::string("redis ") + what + " failed");
}

redisContext* Redis::connection() {
    if (ctx_) return ctx_.get();
    if (std::chrono::steady_clock::now() < retry_after_)
        throw RedisError("redis unavailable (backing off)");
    const RedisEndpoint& e = endpoint_;
    if (!e.sentinels.empty()) {
        ctx_ = connect_via_sentinels(e);
        if (!ctx_) fail("sentinel lookup");
    } else {
        ctx_.reset(e.socket_path.empty()
                       ? redisConnectWithTimeout(e.server.host.c_str(), e.server.port, kTimeout)
                       : redisConnectUnixWithTimeout(e.socket_path.c_str(), kTimeout));
    }
    if (!ctx_ || ctx_->err) fail("connect");
    redisSetTimeout(ctx_.get(), kTimeout);
    // Through sentinels the primary was authenticated already (before ROLE).
    if (e.sentinels.empty() && !authenticate(ctx_.get(), e, false)) fail("auth");
    if (e.db != 0) {
        Reply r = run(ctx_.get(), "SELECT %d", e.db);
        if (!r.raw() || r.raw()->type == REDIS_REPLY_ERROR) fail("select");
    }
    if (connected_once_) {
        metrics::store_reconnect(role_);
        util::log(util::LogLevel::info, "redis_reconnected", {{"url", redacted_url_}});
    }
    connected_once_ = true;
    failures_ = 0;
    return ctx_.get();
}

void Redis::forget_demoted_primary(std::string_view error) {
    // A primary that a failover turned into a replica refuses writes; the next request asks
    // the sentinels again (a plain redis:// URL reconnects to the same server, as before).
    if (error.starts_with("READONLY")) ctx_.reset();
}

bool Redis::ping() noexcept {
    try {
        auto reply = command({"PING"});
        return reply.string() == "PONG";
    } catch (const std::exception&) {
        return false;
    }
}

Reply Redis::command(const RedisArgs& args) {
    auto replies = pipeline({args});
    return std::move(replies.front());
}

std::vector<Reply> Redis::send(const std::vector<RedisArgs>& commands) {
    // No liveness check (a poll) before each request: a connection kept from earlier requests
    // that the server closed while it sat idle (a restart, a failover, an idle timeout) fails
    // on the first write or read instead, before any reply, and is replaced at once. Either the
    // server had closed it before the commands arrived, so none of them ran, or it died running
    // them; sending them again is safe for the commands this program uses (reads, SET, DEL,
    // EXPIRE, SADD; at worst a rate-limit INCR counts twice).
    for (bool fresh = ctx_ == nullptr;; fresh = true) {
        redisContext* c = connection();
        for (const auto& args : commands) append(c, args);
        std::vector<Reply> replies;
        replies.reserve(commands.size());
        for (size_t i = 0; i < commands.size(); ++i) {
            void* raw = nullptr;
            if (redisGetReply(c, &raw) == REDIS_OK && raw) {
                replies.emplace_back(static_cast<redisReply*>(raw));
                continue;
            }
            const int cause = errno;
            const bool closed = c->err == REDIS_ERR_EOF ||
                                (c->err == REDIS_ERR_IO && (cause == EPIPE || cause == ECONNRESET));
            if (fresh || i > 0 || !closed) fail("reply");  // a timeout is never sent twice
            ctx_.reset();
            break;
        }
        if (replies.size() == commands.size()) return replies;
    }
}

std::vector<Reply> Redis::pipeline(const std::vector<RedisArgs>& commands) {
    auto replies = send(commands);
    for (size_t i = 0; i < replies.size(); ++i) {
        const redisReply* r = replies[i].raw();
        if (r->type == REDIS_REPLY_ERROR) {
            forget_demoted_primary(r->str);
            metrics::store_error(role_);
            util::log(util::LogLevel::error, "redis_error_reply",
                      {{"command", commands[i].front()}, {"reason", r->str}});
            throw RedisError("redis " + std::string(commands[i].front()) + " returned an error");
        }
    }
    return replies;
}

Reply Redis::eval(std::string_view script, int numkeys, const RedisArgs& keys_then_args) {
    const std::string count = std::to_string(numkeys);
    for (int attempt = 0;; ++attempt) {
        auto known = script_sha_.find(script);
        if (known == script_sha_.end()) {
            auto sha = command({"SCRIPT", "LOAD", script}).string();
            if (!sha) throw RedisError("redis SCRIPT LOAD returned no sha");
            known = script_sha_.emplace(std::string(script), *sha).first;
        }
        RedisArgs args{"EVALSHA", known->second, count};
        args.insert(args.end(), keys_then_args.begin(), keys_then_args.end());
        Reply reply = std::move(send({args}).front());
        if (reply.raw()->type != REDIS_REPLY_ERROR) return reply;
        const std::string_view error(reply.raw()->str, reply.raw()->len);
        if (error.starts_with("NOSCRIPT") && attempt == 0) {
            script_sha_.erase(known);  // the server restarted and forgot it: load it again
            continue;
        }
        forget_demoted_primary(error);
        metrics::store_error(role_);
        util::log(util::LogLevel::error, "redis_error_reply",
                  {{"command", "EVALSHA"}, {"reason", error}});
        throw RedisError("redis EVALSHA returned an error");
    }
}

}  // namespace store
