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

std::optional<int> Accounts::end_all_sessions(const store::User& user) {
    auto generation = users_.bump_session_generation(user.id);
    if (generation) profiles_.invalidate(user.id);  // the cached copy holds the old generation
    return generation;
}

std::variant<int, FieldErrors> Accounts::change_password(const store::User& user,
                                                         const std::string& new_password) {
    if (auto e = check_new_password(new_password, user.username))
        return FieldErrors{{"new_password", *e}};
    auto generation = users_.set_password(user.id, passwords_.hash(new_password));
    if (!generation) return FieldErrors{{"current_password", "The account no longer exists."}};
    profiles_.invalidate(user.id);  // the cached copy holds the old session generation
    return *generation;
}

}  // namespace service
