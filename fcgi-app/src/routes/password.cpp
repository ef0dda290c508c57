// Password change: the form (GET and POST /password) and POST /api/v1/me/password. Needs
// the current password; ends every other session and gives this one a new id.
#include "http/error.hpp"
#include "routes/api.hpp"
#include "routes/body.hpp"
#include "routes/pages.hpp"
#include "routes/reauth.hpp"
#include "routes/routes.hpp"
#include "util/log.hpp"

namespace routes {
namespace {

using SetCookies = std::vector<std::string>;

// Runs the change; on success the Set-Cookie values of the new session and of this browser as a
// known device under the new generation (every other device is forgotten), else the errors.
std::variant<SetCookies, service::FieldErrors> change(Context& ctx, const std::string& current,
                                                      const std::string& next) {
    const model::User me = ctx.me();
    auto result = ctx.svc.accounts.change_password(me, current, next,
                                                   reauth_attempt(ctx, "password_change"));
    refuse_unless_reauthenticated(ctx, result.reauth);
    if (!result.generation) return result.errors;
    util::log(util::LogLevel::info, "password_changed",
              {{"request_id", ctx.req.request_id}, {"user_id", std::to_string(me.id)}});
    const auto device = ctx.known_device(me.session_generation);
    return SetCookies{ctx.start_session(me.id, *result.generation),
                      ctx.cookies.device(ctx.req, ctx.svc.known_devices.issue(
                                                      me.id, *result.generation, device))};
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
    for (const auto& c : std::get<SetCookies>(result)) resp.header("Set-Cookie", c);
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
    for (const auto& c : std::get<SetCookies>(result)) resp.header("Set-Cookie", c);
    return resp;
}

}  // namespace routes
