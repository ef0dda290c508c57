// Password recovery by email (ASVS V2.5): asking for a link answers the same whatever the
// identifier names, and a link sets a new password once, ending every session.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <variant>

#include "service/account_tokens.hpp"
#include "service/accounts.hpp"
#include "service/outbox.hpp"
#include "service/sessions.hpp"
#include "service/users.hpp"
#include "service/validation.hpp"

namespace service {

// The identifier a recovery request names: a username or an email address as typed, at most
// 254 bytes of printable UTF-8. The message to show, or nullopt.
std::optional<model::Message> check_recovery_identifier(std::string_view identifier);

class Recovery {
public:
    Recovery(Users& users, Accounts& accounts, AccountTokens& tokens, SessionStore& sessions,
             Outbox& outbox);

    // Queues the job that mails a link to the accounts the identifier names (the mailer finds
    // them; no account is looked up here, so the answer and its time are the same either way).
    void request(std::string_view identifier, std::string_view lang);

    // The enabled user a live reset token belongs to, without using the token up.
    std::optional<model::User> holder(std::string_view token);

    // What reset did: the user whose password it set, or a dead link (user_id 0).
    struct Done {
        int64_t user_id = 0;
        bool link_invalid() const { return user_id == 0; }
    };
    // Sets new_password for the token's user under the usual rules (errors leave the token
    // alive), then uses the token up, ends every session and sends the notice in lang.
    std::variant<Done, FieldErrors> reset(std::string_view token, const std::string& new_password,
                                          std::string_view lang);

private:
    Users& users_;
    Accounts& accounts_;
    AccountTokens& tokens_;
    SessionStore& sessions_;
    Outbox& outbox_;
};

}  // namespace service
