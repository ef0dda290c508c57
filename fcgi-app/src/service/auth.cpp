// Login with one generic outcome, constant work, the login limits and the second factor.
#include "service/auth.hpp"

#include <ctime>
#include <string>

namespace service {

Auth::Auth(store::UserStore& users, Profiles& profiles, const Passwords& passwords,
           RateLimits& limits, const KnownDevices& devices, Mfa& mfa)
    : users_(users),
      profiles_(profiles),
      passwords_(passwords),
      limits_(limits),
      devices_(devices),
      mfa_(mfa) {}

LoginOutcome Auth::login(const LoginAttempt& attempt) {
    LoginOutcome out;
    const auto creds = users_.find_credentials(std::string(attempt.username));
    // A device counts only when the server issued it for this account under its current session
    // generation; anything else (made up, another account's, revoked) is no device at all.
    std::optional<std::string> device;
    if (creds && attempt.device_cookie)
        device = devices_.device_of(*attempt.device_cookie, creds->id, creds->session_generation);
    const LoginSubject subject{attempt.username, device};
    out.verdict = limits_.check_login(subject, attempt.client_ip);
    if (!out.verdict.allowed) {
        out.result = LoginOutcome::Result::limited;
        return out;
    }
    // Verify before looking at `enabled`, so a disabled account costs the same time; an unknown
    // user costs one hash against the decoy.
    const bool match = creds ? passwords_.verify(attempt.password, creds->password_hash)
                             : passwords_.verify_decoy(attempt.password);
    if (!match || !creds->enabled) {
        limits_.login_failed(subject, attempt.client_ip);
        out.result = LoginOutcome::Result::failure;
        return out;
    }
    std::optional<std::string> new_hash;
    if (passwords_.needs_rehash(creds->password_hash)) new_hash = passwords_.hash(attempt.password);
    if (creds->mfa) {
        // The failures stay: code guesses count on top of them, and a right password between
        // guesses must not start the count again.
        if (new_hash) users_.replace_hash(creds->id, creds->password_hash, *new_hash);
        out.result = LoginOutcome::Result::mfa_required;
        out.user_id = creds->id;
        out.pending_token = mfa_.begin_login(
            {creds->id, std::string(attempt.username), creds->session_generation, device});
        return out;
    }
    return succeed(creds->id, subject, new_hash, attempt.lang);
}

LoginOutcome Auth::login_with_code(const CodeAttempt& attempt) {
    LoginOutcome out;
    const auto pending = mfa_.pending(attempt.pending_token);
    const auto creds = pending ? users_.find_credentials_by_id(pending->user_id) : std::nullopt;
    if (!creds || !creds->enabled || !creds->mfa ||
        creds->session_generation != pending->session_generation) {
        out.result = LoginOutcome::Result::mfa_expired;
        return out;
    }
    const LoginSubject subject{pending->username,
                               pending->device_id ? std::optional<std::string_view>(
                                                        *pending->device_id)
                                                  : std::nullopt};
    const auto check = mfa_.check_code(creds->id, subject, attempt.client_ip, attempt.code,
                                       std::time(nullptr));
    if (check.result != CodeCheck::Result::accepted) {
        out.result = check.result == CodeCheck::Result::limited ? LoginOutcome::Result::limited
                                                                 : LoginOutcome::Result::failure;
        out.verdict = check.verdict;
        return out;
    }
    mfa_.end_login(attempt.pending_token);
    return succeed(creds->id, subject, std::nullopt, attempt.lang);
}

LoginOutcome Auth::succeed(int64_t user_id, const LoginSubject& subject,
                           const std::optional<std::string>& new_hash, std::string_view lang) {
    LoginOutcome out;
    limits_.login_succeeded(subject);
    const std::optional<std::string> language =
        lang.empty() ? std::nullopt : std::optional<std::string>(lang);
    out.session_generation = users_.record_login(user_id, new_hash, language);
    profiles_.invalidate(user_id);  // the profile shows last_login_at
    out.result = LoginOutcome::Result::success;
    out.user_id = user_id;
    out.device_cookie = devices_.issue(user_id, out.session_generation, subject.device_id);
    return out;
}

}  // namespace service
