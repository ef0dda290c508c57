// Login: one generic outcome for unknown users, wrong passwords and disabled accounts, the same
// hashing work in every case, and the login limits (per account or known device, per network).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "service/known_devices.hpp"
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
};

struct LoginOutcome {
    enum class Result { success, failure, limited };
    Result result = Result::failure;
    // success: who logged in, and the did cookie value that now names this browser.
    int64_t user_id = 0;
    int session_generation = 0;
    std::string device_cookie;
    // limited: what the limit decided (429 with Retry-After); no hash was computed.
    Verdict verdict;
};

class Auth {
public:
  Auth(store::UserStore& users, Profiles& profiles, const Passwords& passwords, RateLimits& limits,
       const KnownDevices& devices);

  // Checks the limits, then the password; counts a failure against the account, or against
  // the known device the request came from (the owner's other browsers keep their allowance),
  // and against the client's network. On success it clears the failures, stamps last_login_at,
  // upgrades an outdated hash and issues the device cookie. Throws RedisError or PgError when a
  // store cannot answer.
  LoginOutcome login(const LoginAttempt& attempt);

private:
    store::UserStore& users_;
    Profiles& profiles_;
    const Passwords& passwords_;
    RateLimits& limits_;
    const KnownDevices& devices_;
};

}  // namespace service
