// GET /, GET /home and the profile form (GET and POST /profile).
#include "http/error.hpp"
#include "routes/account_pages.hpp"
#include "routes/pages.hpp"
#include "routes/reauth.hpp"
#include "routes/routes.hpp"
#include "service/validation.hpp"

namespace routes {

http::Response get_root(Context& ctx) {
    const bool live = ctx.session_id && ctx.svc.sessions.touch(*ctx.session_id);
    return http::Response::redirect(live ? "/home" : "/login");
}

http::Response get_home(Context& ctx) {
    // ?email=sent|pending: what the last form did to the address (shown in the banner).
    // Other parameters are ignored, as before (a page must not 400 on a tracking parameter).
    const auto query = http::parse_urlencoded(ctx.req.query);
    const std::string_view state = http::find_field(query, "email").value_or("");
    const std::string banner = render_email_banner(ctx.lang(), ctx.me(), state, ctx.csrf_token());
    return http::Response::html(200, render_home(ctx.lang(), ctx.me(), ctx.csrf_token(), banner));
}

http::Response get_profile_form(Context& ctx) {
    const auto& user = ctx.me();
    return http::Response::html(200, render_profile_form(ctx.lang(), user.display_name,
                                                         user.email.value_or(""), {},
                                                         ctx.csrf_token()));
}

http::Response post_profile_form(Context& ctx) {
    const auto& fields = ctx.form();
    const std::string name(http::find_field(fields, "display_name").value_or(""));
    const std::string email(http::find_field(fields, "email").value_or(""));
    model::UserChange change;
    change.display_name = name;
    change.email = email.empty() ? std::nullopt : std::optional<std::string>(email);
    const auto result = ctx.svc.accounts.update_profile(
        ctx.me(), change, http::find_field(fields, "current_password").value_or(""),
        reauth_attempt(ctx, "email_change"), lang_tag(ctx.lang()));
    refuse_unless_reauthenticated(ctx, result.reauth);
    if (!result.errors.empty())
        return http::Response::html(
            422, render_profile_form(ctx.lang(), name, email, result.errors, ctx.csrf_token()));
    if (!result.user) return http::Response::redirect("/login");
    return http::Response::redirect(result.pending_email ? "/home?email=pending" : "/home");
}

}  // namespace routes
