// GET and PATCH /api/v1/me: the session user's own profile as JSON.
#include "http/error.hpp"
#include "routes/body.hpp"
#include "routes/current_user.hpp"
#include "routes/routes.hpp"
#include "service/user_json.hpp"
#include "service/validation.hpp"

namespace routes {
namespace {

// display_name: a string; email: a string, or null / "" to clear it.
store::UserChange read_profile_change(const json_t* doc) {
    store::UserChange change;
    if (auto name = json_string_field(doc, "display_name")) {
        if (auto error = service::check_display_name(*name)) throw http::Error::unprocessable(*error);
        change.display_name = std::move(*name);
    }
    if (json_t* email = json_object_get(doc, "email")) {
        if (json_is_null(email)) {
            change.email = std::optional<std::string>{};
        } else if (auto value = json_string_field(doc, "email")) {
            if (value->empty()) {
                change.email = std::optional<std::string>{};
            } else {
                if (auto error = service::check_email(*value)) throw http::Error::unprocessable(*error);
                change.email = std::move(*value);
            }
        }
    }
    if (!change.display_name && !change.email)
        throw http::Error::unprocessable("Nothing to change: send display_name or email.");
    return change;
}

}  // namespace

http::Response get_me(App& app, http::Request& req) {
    const auto user = require_api_user(app, req);
    return http::Response::json(200, service::user_to_json(user));
}

http::Response patch_me(App& app, http::Request& req) {
    const auto user = require_api_user(app, req);
    auto doc = read_json_object(req, {"display_name", "email"});
    const auto change = read_profile_change(doc.get());
    auto updated = app.profiles.update(user.id, change);
    if (!updated) throw http::Error::unauthorized("Log in first.");
    return http::Response::json(200, service::user_to_json(*updated));
}

}  // namespace routes
