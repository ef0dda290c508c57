// Password change: the form (GET and POST /password) and POST /api/v1/me/password. Needs
// the current password; ends every other session and gives this one a new id.
#include "http/error.hpp"
#include "routes/api.hpp"
#include "routes/body.hpp"
#include "routes/csrf.hpp"
#include "routes/current_user.hpp"
#include "routes/pages.hpp"
#include "routes/reauth.hpp"
#include "routes/routes.hpp"
#include "service/validation.hpp"
#include "util/log.hpp"

namespace routes {
namespace {

using SetCookies = std::vector<std::string>;

// Runs the change; on success the Set-Cookie values of the new session and of this browser as a
// known device under the new generation (every other device is forgotten), else the errors.
std::variant<SetCookies, service::FieldErrors> change(App& app, const http::Request& req,
                                                      const store::User& user,
                                                      const std::string& current,
                                                      const std::string& next) {
    // Both passwords are bounded before any hashing, and the new one is valid before the
    // current one is checked: a doomed change costs no hash and counts no failure.
    if (auto e = service::check_password_input(current))
        return service::FieldErrors{{"current_password", *e}};
    if (auto e = service::check_new_password(next, user.username))
        return service::FieldErrors{{"new_password", *e}};
    if (!reauthenticate(app, req, user, current, "password_change"))
        return service::FieldErrors{{"current_password", "The current password is not correct."}};
    auto result = app.accounts.change_password(user, next);
    if (auto* errors = std::get_if<service::FieldErrors>(&result)) return *errors;
    util::log(util::LogLevel::info, "password_changed",
              {{"request_id", req.request_id}, {"user_id", std::to_string(user.id)}});
    const int generation = std::get<int>(result);
    const auto device = app.known_device(req, user.id, user.session_generation);
    return SetCookies{
        app.start_session(req, user.id, generation),
        app.device_cookie_header(req, app.known_devices.issue(user.id, generation, device))};
}

}  // namespace

http::Response get_password_form(App& app, http::Request& req) {
    if (!current_user(app, req)) return http::Response::redirect("/login");
    return http::Response::html(
        200, render_password_form(choose_lang(req), {}, csrf_token_for(app, req)));
}

http::Response post_password_form(App& app, http::Request& req) {
    auto user = current_user(app, req);
    if (!user) return http::Response::redirect("/login");
    const auto fields = read_form(req);
    require_csrf_token(app, req, fields);
    auto result = change(app, req, *user,
                         std::string(http::find_field(fields, "current_password").value_or("")),
                         std::string(http::find_field(fields, "new_password").value_or("")));
    if (auto* errors = std::get_if<service::FieldErrors>(&result))
        return http::Response::html(
            422, render_password_form(choose_lang(req), *errors, csrf_token_for(app, req)));
    auto resp = http::Response::redirect("/home");
    for (const auto& c : std::get<SetCookies>(result)) resp.header("Set-Cookie", c);
    return resp;
}

http::Response post_me_password(App& app, http::Request& req) {
    const auto user = require_api_user(app, req);
    auto doc = read_json_object(req, {"current_password", "new_password"});
    auto result =
        change(app, req, user, json_string_field(doc.get(), "current_password").value_or(""),
               json_string_field(doc.get(), "new_password").value_or(""));
    if (auto* errors = std::get_if<service::FieldErrors>(&result))
        return validation_error_json(*errors);
    http::Response resp;
    resp.status = 204;
    resp.header("Cache-Control", "no-store");
    for (const auto& c : std::get<SetCookies>(result)) resp.header("Set-Cookie", c);
    return resp;
}

}  // namespace routes
