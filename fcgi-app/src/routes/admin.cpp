// The admin pages: GET /admin (search by username or email prefix, newest first, keyset paging
// with ?before=<id>), GET /admin/users/{id}, and one POST per action on a user, each through
// service::UserAdmin (the CLI's code too), audited with the admin's id.
#include <cstdint>

#include "http/error.hpp"
#include "routes/account_text.hpp"
#include "routes/admin_pages.hpp"
#include "routes/api.hpp"
#include "routes/pages.hpp"
#include "routes/routes.hpp"
#include "service/validation.hpp"
#include "util/text.hpp"

namespace routes {
namespace {

constexpr int kPageSize = 50;

// The user named by the path, or 404.
model::User target(Context& ctx) {
    const auto id = util::parse_uint(ctx.req.path_params.at("id"), INT64_MAX);
    if (!id || *id == 0) throw http::Error::not_found();
    auto user = ctx.svc.users.get(static_cast<int64_t>(*id));
    if (!user) throw http::Error::not_found();
    return *user;
}

service::Actor actor(Context& ctx) {
    service::Actor a;
    a.admin_id = ctx.me().id;
    a.request_id = ctx.req.request_id;
    a.client_ip = ctx.req.remote_addr;
    return a;
}

// What the action did, as the page after it shows ("done" names the text key).
http::Response after(Context& ctx, const model::User& user, service::AdminOutcome outcome,
                     const char* done) {
    if (outcome == service::AdminOutcome::gone) throw http::Error::not_found();
    if (outcome == service::AdminOutcome::refused_self) {
        AdminUserView view{user, 0, true, std::string(tr(ctx.lang(), "not_yourself")), true};
        view.active_sessions = ctx.svc.sessions.list(user.id, user.session_generation, "").size();
        return http::Response::html(409, render_admin_user(ctx.lang(), view, ctx.csrf_token()));
    }
    return http::Response::redirect("/admin/users/" + std::to_string(user.id) + "?done=" + done);
}

}  // namespace

http::Response get_admin(Context& ctx) {
    const auto query = read_query(ctx.req, {"before", "q"});
    int64_t before = INT64_MAX;
    if (auto v = http::find_field(query, "before")) {
        auto n = util::parse_uint(*v, INT64_MAX);
        if (!n) throw http::Error::bad_request(model::MessageId::before_not_user_id);
        before = static_cast<int64_t>(*n);
    }
    const std::string q(http::find_field(query, "q").value_or(""));
    if (q.size() > 254 || util::has_control_chars(q))
        throw http::Error::bad_request(model::MessageId::admin_search_too_long);
    auto users = q.empty() ? ctx.svc.users.list_newest(before, kPageSize + 1)
                           : ctx.svc.users.search(q, before, kPageSize + 1);
    std::optional<int64_t> older;
    if (users.size() > static_cast<size_t>(kPageSize)) {
        users.pop_back();
        older = users.back().id;
    }
    return http::Response::html(200, render_admin(ctx.lang(), users, older, q));
}

http::Response get_admin_user(Context& ctx) {
    const model::User user = target(ctx);
    const auto query = read_query(ctx.req, {"done"});
    AdminUserView view;
    view.user = user;
    view.is_self = user.id == ctx.me().id;
    view.active_sessions = ctx.svc.sessions.list(user.id, user.session_generation, "").size();
    if (auto done = http::find_field(query, "done")) {
        const std::string key = "done_" + std::string(*done);
        const auto text = tr(ctx.lang(), key);
        if (text != key) view.notice = std::string(text);
    }
    auto resp = http::Response::html(200, render_admin_user(ctx.lang(), view, ctx.csrf_token()));
    resp.header("Cache-Control", "no-store");
    return resp;
}

http::Response post_admin_enabled(Context& ctx) {
    const model::User user = target(ctx);
    const auto value = http::find_field(ctx.form(), "enabled");
    if (!value || (*value != "0" && *value != "1"))
        throw http::Error::bad_request(model::MessageId::admin_enabled_value);
    const bool enabled = *value == "1";
    return after(ctx, user, ctx.svc.user_admin.set_enabled(actor(ctx), user, enabled),
                 enabled ? "enabled" : "disabled");
}

http::Response post_admin_roles(Context& ctx) {
    const model::User user = target(ctx);
    std::vector<std::string> roles;
    for (const auto& [name, value] : ctx.form()) {
        if (name != "role") continue;
        if (!service::is_known_role(value))
            throw http::Error::bad_request(model::MessageId::roles_invalid);
        if (std::find(roles.begin(), roles.end(), value) == roles.end()) roles.push_back(value);
    }
    if (roles.empty()) throw http::Error::bad_request(model::MessageId::admin_choose_a_role);
    return after(ctx, user, ctx.svc.user_admin.set_roles(actor(ctx), user, roles), "roles");
}

http::Response post_admin_end_sessions(Context& ctx) {
    const model::User user = target(ctx);
    return after(ctx, user, ctx.svc.user_admin.end_sessions(actor(ctx), user), "sessions");
}

http::Response post_admin_reset_mfa(Context& ctx) {
    const model::User user = target(ctx);
    return after(ctx, user, ctx.svc.user_admin.reset_mfa(actor(ctx), user), "mfa");
}

http::Response post_admin_recovery_mail(Context& ctx) {
    const model::User user = target(ctx);
    // The user's own language (their last login's), not the admin's.
    return after(ctx, user, ctx.svc.user_admin.send_recovery(actor(ctx), user, ""), "recovery");
}

}  // namespace routes
