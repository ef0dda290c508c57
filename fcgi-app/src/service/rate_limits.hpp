// Anti-automation shared by every worker on every host: sliding-window counters in Redis for
// failed logins (per account or known device, and per client network), registrations and API
// calls, with a soft escalation for logins (a growing delay, then 429).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "config.hpp"
#include "store/keys.hpp"
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
    // Last hour's failures of the subject the attempt counts against: the account (known or
    // not), or, for a known device of the account, that device alone.
    WindowCount failures;
    WindowCount network_failures;   // last hour, for the client's network
    int64_t last_failure_ms = 0;    // the subject's last failure; 0 when none
    bool known_device = false;      // the subject is a known device of the account
};

// The pure decision, tested without Redis. The per-network limit applies to everyone. A known
// device is the account's usual browser: an attacker's failures elsewhere do not count against
// it, so they cannot lock the owner out, and it has a larger allowance of its own.
Verdict decide_login(const LoginCounts& counts, const app::RateLimits& limits, int64_t now_ms);

// Whose failures a login attempt counts against: the account, or one of its known devices
// (a device id from KnownDevices::device_of, never a raw cookie).
struct LoginSubject {
    std::string_view username;  // canonical
    std::optional<std::string_view> device_id;
};

class RateLimits {
public:
    RateLimits(store::Redis& redis, std::string key_prefix, const app::RateLimits& limits);

    // Whether a login for subject from client_ip may be checked at all. Throws RedisError.
    Verdict check_login(const LoginSubject& subject, std::string_view client_ip);
    // Counts a failed login against the subject and the client's network.
    void login_failed(const LoginSubject& subject, std::string_view client_ip);
    // Clears the failures of the account and of the device the login came from.
    void login_succeeded(const LoginSubject& subject);

    // Counts a wrong current password sent from one session (re-authentication) and returns
    // how many in a row that session has sent; reauth_succeeded starts the count again.
    int64_t reauth_failed(std::string_view session_id);
    void reauth_succeeded(std::string_view session_id);

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
  // The Redis keys of a subject's failures: bucket kind and the subject's hashed name.
  struct SubjectKeys {
      std::string kind;
      std::string subject;
      std::string last;
  };
  SubjectKeys keys_of(const LoginSubject& subject) const;
  std::string reauth_key(std::string_view session_id) const;
  Verdict hit(std::string_view kind, std::string_view subject, int window_seconds, int limit);

  store::Redis& redis_;
  store::Keys keys_;
  app::RateLimits limits_;
};

// The client's network for per-network limits: the address itself for IPv4, its /64 for IPv6.
std::string client_network(std::string_view client_ip);

}  // namespace service
