// The account lifecycle: registration and password change.
#include "service/accounts.hpp"

#include <algorithm>

#include "service/validation.hpp"
#include "util/text.hpp"

namespace service {

using model::MessageId;

Accounts::Accounts(store::UserStore& users, Profiles& profiles, const Passwords& passwords,
                   Reauth& reauth, AccountTokens& tokens, Outbox& outbox)
    : users_(users),
      profiles_(profiles),
      passwords_(passwords),
      reauth_(reauth),
      tokens_(tokens),
      outbox_(outbox) {}

std::variant<model::User, FieldErrors> Accounts::register_user(Registration form) {
    form.username = util::ascii_lower(form.username);
    FieldErrors errors;
    if (auto e = check_username(form.username)) errors.emplace_back("username", *e);
    if (auto e = check_display_name(form.display_name)) errors.emplace_back("display_name", *e);
    if (form.email.empty()) errors.emplace_back("email", MessageId::email_required);
    else if (auto e = check_email(form.email)) errors.emplace_back("email", *e);
    if (auto e = check_new_password(form.password, form.username))
        errors.emplace_back("password", *e);
    if (form.roles.empty() || !std::all_of(form.roles.begin(), form.roles.end(), is_known_role))
        errors.emplace_back("roles", MessageId::roles_invalid);
    if (!errors.empty()) return errors;
    store::NewUser row{form.username, form.display_name,         form.email,
                       passwords_.hash(form.password), form.roles, form.lang,
                       form.email_verified};
    auto user = users_.create(row);
    if (!user) return FieldErrors{{"username", MessageId::username_taken}};
    if (!form.email_verified) outbox_.verify_email(user->id, form.email, form.lang);
    return *user;
}

Accounts::ProfileUpdate Accounts::update_profile(const model::User& user,
                                                 const model::UserChange& change,
                                                 std::string_view current_password,
                                                 const ReauthAttempt& attempt,
                                                 std::string_view lang) {
    ProfileUpdate out;
    out.reauth.result = ReauthOutcome::Result::confirmed;  // unless a password is needed
    if (change.display_name)
        if (auto e = check_display_name(*change.display_name))
            out.errors.emplace_back("display_name", *e);
    if (change.email && *change.email)
        if (auto e = check_email(**change.email)) out.errors.emplace_back("email", *e);
    if (!out.errors.empty()) return out;
    const bool new_address = change.email && *change.email && *change.email != user.email;
    if (change.email && *change.email != user.email) {
        out.reauth = reauth_.check(user, current_password, attempt);
        if (out.reauth.result != ReauthOutcome::Result::confirmed) {
            out.errors.emplace_back("current_password", MessageId::email_needs_current_password);
            return out;
        }
    }
    model::UserChange now = change;
    if (new_address) {
        // The old address stays until the new one is verified (its link sets both at once).
        now.email.reset();
        out.pending_email = **change.email;
        outbox_.verify_email(user.id, **change.email, lang);
        if (user.email)
            outbox_.notice(MailKind::email_change_notice, user.id, lang, *user.email,
                           **change.email);
    }
    if (now.display_name || now.email || now.enabled || now.roles)
        out.user = profiles_.update(user.id, now);
    else
        out.user = user;
    return out;
}

std::variant<bool, FieldErrors> Accounts::reset_password(const model::User& user,
                                                         const std::string& new_password,
                                                         std::string_view lang) {
    if (auto e = check_new_password(new_password, user.username))
        return FieldErrors{{"new_password", *e}};
    if (!users_.set_password(user.id, passwords_.hash(new_password))) return false;
    profiles_.invalidate(user.id);
    tokens_.revoke(TokenPurpose::password_reset, user.id);
    outbox_.notice(MailKind::password_changed, user.id, lang);
    return true;
}

std::optional<model::User> Accounts::confirm_email(std::string_view token) {
    auto grant = tokens_.redeem(TokenPurpose::verify_email, token);
    if (!grant) return std::nullopt;
    auto user = users_.verify_email(grant->user_id, grant->data);
    profiles_.invalidate(grant->user_id);
    return user;
}

bool Accounts::resend_verification(const model::User& user, std::string_view lang) {
    if (!user.email || user.email_verified) return false;
    outbox_.verify_email(user.id, *user.email, lang);
    return true;
}

Accounts::PasswordChange Accounts::change_password(const model::User& user,
                                                   const std::string& current_password,
                                                   const std::string& new_password,
                                                   const ReauthAttempt& attempt) {
    PasswordChange out;
    // Both are bounded, and the new one valid, before any hashing: a 16 KiB "current password"
    // costs no scrypt work, and a doomed change neither a hash nor a counted failure.
    if (auto e = check_password_input(current_password)) {
        out.errors = {{"current_password", *e}};
        return out;
    }
    if (auto e = check_new_password(new_password, user.username)) {
        out.errors = {{"new_password", *e}};
        return out;
    }
    out.reauth = reauth_.check(user, current_password, attempt);
    if (out.reauth.result != ReauthOutcome::Result::confirmed) {
        out.errors = {{"current_password", MessageId::current_password_wrong}};
        return out;
    }
    out.generation = users_.set_password(user.id, passwords_.hash(new_password));
    if (!out.generation) {
        out.errors = {{"current_password", MessageId::account_gone}};
        return out;
    }
    profiles_.invalidate(user.id);  // the cached copy holds the old session generation
    tokens_.revoke(TokenPurpose::password_reset, user.id);
    outbox_.notice(MailKind::password_changed, user.id, "");
    return out;
}

}  // namespace service
