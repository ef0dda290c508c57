// The one way into the handlers.
#include "routes/dispatch.hpp"

#include "http/error.hpp"
#include "routes/api.hpp"
#include "routes/csrf.hpp"
#include "routes/pages.hpp"
#include "routes/routes.hpp"

namespace routes {
namespace {

std::vector<http::Route> patterns_of(const std::vector<RouteSpec>& table) {
    std::vector<http::Route> patterns;
    patterns.reserve(table.size());
    for (const auto& row : table) patterns.push_back({row.method, row.pattern});
    return patterns;
}

// Resolves the caller the row asks for into ctx. Returns an answer when the caller may not
// go on (a redirect to the login page, the 403 page), nothing when the handler may run.
std::optional<http::Response> admit(const RouteSpec& row, Context& ctx) {
    switch (row.access) {
        case Access::anonymous:
        case Access::nginx_internal:  // fenced by nginx: no client reaches it
            return std::nullopt;
        case Access::session_page:
        case Access::admin_page:
            ctx.user = ctx.find_user();
            if (!ctx.user) return http::Response::redirect("/login");
            if (row.access == Access::admin_page && !ctx.user->has_role("admin"))
                return http::Response::html(
                    403, render_error_page(ctx.lang(), 403, model::MessageId::admins_only));
            return std::nullopt;
        case Access::session_api:
            ctx.user = ctx.find_user();
            if (!ctx.user) throw http::Error::unauthorized(model::MessageId::log_in_first);
            return std::nullopt;
        case Access::client:
            require_json_accepted(ctx.req);
            ctx.client = require_client(ctx, row.scope);
            return std::nullopt;
    }
    return std::nullopt;
}

// The form token of a form body posted with a session. Other bodies rely on the same-origin
// check alone: a cross-site page cannot send JSON without a CORS preflight. On an anonymous
// route (logout) a client that asks for JSON is not a browser form either.
void check_form_token(const RouteSpec& row, Context& ctx) {
    if (!ctx.session_id || ctx.req.media_type() != "application/x-www-form-urlencoded") return;
    if (row.access == Access::anonymous && ctx.req.wants_json()) return;
    require_csrf_token(ctx, ctx.form());
}

}  // namespace

Dispatcher::Dispatcher(app::Services& services, Callers& callers, const Cookies& cookies,
                       const std::vector<RouteSpec>& table)
    : services_(services), callers_(callers), cookies_(cookies), table_(table),
      router_(patterns_of(table)) {}

Dispatcher::Dispatcher(app::Services& services, Callers& callers, const Cookies& cookies)
    : Dispatcher(services, callers, cookies, route_table()) {}

http::Response Dispatcher::dispatch(http::Request& req) const {
    // Before routing, so that probing for routes cross-site learns nothing either.
    require_same_origin(req);
    const RouteSpec& row = table_[router_.resolve(req)];
    Context ctx(services_, callers_, cookies_, req);
    if (auto refused = admit(row, ctx)) return std::move(*refused);
    if (row.csrf == Csrf::form_token) check_form_token(row, ctx);
    return row.handler(ctx);
}

}  // namespace routes
