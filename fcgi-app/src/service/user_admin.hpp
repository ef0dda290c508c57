// User management: the actions an admin takes on the /admin pages and an operator with
// `login-fcgi user`, through this one class, each audited with who did it. An admin cannot
// disable themselves or drop their own admin role, so nobody locks the last admin out.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "model/user.hpp"
#include "service/mfa.hpp"
#include "service/outbox.hpp"
#include "service/sessions.hpp"
#include "service/users.hpp"

namespace service {

// Who acts: an admin through the web (their user id, the request) or an operator's CLI.
struct Actor {
    int64_t admin_id = 0;      // 0 for the CLI
    std::string os_uid;        // the CLI's
    std::string request_id;    // the web's
    std::string client_ip;
    bool is_self(const model::User& target) const { return admin_id != 0 && admin_id == target.id; }
};

enum class AdminOutcome {
    done,
    refused_self,  // an admin's own account: no disabling, no dropping the admin role
    gone,          // the user no longer exists
};

class UserAdmin {
public:
    UserAdmin(Users& users, SessionStore& sessions, Mfa& mfa, Outbox& outbox);

    // Disabling ends every session at once (the generation moves on).
    AdminOutcome set_enabled(const Actor& actor, const model::User& target, bool enabled);
    // roles: validated names ("admin", "user"), not empty.
    AdminOutcome set_roles(const Actor& actor, const model::User& target,
                           const std::vector<std::string>& roles);
    // Ends every session of the user.
    AdminOutcome end_sessions(const Actor& actor, const model::User& target);
    // Turns the second factor off (the user lost their phone and codes) and tells them by
    // mail; done also when it was off.
    AdminOutcome reset_mfa(const Actor& actor, const model::User& target);
    // Mails the user a password reset link, in lang ("" for the user's own).
    AdminOutcome send_recovery(const Actor& actor, const model::User& target,
                               const std::string& lang);

private:
    void audit(const Actor& actor, const char* event, const model::User& target,
               const std::string& detail_key = "", const std::string& detail = "");

    Users& users_;
    SessionStore& sessions_;
    Mfa& mfa_;
    Outbox& outbox_;
};

}  // namespace service
