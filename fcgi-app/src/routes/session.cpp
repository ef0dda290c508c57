// POST /login and POST /logout.
#include <string>

#include "http/error.hpp"
#include "routes/body.hpp"
#include "routes/mfa_pages.hpp"
#include "routes/routes.hpp"
#include "routes/throttle.hpp"
#include "service/attempts.hpp"
#include "service/user_json.hpp"
#include "service/validation.hpp"
#include "util/log.hpp"
#include "util/text.hpp"

namespace routes {
namespace {

constexpr const char* kInvalidCredentials = "Invalid username or password.";

struct LoginForm {
    // The canonical username (service::canonical_username), or nullopt when what was typed
    // cannot be a username at all.
    std::optional<std::string> username;
    std::string password;
    bool json = false;
};

LoginForm read_login(const http::Request& req) {
    LoginForm f;
    f.json = !is_form_body(req);
    std::optional<std::string> username, password;
    if (f.json) {
        auto doc = read_json_object(req, {"username", "password"});
        username = json_string_field(doc.get(), "username");
        password = json_string_field(doc.get(), "password");
    } else {
        const auto fields = read_form(req);
        if (auto v = http::find_field(fields, "username")) username = std::string(*v);
        if (auto v = http::find_field(fields, "password")) password = std::string(*v);
    }
    if (!username || username->empty() || !password || password->empty())
        throw http::Error::bad_request("username and password are required.");
    // Bounded before any hashing: a megabyte "password" must not cost a megabyte of scrypt.
    if (username->size() > service::kMaxUsernameBytes * 4)
        throw http::Error::bad_request("username is too long.");
    // A NUL would cut the username short on its way to PostgreSQL ("user1\0x" is user1).
    if (util::has_control_chars(*username) || !util::is_valid_utf8(*username))
        throw http::Error::bad_request("username must be printable UTF-8.");
    // NUL is refused: scrypt cannot tell "pw" from "pw\0" (HMAC pads keys with zeros).
    if (service::check_password_input(*password))
        throw http::Error::bad_request("password must be at most 128 characters of UTF-8.");
    f.username = service::canonical_username(*username);
    f.password = std::move(*password);
    return f;
}

// The one answer to every failed login, whatever the reason.
http::Response invalid_credentials(bool json) {
    if (!json) return http::Response::redirect("/login?error=1");
    throw http::Error(401, "invalid_credentials", kInvalidCredentials);
}

// The end of every successful login (the password alone, or the password and then a code),
// counted as the login attempt's success.
http::Response finish_login(Context& ctx, const service::LoginOutcome& outcome, bool json) {
    const http::Request& req = ctx.req;
    // A login proves the password is known: a reset link asked for meanwhile stops working.
    ctx.svc.tokens.revoke(service::TokenPurpose::password_reset, outcome.user_id);
    // A brand-new id on every login; any session the browser brought along ends here.
    const std::string cookie = ctx.start_session(outcome.user_id, outcome.session_generation);
    util::log(util::LogLevel::info, "login_succeeded",
              {{"request_id", req.request_id},
               {"client_ip", req.remote_addr},
               {"user_id", std::to_string(outcome.user_id)}});
    http::Response resp;
    if (json) {
        auto user = ctx.svc.users.get(outcome.user_id);
        if (!user) throw http::Error(401, "invalid_credentials", kInvalidCredentials);
        resp = http::Response::json(200, service::user_to_json(*user));
    } else {
        resp = http::Response::redirect("/home");
    }
    resp.header("Set-Cookie", cookie);
    resp.header("Set-Cookie", ctx.cookies.device(req, outcome.device_cookie));
    metrics::attempt(metrics::Attempt::login, metrics::AttemptResult::success);
    return resp;
}

// The password was right and the account has a second factor: no session yet, only a pending
// state in Redis bound to this browser by the mfa cookie (a known device skips nothing). The
// attempt is counted when the code step ends it.
http::Response ask_for_code(Context& ctx, const service::LoginOutcome& outcome, bool json) {
    util::log(util::LogLevel::info, "login_mfa_required",
              {{"request_id", ctx.req.request_id},
               {"client_ip", ctx.req.remote_addr},
               {"user_id", std::to_string(outcome.user_id)}});
    const std::string cookie = ctx.cookies.mfa_pending(
        ctx.req, outcome.pending_token, ctx.svc.config.accounts.mfa_pending_seconds);
    if (json)
        throw http::Error(401, "mfa_required",
                          "Send the code of the second factor to POST /login/mfa.",
                          {{"Set-Cookie", cookie}, {"Cache-Control", "no-store"}});
    auto resp = http::Response::redirect("/login/mfa");
    resp.header("Set-Cookie", cookie);
    resp.header("Cache-Control", "no-store");
    return resp;
}

// The login itself, once the form is read: every outcome is counted once
// (login_attempts_total; a store failure is counted by post_login).
http::Response log_in(Context& ctx, const LoginForm& form) {
    const http::Request& req = ctx.req;
    using metrics::Attempt;
    using metrics::AttemptResult;
    // Not a possible username ("admİn1", full-width letters): no account can match, so it gets
    // the usual failure at once, with no lookup, no limit and no hash spent on it.
    if (!form.username) {
        metrics::attempt(Attempt::login, AttemptResult::failure);
        util::log(util::LogLevel::info, "login_failed",
                  {{"request_id", req.request_id},
                   {"client_ip", req.remote_addr},
                   {"reason", "not_a_username"}});
        return invalid_credentials(form.json);
    }
    const auto device = ctx.cookies.get(req, "did");
    const auto outcome =
        ctx.svc.auth.login({*form.username, form.password, req.remote_addr,
                            device ? std::optional<std::string_view>(*device) : std::nullopt,
                            lang_tag(ctx.lang())});
    using Result = service::LoginOutcome::Result;
    if (outcome.result == Result::limited)
        refuse_if_limited(outcome.verdict, req, "login", Attempt::login);
    if (outcome.result == Result::failure) {
        metrics::attempt(Attempt::login, AttemptResult::failure);
        util::log(util::LogLevel::info, "login_failed",
                  {{"request_id", req.request_id}, {"client_ip", req.remote_addr}});
        return invalid_credentials(form.json);
    }
    if (outcome.result == Result::mfa_required) return ask_for_code(ctx, outcome, form.json);
    return finish_login(ctx, outcome, form.json);
}

// The second step, once the code is read: counted as the login attempt it completes.
http::Response log_in_with_code(Context& ctx, const std::string& code, bool json) {
    const http::Request& req = ctx.req;
    using metrics::Attempt;
    using metrics::AttemptResult;
    const auto token = ctx.cookies.get(req, "mfa");
    const auto outcome = ctx.svc.auth.login_with_code(
        {token.value_or(""), code, req.remote_addr, lang_tag(ctx.lang())});
    using Result = service::LoginOutcome::Result;
    if (outcome.result == Result::mfa_expired) {
        metrics::attempt(Attempt::login, AttemptResult::failure);
        if (!json) return http::Response::redirect("/login");
        throw http::Error(401, "mfa_expired", model::MessageId::mfa_login_expired);
    }
    // Code attempts count against the account (or known device), as wrong passwords do.
    if (outcome.result == Result::limited)
        refuse_if_limited(outcome.verdict, req, "login_mfa", Attempt::login);
    if (outcome.result == Result::failure) {
        metrics::attempt(Attempt::login, AttemptResult::failure);
        util::log(util::LogLevel::info, "login_mfa_failed",
                  {{"request_id", req.request_id}, {"client_ip", req.remote_addr}});
        if (json) throw http::Error(401, "invalid_code", model::MessageId::mfa_code_wrong);
        auto resp = http::Response::html(401, render_login_mfa(ctx.lang(), true));
        resp.header("Cache-Control", "no-store");
        return resp;
    }
    auto resp = finish_login(ctx, outcome, json);
    resp.header("Set-Cookie", ctx.cookies.clear_mfa_pending(req));
    return resp;
}

}  // namespace

http::Response post_login(Context& ctx) {
    const LoginForm form = read_login(ctx.req);  // a malformed form (400) is no attempt
    http::Response resp;
    service::count_unavailable(metrics::Attempt::login, [&] { resp = log_in(ctx, form); });
    return resp;
}

http::Response get_login_mfa(Context& ctx) {
    const auto token = ctx.cookies.get(ctx.req, "mfa");
    if (!token || !ctx.svc.mfa.pending(*token)) return http::Response::redirect("/login");
    auto resp = http::Response::html(200, render_login_mfa(ctx.lang(), false));
    resp.header("Cache-Control", "no-store");
    return resp;
}

http::Response post_login_mfa(Context& ctx) {
    const http::Request& req = ctx.req;
    const bool json = !is_form_body(req);
    std::string code;
    if (json) {
        auto doc = read_json_object(req, {"code"});
        code = json_string_field(doc.get(), "code").value_or("");
    } else {
        code = std::string(http::find_field(ctx.form(), "code").value_or(""));
    }
    // A malformed code (400) is no attempt.
    if (code.size() > 64) throw http::Error::bad_request(model::MessageId::mfa_code_too_long);
    http::Response resp;
    service::count_unavailable(metrics::Attempt::login,
                               [&] { resp = log_in_with_code(ctx, code, json); });
    return resp;
}

http::Response post_logout(Context& ctx) {
    const http::Request& req = ctx.req;
    const bool json = req.wants_json();
    if (const auto& id = ctx.session_id) {
        // A logout form carries the session's CSRF token (checked by the dispatcher).
        if (auto session = ctx.svc.sessions.touch(*id))
            util::log(util::LogLevel::info, "logout",
                      {{"request_id", req.request_id},
                       {"client_ip", req.remote_addr},
                       {"user_id", std::to_string(session->user_id)}});
        ctx.svc.sessions.destroy(*id);
    }
    http::Response resp;
    if (json) {
        resp.status = 204;
        resp.header("Cache-Control", "no-store");
    } else {
        resp = http::Response::redirect("/login");
    }
    resp.header("Set-Cookie", ctx.cookies.clear_session(req));
    return resp;
}

}  // namespace routes
