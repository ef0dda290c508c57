// Password change: the form (GET and POST /password) and POST /api/v1/me/password. Needs
// the current password; ends every other session and gives this one a new id.
#include "http/error.hpp"
#include "routes/api.hpp"
#include "routes/body.hpp"
#include "routes/pages.hpp"
#include "routes/routes.hpp"
#include "util/log.hpp"

namespace routes {
namespace {

// Runs the change; on success the Set-Cookie value of the new session, else the errors.
std::variant<std::string, service::FieldErrors> change(Context& ctx, const std::string& current,
                                                       const std::string& next) {
    auto result = ctx.svc.accounts.change_password(ctx.me(), current, next);
    if (auto* errors = std::get_if<service::FieldErrors>(&result)) return *errors;
    util::log(util::LogLevel::info, "password_changed",
              {{"request_id", ctx.req.request_id}, {"user_id", std::to_string(ctx.me().id)}});
    return ctx.start_session(ctx.me().id, std::get<int>(result));
}

}  // namespace

http::Response get_password_form(Context& ctx) {
    return http::Response::html(200, render_password_form(ctx.lang(), {}, ctx.csrf_token()));
}

http::Response post_password_form(Context& ctx) {
    const auto& fields = ctx.form();
    auto result = change(ctx,
                         std::string(http::find_field(fields, "current_password").value_or("")),
                         std::string(http::find_field(fields, "new_password").value_or("")));
    if (auto* errors = std::get_if<service::FieldErrors>(&result))
        return http::Response::html(422,
                                    render_password_form(ctx.lang(), *errors, ctx.csrf_token()));
    auto resp = http::Response::redirect("/home");
    resp.header("Set-Cookie", std::get<std::string>(result));
    return resp;
}

http::Response post_me_password(Context& ctx) {
    auto doc = read_json_object(ctx.req, {"current_password", "new_password"});
    auto result = change(ctx, json_string_field(doc.get(), "current_password").value_or(""),
                         json_string_field(doc.get(), "new_password").value_or(""));
    if (auto* errors = std::get_if<service::FieldErrors>(&result))
        return validation_error_json(*errors);
    http::Response resp;
    resp.status = 204;
    resp.header("Cache-Control", "no-store");
    resp.header("Set-Cookie", std::get<std::string>(result));
    return resp;
}

}  // namespace routes
