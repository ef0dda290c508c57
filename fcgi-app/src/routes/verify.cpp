// Email verification: GET /email/verify?token=… (the link of the mail) and POST
// /email/verify/resend (the home page banner's button).
#include "http/error.hpp"
#include "routes/account_pages.hpp"
#include "routes/account_text.hpp"
#include "routes/api.hpp"
#include "routes/routes.hpp"
#include "routes/throttle.hpp"
#include "util/log.hpp"

namespace routes {

http::Response get_verify_email(Context& ctx) {
    const auto query = read_query(ctx.req, {"token"});
    const std::string token(http::find_field(query, "token").value_or(""));
    const Lang lang = ctx.lang();
    auto user = ctx.svc.accounts.confirm_email(token);
    http::Response resp;
    if (!user) {
        util::log(util::LogLevel::info, "email_verify_link_invalid",
                  {{"request_id", ctx.req.request_id}, {"client_ip", ctx.req.remote_addr}});
        refuse_if_limited(ctx.svc.rate_limits.hit_bad_link(ctx.req.remote_addr), ctx.req,
                          "email_verify_link");
        resp = http::Response::html(
            400, render_message_page(lang, tr(lang, "link_invalid_title"),
                                     tr(lang, "verify_invalid"), "/home", tr(lang, "go_home")));
    } else {
        util::log(util::LogLevel::info, "email_verified",
                  {{"request_id", ctx.req.request_id}, {"user_id", std::to_string(user->id)}});
        std::string text(tr(lang, "verified"));
        if (const size_t at = text.find("%s"); at != std::string::npos)
            text.replace(at, 2, user->email.value_or(""));
        resp = http::Response::html(
            200, render_message_page(lang, tr(lang, "verified_title"), text, "/home",
                                     tr(lang, "go_home")));
    }
    resp.header("Cache-Control", "no-store");
    resp.header("Referrer-Policy", "no-referrer");
    return resp;
}

http::Response post_resend_verification(Context& ctx) {
    refuse_if_limited(ctx.svc.rate_limits.hit_verify_mail(ctx.me().id), ctx.req,
                      "verification_mail");
    const bool sent = ctx.svc.accounts.resend_verification(ctx.me(), lang_tag(ctx.lang()));
    if (sent)
        util::log(util::LogLevel::info, "email_verification_resent",
                  {{"request_id", ctx.req.request_id}, {"user_id", std::to_string(ctx.me().id)}});
    return http::Response::redirect(sent ? "/home?email=sent" : "/home");
}

}  // namespace routes
