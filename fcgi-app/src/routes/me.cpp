// GET and PATCH /api/v1/me: the session user's own profile as JSON.
#include "http/error.hpp"
#include "routes/api.hpp"
#include "routes/body.hpp"
#include "routes/current_user.hpp"
#include "routes/reauth.hpp"
#include "routes/routes.hpp"
#include "service/user_json.hpp"

namespace routes {
http::Response get_me(App& app, http::Request& req) {
    const auto user = require_api_user(app, req);
    return http::Response::json(200, service::user_to_json(user));
}

http::Response patch_me(App& app, http::Request& req) {
    const auto user = require_api_user(app, req);
    auto doc = read_json_object(req, {"display_name", "email", "current_password"});
    const auto change = read_user_change(doc.get());
    // A new email address is a sensitive change: it needs the current password.
    if (change.email && *change.email != user.email &&
        !reauthenticate(app, req, user,
                        json_string_field(doc.get(), "current_password").value_or(""),
                        "email_change"))
        return validation_error_json(
            {{"current_password", "Enter your current password to change your email address."}});
    auto updated = app.profiles.update(user.id, change);
    if (!updated) throw http::Error::unauthorized("Log in first.");
    return http::Response::json(200, service::user_to_json(*updated));
}

}  // namespace routes
