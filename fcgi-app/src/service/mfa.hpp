// The TOTP second factor (ASVS V2.7/V2.8): enrolment confirmed with a code, ten single-use
// recovery codes, codes accepted once (never twice in their window), and the pending state
// between a login's password and its code.
#pragma once

#include <cstdint>
#include <ctime>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "config.hpp"
#include "service/profiles.hpp"
#include "service/rate_limits.hpp"
#include "store/mfa.hpp"
#include "store/keys.hpp"
#include "store/redis.hpp"

namespace service {

constexpr int kRecoveryCodes = 10;

// A login whose password matched and that waits for its code.
struct PendingLogin {
    int64_t user_id = 0;
    std::string username;        // canonical: the limiter's account subject
    int session_generation = 0;  // when the password matched; a change since ends the login
    std::optional<std::string> device_id;  // the known device the password came from, if any
};

// What a code check under the login limits decided.
struct CodeCheck {
    enum class Result { accepted, wrong, limited };
    Result result = Result::wrong;
    Verdict verdict;  // limited: the Retry-After
};

class Mfa {
public:
    Mfa(store::MfaStore& rows, store::Redis& session_redis, std::string key_prefix,
        Profiles& profiles, RateLimits& limits, const app::AccountSettings& settings);

    // Enrolment, step 1: a new secret for the user, kept in Redis for 15 minutes until a code
    // confirms it (a second call replaces it). Returns the secret.
    std::string start_enrolment(int64_t user_id);
    // The secret waiting for confirmation, if any.
    std::optional<std::string> enrolment_secret(int64_t user_id);
    // The otpauth:// URI of a secret for this user.
    std::string otpauth_uri(std::string_view username, std::string_view secret) const;
    // Enrolment, step 2: when code fits the waiting secret, the second factor is on and the
    // ten new recovery codes come back (shown once); nullopt for a wrong code or no secret.
    std::optional<std::vector<std::string>> confirm_enrolment(int64_t user_id,
                                                              std::string_view code,
                                                              std::time_t now);

    // Whether code is a current TOTP code of the user not used before, or one of their unused
    // recovery codes (which it uses up). False when the second factor is off.
    bool accept_code(int64_t user_id, std::string_view code, std::time_t now);
    // accept_code under the login limits of subject (the account, or the known device the
    // login came from) and the client's network: refused unchecked when limited, and a wrong
    // code counts as a failed login. An accepted code clears nothing (the caller decides).
    CodeCheck check_code(int64_t user_id, const LoginSubject& subject, std::string_view client_ip,
                         std::string_view code, std::time_t now);
    // True when the second factor is on.
    bool enabled(int64_t user_id);
    // Unused recovery codes left.
    int recovery_codes_left(int64_t user_id) { return rows_.recovery_codes_left(user_id); }
    // Turns the second factor off (the caller checked the password and a code, or is an admin);
    // false when it was off.
    bool disable(int64_t user_id);

    // A login waiting for its code: returns the token for the browser's cookie.
    std::string begin_login(const PendingLogin& login);
    // The login a pending token stands for; nullopt when unknown or expired.
    std::optional<PendingLogin> pending(std::string_view token);
    // The pending state ends (the login completed).
    void end_login(std::string_view token);

private:
    std::string pending_key(std::string_view token) const;

    store::MfaStore& rows_;
    store::Redis& redis_;
    store::Keys keys_;
    Profiles& profiles_;
    RateLimits& limits_;
    const app::AccountSettings& settings_;
};

// A recovery code as typed ("ABCD-efgh-2345", spaces or dashes anywhere) in its canonical form
// (lower case, no separators); "" when it cannot be one.
std::string canonical_recovery_code(std::string_view typed);

}  // namespace service
