// Password recovery: GET and POST /password/forgot, GET and POST /password/reset, and their
// JSON forms POST /api/v1/password/forgot (202 always) and POST /api/v1/password/reset (204).
#include "http/error.hpp"
#include "routes/account_pages.hpp"
#include "routes/account_text.hpp"
#include "routes/api.hpp"
#include "routes/body.hpp"
#include "routes/pages.hpp"
#include "routes/routes.hpp"
#include "routes/throttle.hpp"
#include "util/log.hpp"

namespace routes {
namespace {

// The per-network limit answers 429; the per-account one drops the request silently (the
// answer must not differ by identifier, and a victim's inbox must not be flooded).
void request_link(Context& ctx, const std::string& identifier) {
    const http::Request& req = ctx.req;
    refuse_if_limited(ctx.svc.rate_limits.hit_recovery_network(req.remote_addr), req,
                      "password_recovery");
    const auto account = ctx.svc.rate_limits.hit_recovery_account(identifier);
    if (!account.allowed) {
        util::log(util::LogLevel::warn, "rate_limited",
                  {{"request_id", req.request_id},
                   {"client_ip", req.remote_addr},
                   {"limit", "password_recovery_account"},
                   {"reason", account.reason},
                   {"action", "dropped"}});
        return;
    }
    ctx.svc.recovery.request(identifier, lang_tag(ctx.lang()));
    util::log(util::LogLevel::info, "password_recovery_requested",
              {{"request_id", req.request_id}, {"client_ip", req.remote_addr}});
}

// A dead link counts against the network, as a failed login does.
void count_dead_link(Context& ctx) {
    util::log(util::LogLevel::info, "password_reset_link_invalid",
              {{"request_id", ctx.req.request_id}, {"client_ip", ctx.req.remote_addr}});
    refuse_if_limited(ctx.svc.rate_limits.hit_bad_link(ctx.req.remote_addr), ctx.req,
                      "password_reset_link");
}

http::Response link_invalid_page(Context& ctx) {
    const Lang lang = ctx.lang();
    return http::Response::html(400, render_message_page(lang, tr(lang, "link_invalid_title"),
                                                         tr(lang, "link_invalid"),
                                                         "/password/forgot",
                                                         tr(lang, "ask_new_link")));
}

void log_reset(Context& ctx, int64_t user_id) {
    util::log(util::LogLevel::info, "password_reset_by_link",
              {{"request_id", ctx.req.request_id},
               {"client_ip", ctx.req.remote_addr},
               {"user_id", std::to_string(user_id)}});
}

http::Response no_store(http::Response r) {
    r.header("Cache-Control", "no-store");
    // The token must not leak to another site through the Referer of a link on the page.
    r.header("Referrer-Policy", "no-referrer");
    return r;
}

}  // namespace

http::Response get_forgot_form(Context& ctx) {
    return http::Response::html(200, render_forgot_form(ctx.lang(), "", {}));
}

http::Response post_forgot_form(Context& ctx) {
    const std::string identifier(http::find_field(ctx.form(), "identifier").value_or(""));
    if (auto e = service::check_recovery_identifier(identifier))
        return http::Response::html(
            422, render_forgot_form(ctx.lang(), identifier, {{"identifier", *e}}));
    request_link(ctx, identifier);
    const Lang lang = ctx.lang();
    return http::Response::html(200, render_message_page(lang, tr(lang, "forgot_sent_title"),
                                                         tr(lang, "forgot_sent"), "/login",
                                                         tr(lang, "back_to_login")));
}

http::Response post_api_forgot(Context& ctx) {
    auto doc = read_json_object(ctx.req, {"username", "email"});
    const auto username = json_string_field(doc.get(), "username");
    const auto email = json_string_field(doc.get(), "email");
    if (username.has_value() == email.has_value())
        return validation_error_json({{"username", model::MessageId::recovery_identifier_required}});
    const std::string identifier = username ? *username : *email;
    if (auto e = service::check_recovery_identifier(identifier))
        return validation_error_json({{username ? "username" : "email", *e}});
    request_link(ctx, identifier);
    http::Response r;
    r.status = 202;
    r.header("Cache-Control", "no-store");
    return r;
}

http::Response get_reset_form(Context& ctx) {
    const auto query = read_query(ctx.req, {"token"});
    const std::string token(http::find_field(query, "token").value_or(""));
    if (!ctx.svc.recovery.holder(token)) {
        count_dead_link(ctx);
        return no_store(link_invalid_page(ctx));
    }
    return no_store(http::Response::html(200, render_reset_form(ctx.lang(), token, {})));
}

http::Response post_reset_form(Context& ctx) {
    const auto& fields = ctx.form();
    const std::string token(http::find_field(fields, "token").value_or(""));
    const std::string password(http::find_field(fields, "new_password").value_or(""));
    auto result = ctx.svc.recovery.reset(token, password, lang_tag(ctx.lang()));
    if (auto* errors = std::get_if<service::FieldErrors>(&result))
        return no_store(
            http::Response::html(422, render_reset_form(ctx.lang(), token, *errors)));
    const auto done = std::get<service::Recovery::Done>(result);
    if (done.link_invalid()) {
        count_dead_link(ctx);
        return no_store(link_invalid_page(ctx));
    }
    log_reset(ctx, done.user_id);
    const Lang lang = ctx.lang();
    auto resp = http::Response::html(200, render_message_page(lang, tr(lang, "reset_done_title"),
                                                              tr(lang, "reset_done"), "/login",
                                                              tr(lang, "log_in")));
    // Whatever session this browser had is over (the generation moved on): drop its cookie.
    resp.header("Set-Cookie", ctx.cookies.clear_session(ctx.req));
    return no_store(std::move(resp));
}

http::Response post_api_reset(Context& ctx) {
    auto doc = read_json_object(ctx.req, {"token", "new_password"});
    const std::string token = json_string_field(doc.get(), "token").value_or("");
    const std::string password = json_string_field(doc.get(), "new_password").value_or("");
    auto result = ctx.svc.recovery.reset(token, password, lang_tag(ctx.lang()));
    if (auto* errors = std::get_if<service::FieldErrors>(&result))
        return validation_error_json(*errors);
    const auto done = std::get<service::Recovery::Done>(result);
    if (done.link_invalid()) {
        count_dead_link(ctx);
        throw http::Error(400, "invalid_token",
                          "The link has expired, was used already, or a newer one was sent.");
    }
    log_reset(ctx, done.user_id);
    http::Response r;
    r.status = 204;
    r.header("Cache-Control", "no-store");
    r.header("Set-Cookie", ctx.cookies.clear_session(ctx.req));
    return r;
}

}  // namespace routes
