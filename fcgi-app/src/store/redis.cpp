// A Redis connection owned by one worker.
#include "store/redis.hpp"

#include "store/backoff.hpp"
#include "store/errors.hpp"
#include "util/log.hpp"
#include "util/text.hpp"

namespace store {
namespace {

constexpr timeval kTimeout{1, 0};

struct Endpoint {
    std::string host;  // empty for a unix socket
    int port = 6379;
    std::string socket_path;
    int db = 0;
};

Endpoint parse_url(const std::string& url) {
    Endpoint e;
    std::string_view rest(url);
    if (rest.starts_with("unix://")) {
        e.socket_path = rest.substr(7);
        return e;
    }
    if (!rest.starts_with("redis://")) throw RedisError("redis url must start with redis://");
    rest.remove_prefix(8);
    const size_t slash = rest.find('/');
    std::string_view hostport = rest.substr(0, slash);
    if (slash != std::string_view::npos) {
        auto db = util::parse_uint(rest.substr(slash + 1), 15);
        if (!db && slash + 1 < rest.size()) throw RedisError("bad database number in redis url");
        e.db = db ? static_cast<int>(*db) : 0;
    }
    const size_t colon = hostport.rfind(':');
    e.host = hostport.substr(0, colon);
    if (colon != std::string_view::npos) {
        auto port = util::parse_uint(hostport.substr(colon + 1), 65535);
        if (!port) throw RedisError("bad port in redis url");
        e.port = static_cast<int>(*port);
    }
    return e;
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

Redis::Redis(std::string url, metrics::Store role) : url_(std::move(url)), role_(role) {
    parse_url(url_);
}

void Redis::fail(const char* what) {
    const std::string reason = ctx_ && ctx_->err ? ctx_->errstr : "unknown";
    ctx_.reset();
    // Backoff with jitter: while the server is down, each worker tries again only now and then,
    // and the workers' attempts are spread out instead of arriving together.
    retry_after_ = std::chrono::steady_clock::now() + reconnect_delay(failures_++);
    metrics::store_error(role_);
    util::log(util::LogLevel::warn, "redis_error",
              {{"url", url_}, {"during", what}, {"reason", reason}});
    throw RedisError(std::string("redis ") + what + " failed");
}

redisContext* Redis::connection() {
    // A server that restarted closed our idle connection: the socket reads as ready (EOF)
    // although no reply is due. Reconnect now instead of failing this request.
    if (ctx_ && peer_closed(ctx_->fd)) ctx_.reset();
    if (ctx_) return ctx_.get();
    if (std::chrono::steady_clock::now() < retry_after_)
        throw RedisError("redis unavailable (backing off)");
    const Endpoint e = parse_url(url_);
    ctx_.reset(e.socket_path.empty() ? redisConnectWithTimeout(e.host.c_str(), e.port, kTimeout)
                                     : redisConnectUnixWithTimeout(e.socket_path.c_str(), kTimeout));
    if (!ctx_ || ctx_->err) fail("connect");
    redisSetTimeout(ctx_.get(), kTimeout);
    if (e.db != 0) {
        RedisReply r{static_cast<redisReply*>(redisCommand(ctx_.get(), "SELECT %d", e.db))};
        if (!r || r->type == REDIS_REPLY_ERROR) fail("select");
    }
    if (connected_once_) {
        metrics::store_reconnect(role_);
        util::log(util::LogLevel::info, "redis_reconnected", {{"url", url_}});
    }
    connected_once_ = true;
    failures_ = 0;
    return ctx_.get();
}

bool Redis::ping() noexcept {
    try {
        auto reply = command({"PING"});
        return reply_string(reply.get()) == "PONG";
    } catch (const std::exception&) {
        return false;
    }
}

RedisReply Redis::command(const RedisArgs& args) {
    auto replies = pipeline({args});
    return std::move(replies.front());
}

std::vector<RedisReply> Redis::pipeline(const std::vector<RedisArgs>& commands) {
    redisContext* c = connection();
    for (const auto& args : commands) append(c, args);
    std::vector<RedisReply> replies;
    replies.reserve(commands.size());
    for (size_t i = 0; i < commands.size(); ++i) {
        void* raw = nullptr;
        if (redisGetReply(c, &raw) != REDIS_OK || !raw) fail("reply");
        replies.emplace_back(static_cast<redisReply*>(raw));
    }
    for (size_t i = 0; i < replies.size(); ++i) {
        if (replies[i]->type == REDIS_REPLY_ERROR) {
            metrics::store_error(role_);
            util::log(util::LogLevel::error, "redis_error_reply",
                      {{"command", commands[i].front()}, {"reason", replies[i]->str}});
            throw RedisError("redis " + std::string(commands[i].front()) + " returned an error");
        }
    }
    return replies;
}

RedisReply Redis::eval(std::string_view script, int numkeys, const RedisArgs& keys_then_args) {
    const std::string count = std::to_string(numkeys);
    for (int attempt = 0;; ++attempt) {
        auto known = script_sha_.find(script);
        if (known == script_sha_.end()) {
            auto sha = reply_string(command({"SCRIPT", "LOAD", script}).get());
            if (!sha) throw RedisError("redis SCRIPT LOAD returned no sha");
            known = script_sha_.emplace(std::string(script), *sha).first;
        }
        RedisArgs args{"EVALSHA", known->second, count};
        args.insert(args.end(), keys_then_args.begin(), keys_then_args.end());
        redisContext* c = connection();
        append(c, args);
        void* raw = nullptr;
        if (redisGetReply(c, &raw) != REDIS_OK || !raw) fail("reply");
        RedisReply reply(static_cast<redisReply*>(raw));
        if (reply->type != REDIS_REPLY_ERROR) return reply;
        const std::string_view error(reply->str, reply->len);
        if (error.starts_with("NOSCRIPT") && attempt == 0) {
            script_sha_.erase(known);  // the server restarted and forgot it: load it again
            continue;
        }
        metrics::store_error(role_);
        util::log(util::LogLevel::error, "redis_error_reply",
                  {{"command", "EVALSHA"}, {"reason", error}});
        throw RedisError("redis EVALSHA returned an error");
    }
}

std::optional<std::string> reply_string(const redisReply* r) {
    if (!r || (r->type != REDIS_REPLY_STRING && r->type != REDIS_REPLY_STATUS)) return std::nullopt;
    return std::string(r->str, r->len);
}

}  // namespace store
