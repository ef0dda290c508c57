// Login: one generic outcome for unknown users, wrong passwords and disabled accounts, and
// the same hashing work in every case.
#pragma once

#include <cstdint>
#include <optional>
#include <string_view>

#include "service/passwords.hpp"
#include "service/profiles.hpp"
#include "store/users.hpp"

namespace service {

class Auth {
public:
    Auth(store::UserStore& users, Profiles& profiles, const Passwords& passwords);

    struct LoggedIn {
        int64_t user_id = 0;
        int session_generation = 0;
        // The password matched, but the account has a second factor: nothing is stamped yet,
        // and the login completes with complete_login() once a code is accepted.
        bool mfa_required = false;
    };

    // Who logged in, when username and password match an enabled account, else nullopt. On
    // success it stamps last_login_at (with lang, "en" or "pt-BR", when not empty) and upgrades
    // an outdated hash.
    std::optional<LoggedIn> login(std::string_view username, std::string_view password,
                                  std::string_view lang = {});
    // The second step of a login that needed a code: stamps last_login_at and returns the
    // session generation, or nullopt when the user is gone.
    std::optional<int> complete_login(int64_t user_id, std::string_view lang);

private:
    store::UserStore& users_;
    Profiles& profiles_;
    const Passwords& passwords_;
};

}  // namespace service
