// Login: one generic outcome for unknown users, wrong passwords and disabled accounts, the same
// hashing work in every case, the login limits (per account or known device, per network), and
// the second step of an account with a second factor.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "service/known_devices.hpp"
#include "service/mfa.hpp"
#include "service/passwords.hpp"
#include "service/profiles.hpp"
#include "service/rate_limits.hpp"
#include "store/users.hpp"

namespace service {

// One login attempt as it arrived.
struct LoginAttempt {
    std::string_view username;  // canonical (service::canonical_username)
    std::string_view password;
    std::string_view client_ip;
    std::optional<std::string_view> device_cookie;  // the did cookie, as sent, if any
    std::string_view lang;  // "en" or "pt-BR": the user's language from now on; "" keeps it
};

// The second step of a login: the code typed for the pending login the mfa cookie names.
struct CodeAttempt {
    std::string_view pending_token;  // the mfa cookie, as sent
    std::string_view code;           // a TOTP code or a recovery code
    std::string_view client_ip;
    std::string_view lang;
};

struct LoginOutcome {
    enum class Result {
        success,
        failure,       // wrong password or code, unknown user, disabled account
        limited,       // refused by a limit before any hash or code check
        mfa_required,  // the password matched; the code comes next (pending_token)
        mfa_expired,   // no such pending login (expired, used, or the account changed meanwhile)
    };
    Result result = Result::failure;
    // success: who logged in, and the did cookie value that now names this browser.
    int64_t user_id = 0;
    int session_generation = 0;
    std::string device_cookie;
    // mfa_required: the value of the mfa cookie that binds the pending login to this browser.
    std::string pending_token;
    // limited: what the limit decided (429 with Retry-After); no hash was computed.
    Verdict verdict;
};

class Auth {
public:
    Auth(store::UserStore& users, Profiles& profiles, const Passwords& passwords, RateLimits& limits,
         const KnownDevices& devices, Mfa& mfa);

    // Checks the limits, then the password; counts a failure against the account, or against
    // the known device the request came from (the owner's other browsers keep their allowance),
    // and against the client's network. On success it clears the failures, stamps last_login_at,
    // upgrades an outdated hash and issues the device cookie. For an account with a second
    // factor a right password clears and stamps nothing: it only starts a pending login (a known
    // device skips nothing). Throws RedisError or PgError when a store cannot answer.
    LoginOutcome login(const LoginAttempt& attempt);

    // The second step: the code of the pending login, under the same limits and against the same
    // subject as its password (a wrong code counts like a wrong password). Success as for login;
    // the pending login ends. mfa_expired when the pending login is unknown, or the account's
    // session generation moved since its password (a password reset, "end all sessions").
    LoginOutcome login_with_code(const CodeAttempt& attempt);

private:
    LoginOutcome succeed(int64_t user_id, const LoginSubject& subject,
                         const std::optional<std::string>& new_hash, std::string_view lang);

    store::UserStore& users_;
    Profiles& profiles_;
    const Passwords& passwords_;
    RateLimits& limits_;
    const KnownDevices& devices_;
    Mfa& mfa_;
};

}  // namespace service
