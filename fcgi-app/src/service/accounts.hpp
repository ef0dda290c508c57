// The account lifecycle: registration, profile and password changes. Each hashes a password,
// so their routes run in the password worker pool.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <variant>
#include <vector>

#include "service/account_tokens.hpp"
#include "service/outbox.hpp"
#include "service/passwords.hpp"
#include "service/profiles.hpp"
#include "service/reauth.hpp"
#include "service/validation.hpp"
#include "store/users.hpp"

namespace service {

struct Registration {
    std::string username;  // lower-cased before validation
    std::string display_name;
    std::string email;
    std::string password;
    std::vector<std::string> roles{"user"};  // "admin" and "user" only (operators only)
    std::string lang;                        // of the request: the verification mail's language
    // The verification mail goes out unless the address is known to be right already (the
    // development demo accounts).
    bool email_verified = false;
};

class Accounts {
public:
    Accounts(store::UserStore& users, Profiles& profiles, const Passwords& passwords,
             Reauth& reauth, AccountTokens& tokens, Outbox& outbox);

    // Validates every field (all errors at once), hashes the password and creates the user.
    // A username taken in any letter case is a field error. Queues the verification mail.
    std::variant<model::User, FieldErrors> register_user(Registration form);

    // What change_password did: the errors to show, or the new session generation (for the
    // session the caller starts next); reauth says how the current password was taken (a
    // limited attempt or an ended session is for the caller to answer).
    struct PasswordChange {
        FieldErrors errors;
        std::optional<int> generation;
        ReauthOutcome reauth;
    };

    // Refuses either password when it is over 128 characters, not UTF-8 or holds a NUL, and a
    // new one that check_new_password refuses, before any hashing; then re-authenticates with
    // the current password (Reauth: limited, counted, audited) and stores the new one. Every
    // session and known device of the user ends, a live reset link stops working and a notice
    // goes to the user's address.
    PasswordChange change_password(const model::User& user, const std::string& current_password,
                                   const std::string& new_password, const ReauthAttempt& attempt);

    // What update_profile did: the errors to show, or the updated user (neither: the user is
    // gone); reauth as for change_password (confirmed when no password was needed).
    struct ProfileUpdate {
        FieldErrors errors;
        std::optional<model::User> user;
        ReauthOutcome reauth;
        // A new address waiting for its verification link (the user's address is unchanged).
        std::optional<std::string> pending_email;
    };

    // Validates the display name and email address a change sets (all errors at once); a new
    // email address is a sensitive change that needs the current password (Reauth). Then
    // writes the change and drops the cached profile. A new address takes effect only once
    // verified: a verification mail goes to it and a notice to the old one (in lang, "" for the
    // user's own). The one place those rules live.
    ProfileUpdate update_profile(const model::User& user, const model::UserChange& change,
                                 std::string_view current_password, const ReauthAttempt& attempt,
                                 std::string_view lang = {});

    // Sets a new password without knowing the old one (an operator's reset or a reset link),
    // ending every session of the user, a live reset link, and sending the notice; the errors
    // of check_new_password, or none. false: no such user.
    std::variant<bool, FieldErrors> reset_password(const model::User& user,
                                                   const std::string& new_password,
                                                   std::string_view lang = {});

    // Queues a new verification mail for the user's current, unverified address; false when
    // there is nothing to verify.
    bool resend_verification(const model::User& user, std::string_view lang);
    // Redeems a verification link: the address it was sent to becomes the user's, verified.
    // nullopt for a dead link (unknown, expired, used, replaced) or a user gone.
    std::optional<model::User> confirm_email(std::string_view token);

private:
    store::UserStore& users_;
    Profiles& profiles_;
    const Passwords& passwords_;
    Reauth& reauth_;
    AccountTokens& tokens_;
    Outbox& outbox_;
};

}  // namespace service
