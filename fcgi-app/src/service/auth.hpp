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
    };

    // Who logged in, when username and password match an enabled account, else nullopt. On
    // success it stamps last_login_at and upgrades an outdated hash.
    std::optional<LoggedIn> login(std::string_view username, std::string_view password);

private:
    store::UserStore& users_;
    Profiles& profiles_;
    const Passwords& passwords_;
};

}  // namespace service
