// A Redis connection owned by one worker: RAII handles, lazy (re)connection with backoff,
// single commands and pipelines.
#pragma once

#include <chrono>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "metrics/metrics.hpp"
#include "store/redis_url.hpp"
#include "store/reply.hpp"

struct redisContext;  // hiredis's; only store/redis.cpp looks inside it

namespace store {

struct RedisFree {
    void operator()(redisContext* c) const noexcept;
};
using RedisContextPtr = std::unique_ptr<redisContext, RedisFree>;

using RedisArgs = std::vector<std::string_view>;

// The process must ignore SIGPIPE (login-fcgi's main does): a kept connection that the server
// closed is noticed by the write that fails with EPIPE.
class Redis {
public:
    // Does not connect: the connection opens on first use, after fork. Accepts the URLs of
    // parse_redis_url (throws RedisError for others); sentinel:// follows the primary that
    // Redis Sentinel names, asked again after any connection failure or READONLY reply, so a
    // failover is followed without a restart. password authenticates (AUTH) when the URL
    // carries none. role names the server in metrics.
    explicit Redis(const std::string& url, metrics::Store role = metrics::Store::redis_session,
                   const std::string& password = "");

    // Sends one command and returns its reply. Throws RedisError when Redis is unreachable,
    // times out or answers with an error reply, so a Reply is never an error.
    Reply command(const RedisArgs& args);

    // Sends all commands in one round trip and returns their replies in order.
    std::vector<Reply> pipeline(const std::vector<RedisArgs>& commands);

    // Runs a Lua script by its SHA-1 (EVALSHA), loading it once per connection and again if
    // the server forgot it (NOSCRIPT after a restart), so the script text is not sent on
    // every call. keys_then_args holds the numkeys keys, then the arguments.
    Reply eval(std::string_view script, int numkeys, const RedisArgs& keys_then_args);

    // True when the server answers PING now. Never throws; a server in backoff is "down".
    bool ping() noexcept;

    // The URL without its password, safe for logs.
    const std::string& redacted_url() const { return redacted_url_; }

private:
    redisContext* connection();
    // Sends the commands in one round trip and returns their replies, error replies included.
    // Throws RedisError when the server cannot be reached or does not answer.
    std::vector<Reply> send(const std::vector<RedisArgs>& commands);
    [[noreturn]] void fail(const char* what);
    void forget_demoted_primary(std::string_view error);

    RedisEndpoint endpoint_;
    std::string redacted_url_;
    RedisContextPtr ctx_;
    std::map<std::string, std::string, std::less<>> script_sha_;  // script text → SHA-1
    metrics::Store role_;
    std::chrono::steady_clock::time_point retry_after_{};
    int failures_ = 0;       // consecutive failed connects: the backoff grows with them
    bool connected_once_ = false;
};

}  // namespace store
