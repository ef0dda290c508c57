// GET /, GET /home and the profile form (GET and POST /profile).
#include "http/error.hpp"
#include "routes/body.hpp"
#include "routes/csrf.hpp"
#include "routes/current_user.hpp"
#include "routes/pages.hpp"
#include "routes/reauth.hpp"
#include "routes/routes.hpp"
#include "service/validation.hpp"

namespace routes {

http::Response get_root(App& app, http::Request& req) {
    return http::Response::redirect(app.current_session(req) ? "/home" : "/login");
}

http::Response get_home(App& app, http::Request& req) {
    auto user = current_user(app, req);
    if (!user) return http::Response::redirect("/login");
    return http::Response::html(200,
                                render_home(choose_lang(req), *user, csrf_token_for(app, req)));
}

http::Response get_profile_form(App& app, http::Request& req) {
    auto user = current_user(app, req);
    if (!user) return http::Response::redirect("/login");
    return http::Response::html(
        200, render_profile_form(choose_lang(req), user->display_name, user->email.value_or(""), {},
                                 csrf_token_for(app, req)));
}

http::Response post_profile_form(App& app, http::Request& req) {
    auto user = current_user(app, req);
    if (!user) return http::Response::redirect("/login");
    const auto fields = read_form(req);
    require_csrf_token(app, req, fields);
    const std::string name(http::find_field(fields, "display_name").value_or(""));
    const std::string email(http::find_field(fields, "email").value_or(""));
    FormErrors errors;
    if (auto e = service::check_display_name(name)) errors.emplace_back("display_name", *e);
    if (!email.empty())
        if (auto e = service::check_email(email)) errors.emplace_back("email", *e);
    // A new email address is a sensitive change: it needs the current password.
    if (errors.empty() && email != user->email.value_or("") &&
        !reauthenticate(app, req, *user, http::find_field(fields, "current_password").value_or(""),
                        "email_change"))
        errors.emplace_back("current_password",
                            "Enter your current password to change your email address.");
    if (!errors.empty())
        return http::Response::html(422, render_profile_form(choose_lang(req), name, email, errors,
                                                             csrf_token_for(app, req)));
    store::UserChange change;
    change.display_name = name;
    change.email = email.empty() ? std::nullopt : std::optional<std::string>(email);
    app.profiles.update(user->id, change);
    return http::Response::redirect("/home");
}

}  // namespace routes
