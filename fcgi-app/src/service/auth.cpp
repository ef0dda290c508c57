// Login with one generic outcome, constant work, and the login limits.
#include "service/auth.hpp"

#include <string>

namespace service {

Auth::Auth(store::UserStore& users, Profiles& profiles, const Passwords& passwords,
           RateLimits& limits, const KnownDevices& devices)
    : users_(users),
      profiles_(profiles),
      passwords_(passwords),
      limits_(limits),
      devices_(devices) {}

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
    limits_.login_succeeded(subject);
    std::optional<std::string> new_hash;
    if (passwords_.needs_rehash(creds->password_hash)) new_hash = passwords_.hash(attempt.password);
    out.session_generation = users_.record_login(creds->id, new_hash);
    profiles_.invalidate(creds->id);  // the profile shows last_login_at
    out.result = LoginOutcome::Result::success;
    out.user_id = creds->id;
    out.device_cookie = devices_.issue(creds->id, out.session_generation, device);
    return out;
}

}  // namespace service
