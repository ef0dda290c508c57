// The account lifecycle: registration and password change. Both hash a password, so their
// routes run in the password worker pool.
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

    // Checks the current password (constant work), validates the new one and stores it.
    // Every session of the user ends; returns the new session generation for the session
    // the caller starts next.
    std::variant<int, FieldErrors> change_password(const store::User& user,
                                                   const std::string& current_password,
                                                   const std::string& new_password);

    // True when password is the user's current password (one hash, constant time): the
    // re-authentication that sensitive changes such as a new email address need.
    bool is_current_password(const store::User& user, std::string_view password) const;

private:
    store::UserStore& users_;
    Profiles& profiles_;
    const Passwords& passwords_;
};

}  // namespace service
