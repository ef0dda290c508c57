// The account lifecycle: registration, password change and ending every session. The first two
// hash a password, so their routes run in the password worker pool.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <variant>
#include <vector>

#include "service/passwords.hpp"
#include "service/profiles.hpp"
#include "store/users.hpp"

namespace service {

// Field name → message to show next to it.
using FieldErrors = std::vector<std::pair<std::string, std::string>>;

struct Registration {
    std::string username;  // lower-cased before validation
    std::string display_name;
    std::string email;
    std::string password;
};

class Accounts {
public:
    Accounts(store::UserStore& users, Profiles& profiles, const Passwords& passwords);

    // Validates every field (all errors at once), hashes the password and creates the user.
    // A username taken in any letter case is a field error.
    std::variant<store::User, FieldErrors> register_user(Registration form);

    // Validates the new password (before any hashing: 12-128 characters of UTF-8, no NUL, not
    // the username) and stores its hash. The caller has re-authenticated the user (Reauth).
    // Every session and known device of the user ends; returns the new session generation for
    // the session the caller starts next.
    std::variant<int, FieldErrors> change_password(const store::User& user,
                                                   const std::string& new_password);

    // Ends every session and every known device of the user at once (a new session generation)
    // and returns the new generation, for the session the caller starts next; nullopt if the
    // user is gone.
    std::optional<int> end_all_sessions(const store::User& user);

  private:
    store::UserStore& users_;
    Profiles& profiles_;
    const Passwords& passwords_;
};

}  // namespace service
