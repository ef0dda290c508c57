// POST /login and POST /logout.
#include <string>

#include "http/error.hpp"
#include "routes/body.hpp"
#include "routes/routes.hpp"
#include "routes/throttle.hpp"
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
http::Response invalid_credentials(const LoginForm& form) {
    if (!form.json) return http::Response::redirect("/login?error=1");
    throw http::Error(401, "invalid_credentials", kInvalidCredentials);
}

}  // namespace

http::Response post_login(Context& ctx) {
    const http::Request& req = ctx.req;
    const LoginForm form = read_login(req);
    // Not a possible username ("admİn1", full-width letters): no account can match, so it gets
    // the usual failure at once, with no lookup, no limit and no hash spent on it.
    if (!form.username) {
        util::log(util::LogLevel::info, "login_failed",
                  {{"request_id", req.request_id},
                   {"client_ip", req.remote_addr},
                   {"reason", "not_a_username"}});
        return invalid_credentials(form);
    }
    const auto device = ctx.cookies.get(req, "did");
    const auto outcome =
        ctx.svc.auth.login({*form.username, form.password, req.remote_addr,
                            device ? std::optional<std::string_view>(*device) : std::nullopt});
    using Result = service::LoginOutcome::Result;
    if (outcome.result == Result::limited) refuse_if_limited(outcome.verdict, req, "login");
    if (outcome.result == Result::failure) {
        util::log(util::LogLevel::info, "login_failed",
                  {{"request_id", req.request_id}, {"client_ip", req.remote_addr}});
        return invalid_credentials(form);
    }
    // A brand-new id on every login; any session the browser brought along ends here.
    const std::string cookie = ctx.start_session(outcome.user_id, outcome.session_generation);
    util::log(util::LogLevel::info, "login_succeeded",
              {{"request_id", req.request_id},
               {"client_ip", req.remote_addr},
               {"user_id", std::to_string(outcome.user_id)}});
    http::Response resp;
    if (form.json) {
        auto user = ctx.svc.users.get(outcome.user_id);
        if (!user) throw http::Error(401, "invalid_credentials", kInvalidCredentials);
        resp = http::Response::json(200, service::user_to_json(*user));
    } else {
        resp = http::Response::redirect("/home");
    }
    resp.header("Set-Cookie", cookie);
    resp.header("Set-Cookie", ctx.cookies.device(req, outcome.device_cookie));
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
