// A user's own sessions: the list, ending one, and ending all the others. As JSON under
// /api/v1/me/sessions and as the /sessions page with its forms.
#include "http/error.hpp"
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

util::Json session_json(const service::SessionInfo& s) {
    using namespace util;
    Json o = json_object_value();
    json_set(o, "id", json_str(s.id));
    json_set(o, "created_at", json_str(rfc3339_utc(s.created_at)));
    json_set(o, "last_seen_at", json_str(rfc3339_utc(s.last_seen_at)));
    json_set(o, "ip_prefix", json_str(s.origin.network));
    json_set(o, "user_agent", json_str(s.origin.user_agent));
    json_set(o, "current", json_bool(s.current));
    return o;
}

http::Response no_content() {
    http::Response resp;
    resp.status = 204;
    resp.header("Cache-Control", "no-store");
    return resp;
}

// Ends the user's listed session with this public id; the current one also loses its cookie.
http::Response end_one(Context& ctx, std::string_view id, http::Response resp) {
    const bool current =
        ctx.session_id && service::SessionStore::public_id(*ctx.session_id) == id;
    if (!ctx.svc.sessions.destroy_listed(ctx.me().id, id)) throw http::Error::not_found();
    log_revoked(ctx.req, ctx.me().id, 1);
    if (current) resp.header("Set-Cookie", ctx.cookies.clear_session(ctx.req));
    return resp;
}

// Ends every other session and every known device of the user (a new session generation),
// and gives this browser a new session under it; this browser stays a known device if it was
// one. Returns the Set-Cookie values.
std::vector<std::string> end_others(Context& ctx) {
    const model::User me = ctx.me();
    const size_t ended = ctx.svc.sessions.destroy_others(me.id, ctx.session_id.value_or(""));
    const auto generation = ctx.svc.users.end_sessions(me.id);
    if (!generation) throw http::Error::unauthorized(model::MessageId::log_in_first);
    log_revoked(ctx.req, me.id, ended);
    const auto device = ctx.known_device(me.session_generation);
    std::vector<std::string> cookies = {ctx.start_session(me.id, *generation)};
    if (device)
        cookies.push_back(ctx.cookies.device(
            ctx.req, ctx.svc.known_devices.issue(me.id, *generation, device)));
    return cookies;
}

std::vector<service::SessionInfo> my_sessions(Context& ctx) {
    return ctx.svc.sessions.list(ctx.me().id, ctx.me().session_generation,
                                 ctx.session_id.value_or(""));
}

}  // namespace

http::Response list_my_sessions(Context& ctx) {
    util::Json list = util::json_array_value();
    for (const auto& s : my_sessions(ctx)) util::json_append(list, session_json(s));
    util::Json doc = util::json_object_value();
    util::json_set(doc, "sessions", std::move(list));
    return http::Response::json(200, doc);
}

http::Response end_my_session(Context& ctx) {
    return end_one(ctx, ctx.req.path_params.at("id"), no_content());
}

http::Response end_my_other_sessions(Context& ctx) {
    auto resp = no_content();
    for (const auto& c : end_others(ctx)) resp.header("Set-Cookie", c);
    return resp;
}

http::Response get_sessions_page(Context& ctx) {
    return http::Response::html(200,
                                render_sessions(ctx.lang(), my_sessions(ctx), ctx.csrf_token()));
}

http::Response post_end_session(Context& ctx) {
    const auto id = http::find_field(ctx.form(), "id");
    if (!id) throw http::Error::bad_request(model::MessageId::which_session);
    return end_one(ctx, *id, http::Response::redirect("/sessions"));
}

http::Response post_end_other_sessions(Context& ctx) {
    ctx.form();  // a form body, as the page sends (415 otherwise)
    auto resp = http::Response::redirect("/sessions");
    for (const auto& c : end_others(ctx)) resp.header("Set-Cookie", c);
    return resp;
}

}  // namespace routes
