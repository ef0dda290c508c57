// Anti-automation shared by every worker on every host: sliding-window counters in Redis for
// failed logins (per account and per client network), registrations and API calls, with a
// soft escalation for logins (a growing delay, then 429) that a known device skips.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "config.hpp"
#include "store/redis.hpp"

namespace service {

// What a limit decided. retry_after_seconds is set when the request is refused.
struct Verdict {
    bool allowed = true;
    int retry_after_seconds = 0;
    std::string reason;  // "delay", "account_limit", "ip_limit", "limit"; empty when allowed
};

// A sliding window approximated by two fixed buckets: the current one counts fully and the
// previous one by the share of it the sliding window still covers.
struct WindowCount {
    int64_t current = 0;
    int64_t previous = 0;
    // The weighted count at now_ms, for buckets window_seconds long.
    double at(int64_t now_ms, int window_seconds) const;
};

// The Redis state behind one login attempt.
struct LoginCounts {
    WindowCount account_failures;   // last hour, for this username (known or not)
    WindowCount network_failures;   // last hour, for the client's network
    int64_t last_failure_ms = 0;    // of this username; 0 when none
    bool known_device = false;      // the browser logged in to this account before
};

// The pure decision, tested without Redis. A known device is the account's usual client: it
// skips the limits, so that an attacker's failures cannot lock the owner out.
Verdict decide_login(const LoginCounts& counts, const app::RateLimits& limits, int64_t now_ms);

class RateLimits {
public:
    RateLimits(store::Redis& redis, std::string key_prefix, const app::RateLimits& limits);

    // Whether a login for username from client_ip may be checked at all. device is the
    // device cookie the request carried, if any. Throws RedisError.
    Verdict check_login(std::string_view username, std::string_view client_ip,
                        std::optional<std::string_view> device);
    // Counts a failed login against the account and the client's network.
    void login_failed(std::string_view username, std::string_view client_ip);
    // Clears the account's failures and remembers the device for limits.known_device_days.
    // Returns the device token for the cookie: the one the request carried when it has the
    // right shape, else a new one.
    std::string login_succeeded(std::string_view username, std::optional<std::string_view> device);

    // Counts one registration attempt from client_ip; refused over the hourly limit.
    Verdict hit_registration(std::string_view client_ip);
    // Counts one password-recovery request from client_ip's network; refused over the hourly
    // limit.
    Verdict hit_recovery_network(std::string_view client_ip);
    // Counts one dead reset or verification link opened from client_ip's network.
    Verdict hit_bad_link(std::string_view client_ip);
    // Counts one recovery mail asked for identifier (a username or an address, whether or not
    // an account has it); refused over the hourly limit.
    Verdict hit_recovery_account(std::string_view identifier);
    // Counts one verification mail the user asked to be sent again.
    Verdict hit_verify_mail(int64_t user_id);
    // Counts one API request of a client application; refused over the per-minute limit.
    Verdict hit_api(int64_t client_id);

private:
    std::string bucket_key(std::string_view kind, std::string_view subject, int64_t bucket) const;
    Verdict hit(std::string_view kind, std::string_view subject, int window_seconds, int limit);

    store::Redis& redis_;
    std::string prefix_;
    app::RateLimits limits_;
};

// The client's network for per-network limits: the address itself for IPv4, its /64 for IPv6.
std::string client_network(std::string_view client_ip);

}  // namespace service
