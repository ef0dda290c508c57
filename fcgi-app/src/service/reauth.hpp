// Re-authentication: the check of a logged-in user's current password before a sensitive change
// (a new email address, a new password). The one place such a check happens, so that every one
// is limited, counted and audited alike.
#pragma once

#include <cstdint>
#include <string_view>

#include "service/passwords.hpp"
#include "service/rate_limits.hpp"
#include "service/sessions.hpp"
#include "store/users.hpp"

namespace service {

// Who asks, and why (for the limits and the audit lines).
struct ReauthAttempt {
    std::string_view purpose;     // "email_change", "password_change"
    std::string_view session_id;  // the cookie of the session the request came with
    std::string_view client_ip;
    std::string_view request_id;
};

struct ReauthOutcome {
    enum class Result {
        confirmed,       // the current password
        wrong_password,  // not it (or not a possible password: no hash spent on it)
        limited,         // the account's login limit refused the attempt; nothing was hashed
        session_ended,   // not it, and this session had too many wrong attempts: it has ended
    };
    Result result = Result::wrong_password;
    Verdict verdict;  // for limited: the Retry-After
};

class Reauth {
  public:
    // max_failures: wrong passwords one session may send before it is ended.
    Reauth(store::UserStore& users, const Passwords& passwords, RateLimits& limits,
           SessionStore& sessions, int max_failures);

    // Checks password against the user's current one, under the account's login limits (a
    // failure here counts like a failed login, and its network's too), and logs the outcome
    // (reauth_failed / reauth_succeeded, with the purpose). A right password clears the
    // account's failures unless it has a second factor (its code guesses count there too). The
    // max_failures-th wrong password in a row from one session ends that session. Throws
    // RedisError or PgError when a store cannot answer. Every check with a password is counted
    // in login_reauth_attempts_total (metrics::Attempt::reauth).
    ReauthOutcome check(const model::User& user, std::string_view password,
                        const ReauthAttempt& attempt);

  private:
    // The check itself, uncounted.
    ReauthOutcome decide(const model::User& user, std::string_view password,
                         const ReauthAttempt& attempt);

    store::UserStore& users_;
    const Passwords& passwords_;
    RateLimits& limits_;
    SessionStore& sessions_;
    int max_failures_;
};

}  // namespace service
