// The Redis key schema: every key this program reads or writes is named here, under the
// configured prefix (LOGIN_KEY_PREFIX, "login:" by default). docs/ARCHITECTURE.md's key table
// describes the values. No other C++ file builds or takes apart a key (test/layers.sh checks
// fcgi-app/src). Outside the program, these name keys by pattern and follow a change by hand:
// scripts/restore.sh (the cache keys), bench/run.sh and bench/lib.sh, test/browser/lib.mjs.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace store {

class Keys {
public:
    explicit Keys(std::string prefix) : prefix_(std::move(prefix)) {}
    const std::string& prefix() const noexcept { return prefix_; }

    // Sessions, on the session Redis. public_id is the SHA-256 hex of the session id: Redis
    // never holds the id itself.
    std::string session(std::string_view public_id) const;       // s:<public id>
    std::string session_meta(std::string_view public_id) const;  // sm:<public id>
    std::string user_sessions(int64_t user_id) const;            // us:<user id>

    // The profile cache, on the cache Redis.
    std::string profile(int64_t user_id) const;             // p:<user id>
    std::string profile_prefix() const;                     // p: (a script appends the id)
    std::string profile_fill_lock(int64_t user_id) const;   // pl:<user id>
    // The API token cache, on the cache Redis.
    std::string api_token(std::string_view token_sha256) const;  // t:<sha256 of the token>

    // Rate limits, on the session Redis. kind names the limit ("lf", "nf", "reg", ...), subject
    // what it counts (hashed or numeric: never a username or an address in clear), bucket the
    // number of the fixed window.
    std::string rate_bucket(std::string_view kind, std::string_view subject, int64_t bucket) const;
    std::string last_failed_login(std::string_view account_hash) const;   // rl:last:<hash>
    std::string last_failed_device(std::string_view device_hash) const;   // rl:dlast:<hash>
    std::string reauth_failures(std::string_view session_hash) const;     // rl:rf:<hash>

    // One-time links (purpose "reset" or "verify"), on the session Redis: the token's key, and
    // the pointer to the one live token of a user, which a script builds from
    // account_token_owner_prefix and the user id it reads from the token.
    std::string account_token(std::string_view purpose, std::string_view token_sha256) const;
    std::string account_token_owner(std::string_view purpose, int64_t user_id) const;
    std::string account_token_owner_prefix(std::string_view purpose) const;

    // Second factors, on the session Redis: a secret waiting for its first code, and a login
    // waiting for its code (keyed by the SHA-256 hex of the pending login's token).
    std::string mfa_enrolment(int64_t user_id) const;              // mfa:enrol:<user id>
    std::string mfa_pending(std::string_view token_sha256) const;  // mfa:pending:<hash>

    // The mail queue, on the session Redis (persistent, never evicted).
    std::string mail_queue() const;                                // mail:queue
    std::string mail_in_flight(std::string_view consumer) const;   // mail:in-flight:<consumer>
    std::string mail_retry() const;                                // mail:retry
    std::string mail_dead() const;                                 // mail:dead
    std::string mail_sent() const;                                 // mail:sent
    std::string mail_failed() const;                               // mail:failed

private:
    std::string join(std::string_view a, std::string_view b) const;

    std::string prefix_;
};

}  // namespace store
