// A user as routes, services and stores all see it: plain values, no hash, no connection.
#pragma once

#include <algorithm>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace model {

// A user as every reader may see it: no password hash here, by construction.
struct User {
    int64_t id = 0;
    std::string username;
    std::string display_name;
    std::optional<std::string> email;
    std::vector<std::string> roles;
    bool enabled = true;
    std::string created_at;  // RFC 3339 UTC
    std::string updated_at;
    std::optional<std::string> last_login_at;
    // Sessions created under an older generation are dead (see SessionStore).
    int session_generation = 0;
    // The address in email was confirmed through a link sent to it (email_verified_at).
    bool email_verified = false;
    // A confirmed TOTP second factor: logins need a code after the password.
    bool mfa_enabled = false;
    // "en" or "pt-BR": the language of the user's last login, for mails; "" when unknown.
    std::string lang;

    bool has_role(const std::string& role) const {
        return std::find(roles.begin(), roles.end(), role) != roles.end();
    }
};

// Fields to change; an empty optional leaves the column alone, and an email set to an empty
// optional inside clears it. Disabling a user also ends all of their sessions.
struct UserChange {
    std::optional<std::string> display_name;
    std::optional<std::optional<std::string>> email;
    std::optional<bool> enabled;
    std::optional<std::vector<std::string>> roles;  // validated names only
};

// A page of users in (updated_at, id) order, with each row's exact (microsecond) updated_at
// for cursors.
struct UpdatedPage {
    std::vector<User> users;
    std::vector<std::string> exact_updated_at;
};

}  // namespace model
