// Re-authentication under the login limits, with its audit lines.
#include "service/reauth.hpp"

#include <string>

#include "service/attempts.hpp"
#include "service/validation.hpp"
#include "util/log.hpp"

namespace service {

Reauth::Reauth(store::UserStore& users, const Passwords& passwords, RateLimits& limits,
               SessionStore& sessions, int max_failures)
    : users_(users),
      passwords_(passwords),
      limits_(limits),
      sessions_(sessions),
      max_failures_(max_failures) {}

ReauthOutcome Reauth::check(const model::User& user, std::string_view password,
                            const ReauthAttempt& attempt) {
    using metrics::AttemptResult;
    // No password given is no attempt; one that cannot be a password is a wrong one.
    if (password.empty()) return {};
    ReauthOutcome out;
    count_unavailable(metrics::Attempt::reauth, [&] { out = decide(user, password, attempt); });
    switch (out.result) {
        case ReauthOutcome::Result::confirmed:
            metrics::attempt(metrics::Attempt::reauth, AttemptResult::success);
            break;
        case ReauthOutcome::Result::limited:
            metrics::attempt(metrics::Attempt::reauth, refused_result(out.verdict));
            break;
        case ReauthOutcome::Result::wrong_password:
        case ReauthOutcome::Result::session_ended:
            metrics::attempt(metrics::Attempt::reauth, AttemptResult::failure);
            break;
    }
    return out;
}

ReauthOutcome Reauth::decide(const model::User& user, std::string_view password,
                             const ReauthAttempt& attempt) {
    ReauthOutcome out;
    const std::string user_id = std::to_string(user.id);
    // No password given, or not a possible one (over 128 characters, not UTF-8, a NUL): no hash
    // is spent on it, and nothing was guessed, so nothing is counted.
    if (password.empty() || check_password_input(password)) return out;
    const LoginSubject account{user.username, std::nullopt};
    out.verdict = limits_.check_login(account, attempt.client_ip);
    if (!out.verdict.allowed) {
        out.result = ReauthOutcome::Result::limited;
        return out;
    }
    const auto creds = users_.find_credentials_by_id(user.id);
    const bool match = creds ? passwords_.verify(password, creds->password_hash)
                             : passwords_.verify_decoy(password);
    if (match) {
        // An account with a second factor keeps its failures: they include code guesses, which
        // a right password between them must not start counting again.
        if (!creds->mfa) limits_.login_succeeded(account);
        limits_.reauth_succeeded(attempt.session_id);
        util::log(util::LogLevel::info, "reauth_succeeded",
                  {{"request_id", attempt.request_id},
                   {"client_ip", attempt.client_ip},
                   {"user_id", user_id},
                   {"purpose", attempt.purpose}});
        out.result = ReauthOutcome::Result::confirmed;
        return out;
    }
    limits_.login_failed(account, attempt.client_ip);
    const int64_t failures = limits_.reauth_failed(attempt.session_id);
    const bool end = failures >= max_failures_;
    util::log(util::LogLevel::warn, "reauth_failed",
              {{"request_id", attempt.request_id},
               {"client_ip", attempt.client_ip},
               {"user_id", user_id},
               {"purpose", attempt.purpose},
               {"session_failures", std::to_string(failures)},
               {"session_ended", end ? "true" : "false"}});
    if (end) {
        sessions_.destroy(attempt.session_id);
        out.result = ReauthOutcome::Result::session_ended;
    }
    return out;
}

}  // namespace service
