// A user's own sessions: the list, ending one, and ending all the others. As JSON under
// /api/v1/me/sessions and as the /sessions page with its forms.
#include "http/error.hpp"
#include "routes/body.hpp"
#include "routes/csrf.hpp"
#include "routes/current_user.hpp"
#include "routes/pages.hpp"
#include "routes/routes.hpp"
#include "util/json.hpp"
#include "util/log.hpp"
#include "util/text.hpp"

namespace routes {
namespace {

void log_revoked(const http::Request& req, int64_t user_id, size_t count) {
    util::log(util::LogLevel::info, "sessions_revoked",
              {{"request_id", req.request_id},
               {"client_ip", req.remote_addr},
               {"user_id", std::to_string(user_id)},
               {"count", std::to_string(count)}});
}

json_t* session_json(const service::SessionInfo& s) {
    json_t* o = json_object();
    json_object_set_new(o, "id", util::json_str(s.id));
    json_object_set_new(o, "created_at", util::json_str(util::rfc3339_utc(s.created_at)));
    json_object_set_new(o, "last_seen_at", util::json_str(util::rfc3339_utc(s.last_seen_at)));
    json_object_set_new(o, "ip_prefix", util::json_str(s.origin.network));
    json_object_set_new(o, "user_agent", util::json_str(s.origin.user_agent));
    json_object_set_new(o, "current", json_boolean(s.current));
    return o;
}

// Ends every other session and every known device of the user (a new session generation), and
// gives this browser a new session under it; this browser stays a known device if it was one.
// Returns the Set-Cookie values.
std::vector<std::string> end_all_others(App& app, const http::Request& req,
                                        const store::User& user) {
    const auto sid = app.session_cookie(req).value_or("");
    const size_t ended = app.sessions.destroy_others(user.id, sid);  // frees them in Redis now
    const auto generation = app.accounts.end_all_sessions(user);
    if (!generation) throw http::Error::unauthorized("Log in first.");
    log_revoked(req, user.id, ended);
    std::vector<std::string> cookies = {app.start_session(req, user.id, *generation)};
    if (auto device = app.known_device(req, user.id, user.session_generation))
        cookies.push_back(
            app.device_cookie_header(req, app.known_devices.issue(user.id, *generation, device)));
    return cookies;
}

http::Response no_content() {
    http::Response resp;
    resp.status = 204;
    resp.header("Cache-Control", "no-store");
    return resp;
}

// Ends the listed session id of user; the current one also loses its cookie.
http::Response end_one(App& app, const http::Request& req, const store::User& user,
                       std::string_view id, http::Response resp) {
    const auto cookie = app.session_cookie(req);
    const bool current = cookie && service::SessionStore::public_id(*cookie) == id;
    if (!app.sessions.destroy_listed(user.id, id)) throw http::Error::not_found();
    log_revoked(req, user.id, 1);
    if (current) resp.header("Set-Cookie", app.clear_cookie_header(req));
    return resp;
}

}  // namespace

http::Response list_my_sessions(App& app, http::Request& req) {
    const auto user = require_api_user(app, req);
    json_t* list = json_array();
    for (const auto& s : app.sessions.list(user.id, user.session_generation,
                                           app.session_cookie(req).value_or("")))
        json_array_append_new(list, session_json(s));
    json_t* doc = json_object();
    json_object_set_new(doc, "sessions", list);
    return http::Response::json(200, doc);
}

http::Response end_my_session(App& app, http::Request& req) {
    const auto user = require_api_user(app, req);
    return end_one(app, req, user, req.path_params.at("id"), no_content());
}

http::Response end_my_other_sessions(App& app, http::Request& req) {
    const auto user = require_api_user(app, req);
    auto resp = no_content();
    for (const auto& c : end_all_others(app, req, user)) resp.header("Set-Cookie", c);
    return resp;
}

http::Response get_sessions_page(App& app, http::Request& req) {
    const auto user = current_user(app, req);
    if (!user) return http::Response::redirect("/login");
    const auto sid = app.session_cookie(req).value_or("");
    return http::Response::html(
        200, render_sessions(choose_lang(req),
                             app.sessions.list(user->id, user->session_generation, sid),
                             csrf_token(app.signer, sid)));
}

http::Response post_end_session(App& app, http::Request& req) {
    const auto user = current_user(app, req);
    if (!user) return http::Response::redirect("/login");
    const auto form = read_form(req);
    require_csrf_token(app, req, form);
    const auto id = http::find_field(form, "id");
    if (!id) throw http::Error::bad_request("Which session? The form has no id.");
    return end_one(app, req, *user, *id, http::Response::redirect("/sessions"));
}

http::Response post_end_other_sessions(App& app, http::Request& req) {
    const auto user = current_user(app, req);
    if (!user) return http::Response::redirect("/login");
    require_csrf_token(app, req, read_form(req));
    auto resp = http::Response::redirect("/sessions");
    for (const auto& c : end_all_others(app, req, *user)) resp.header("Set-Cookie", c);
    return resp;
}

}  // namespace routes
