// Two-step verification settings: GET /mfa, POST /mfa/totp (start), GET /mfa/totp/qr.svg,
// POST /mfa/totp/confirm, POST /mfa/disable, and the JSON forms POST /api/v1/me/mfa/totp,
// POST /api/v1/me/mfa/totp/confirm and DELETE /api/v1/me/mfa.
#include <ctime>

#include "http/error.hpp"
#include "routes/account_text.hpp"
#include "routes/api.hpp"
#include "routes/body.hpp"
#include "routes/mfa_pages.hpp"
#include "routes/reauth.hpp"
#include "routes/routes.hpp"
#include "routes/throttle.hpp"
#include "util/json.hpp"
#include "util/log.hpp"
#include "util/qr.hpp"

namespace routes {
namespace {

MfaState state_of(Context& ctx) {
    MfaState state;
    state.enabled = ctx.svc.mfa.enabled(ctx.me().id);
    if (state.enabled)
        state.codes_left = ctx.svc.mfa.recovery_codes_left(ctx.me().id);
    else
        state.pending_secret = ctx.svc.mfa.enrolment_secret(ctx.me().id);
    return state;
}

http::Response page(Context& ctx, int status, const service::FieldErrors& errors) {
    auto resp = http::Response::html(
        status, render_mfa_page(ctx.lang(), state_of(ctx), errors, ctx.csrf_token()));
    resp.header("Cache-Control", "no-store");  // it may show the secret
    return resp;
}

void audit(Context& ctx, const char* event) {
    util::log(util::LogLevel::info, event,
              {{"request_id", ctx.req.request_id},
               {"client_ip", ctx.req.remote_addr},
               {"user_id", std::to_string(ctx.me().id)}});
}

// Starts (or restarts) enrolment; 409 when the second factor is on already.
std::string start(Context& ctx) {
    if (ctx.svc.mfa.enabled(ctx.me().id))
        throw http::Error(409, "mfa_enabled", model::MessageId::mfa_already_on);
    audit(ctx, "mfa_enrolment_started");
    return ctx.svc.mfa.start_enrolment(ctx.me().id);
}

// Confirms enrolment: the recovery codes, or nullopt for a wrong code (409 with no enrolment).
std::optional<std::vector<std::string>> confirm(Context& ctx, const std::string& code) {
    if (!ctx.svc.mfa.enrolment_secret(ctx.me().id))
        throw http::Error(409, "no_enrolment", model::MessageId::mfa_not_started);
    auto codes = ctx.svc.mfa.confirm_enrolment(ctx.me().id, code, std::time(nullptr));
    if (codes) audit(ctx, "mfa_enabled");
    return codes;
}

// Turns the second factor off after the password (re-authentication: limited, counted and
// audited, and the session ends after too many wrong ones) and a code (under the account's login
// limits, like a login's second step); the field errors otherwise.
service::FieldErrors disable(Context& ctx, const std::string& password, const std::string& code) {
    const model::User& me = ctx.me();
    const auto reauth = ctx.svc.reauth.check(me, password, reauth_attempt(ctx, "mfa_disable"));
    refuse_unless_reauthenticated(ctx, reauth);
    if (reauth.result != service::ReauthOutcome::Result::confirmed)
        return {{"current_password", model::MessageId::current_password_wrong}};
    const service::LoginSubject account{me.username, std::nullopt};
    const auto check =
        ctx.svc.mfa.check_code(me.id, account, ctx.req.remote_addr, code, std::time(nullptr));
    if (check.result == service::CodeCheck::Result::limited)
        refuse_if_limited(check.verdict, ctx.req, "mfa_disable");
    if (check.result != service::CodeCheck::Result::accepted)
        return {{"code", model::MessageId::mfa_code_wrong}};
    ctx.svc.mfa.disable(me.id);
    audit(ctx, "mfa_disabled");
    return {};
}

}  // namespace

http::Response get_mfa_page(Context& ctx) { return page(ctx, 200, {}); }

http::Response post_mfa_start(Context& ctx) {
    start(ctx);
    return http::Response::redirect("/mfa");
}

http::Response get_mfa_qr(Context& ctx) {
    const auto secret = ctx.svc.mfa.enrolment_secret(ctx.me().id);
    if (!secret) throw http::Error::not_found();
    http::Response resp;
    resp.status = 200;
    resp.header("Content-Type", "image/svg+xml");
    resp.header("Cache-Control", "no-store");
    resp.body = util::qr_svg(ctx.svc.mfa.otpauth_uri(ctx.me().username, *secret),
                             tr(ctx.lang(), "qr_alt"));
    return resp;
}

http::Response post_mfa_confirm(Context& ctx) {
    const std::string code(http::find_field(ctx.form(), "code").value_or(""));
    auto codes = confirm(ctx, code);
    if (!codes) return page(ctx, 422, {{"code", model::MessageId::mfa_code_wrong}});
    auto resp = http::Response::html(200, render_recovery_codes(ctx.lang(), *codes));
    resp.header("Cache-Control", "no-store");
    return resp;
}

http::Response post_mfa_disable(Context& ctx) {
    const auto& fields = ctx.form();
    const auto errors =
        disable(ctx, std::string(http::find_field(fields, "current_password").value_or("")),
                std::string(http::find_field(fields, "code").value_or("")));
    if (!errors.empty()) return page(ctx, 422, errors);
    return http::Response::redirect("/mfa");
}

http::Response post_api_mfa_totp(Context& ctx) {
    const std::string secret = start(ctx);
    util::Json doc = util::json_object_value();
    util::json_set(doc, "secret", util::json_str(secret));
    util::json_set(doc, "otpauth_uri",
                   util::json_str(ctx.svc.mfa.otpauth_uri(ctx.me().username, secret)));
    auto resp = http::Response::json(200, std::move(doc));
    resp.header("Cache-Control", "no-store");
    return resp;
}

http::Response post_api_mfa_confirm(Context& ctx) {
    auto doc = read_json_object(ctx.req, {"code"});
    auto codes = confirm(ctx, json_string_field(doc.get(), "code").value_or(""));
    if (!codes) return validation_error_json({{"code", model::MessageId::mfa_code_wrong}});
    util::Json list = util::json_array_value();
    for (const auto& c : *codes) util::json_append(list, util::json_str(c));
    util::Json out = util::json_object_value();
    util::json_set(out, "recovery_codes", std::move(list));
    auto resp = http::Response::json(200, std::move(out));
    resp.header("Cache-Control", "no-store");
    return resp;
}

http::Response delete_api_mfa(Context& ctx) {
    auto doc = read_json_object(ctx.req, {"current_password", "code"});
    if (!ctx.svc.mfa.enabled(ctx.me().id))
        throw http::Error(409, "mfa_disabled", model::MessageId::mfa_off);
    const auto errors = disable(ctx, json_string_field(doc.get(), "current_password").value_or(""),
                                json_string_field(doc.get(), "code").value_or(""));
    if (!errors.empty()) return validation_error_json(errors);
    http::Response resp;
    resp.status = 204;
    resp.header("Cache-Control", "no-store");
    return resp;
}

}  // namespace routes
