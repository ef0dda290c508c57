// GET and PATCH /api/v1/me: the session user's own profile as JSON.
#include "http/error.hpp"
#include "routes/api.hpp"
#include "routes/body.hpp"
#include "routes/reauth.hpp"
#include "routes/routes.hpp"
#include "service/user_json.hpp"
#include "util/json.hpp"

namespace routes {

http::Response get_me(Context& ctx) {
    return http::Response::json(200, service::user_to_json(ctx.me()));
}

http::Response patch_me(Context& ctx) {
    auto doc = read_json_object(ctx.req, {"display_name", "email", "current_password"});
    const auto change = read_user_change(doc.get());
    const auto result = ctx.svc.accounts.update_profile(
        ctx.me(), change, json_string_field(doc.get(), "current_password").value_or(""),
        reauth_attempt(ctx, "email_change"), lang_tag(ctx.lang()));
    refuse_unless_reauthenticated(ctx, result.reauth);
    if (!result.errors.empty()) return validation_error_json(result.errors);
    if (!result.user) throw http::Error::unauthorized(model::MessageId::log_in_first);
    util::Json body = service::user_to_json(*result.user);
    // A new address waits for its link: the user object keeps the old one until then.
    if (result.pending_email)
        util::json_set(body, "pending_email", util::json_str(*result.pending_email));
    return http::Response::json(200, std::move(body));
}

}  // namespace routes
