// The account lifecycle: registration and password change.
#include "service/accounts.hpp"

#include "service/validation.hpp"
#include "util/text.hpp"

namespace service {

Accounts::Accounts(store::UserStore& users, Profiles& profiles, const Passwords& passwords)
    : users_(users), profiles_(profiles), passwords_(passwords) {}

std::variant<store::User, FieldErrors> Accounts::register_user(Registration form) {
    form.username = util::ascii_lower(form.username);
    FieldErrors errors;
    if (auto e = check_username(form.username)) errors.emplace_back("username", *e);
    if (auto e = check_display_name(form.display_name)) errors.emplace_back("display_name", *e);
    if (form.email.empty()) errors.emplace_back("email", "Email is required.");
    else if (auto e = check_email(form.email)) errors.emplace_back("email", *e);
    if (auto e = check_new_password(form.password, form.username))
        errors.emplace_back("password", *e);
    if (!errors.empty()) return errors;
    auto user = users_.create({form.username, form.display_name, form.email,
                               passwords_.hash(form.password)});
    if (!user) return FieldErrors{{"username", "This username is taken."}};
    return *user;
}

bool Accounts::is_current_password(const store::User& user, std::string_view password) const {
    auto creds = users_.find_credentials_by_id(user.id);
    if (!creds) {
        passwords_.verify_decoy(password);
        return false;
    }
    return passwords_.verify(password, creds->password_hash);
}

std::variant<int, FieldErrors> Accounts::change_password(const store::User& user,
                                                         const std::string& current_password,
                                                         const std::string& new_password) {
    if (!is_current_password(user, current_password)) return FieldErrors{{"current_password", "The current password is not correct."}};
    if (auto e = check_new_password(new_password, user.username))
        return FieldErrors{{"new_password", *e}};
    auto generation = users_.set_password(user.id, passwords_.hash(new_password));
    if (!generation) return FieldErrors{{"current_password", "The account no longer exists."}};
    profiles_.invalidate(user.id);  // the cached copy holds the old session generation
    return *generation;
}

}  // namespace service
