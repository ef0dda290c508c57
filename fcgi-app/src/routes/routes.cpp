// The route table: reads like the API reference.
#include "routes/routes.hpp"

namespace routes {

http::Router make_router(App& app) {
    auto bind = [&app](http::Response (*handler)(App&, http::Request&)) {
        return [&app, handler](http::Request& req) { return handler(app, req); };
    };
    http::Router router({
        {"GET", "/", bind(get_root)},
        {"POST", "/login", bind(post_login)},
        {"POST", "/logout", bind(post_logout)},
        {"GET", "/home", bind(get_home)},
        {"GET", "/profile", bind(get_profile_form)},
        {"POST", "/profile", bind(post_profile_form)},
        {"POST", "/register", bind(post_register)},
        {"GET", "/password", bind(get_password_form)},
        {"POST", "/password", bind(post_password_form)},
        {"GET", "/sessions", bind(get_sessions_page)},
        {"POST", "/sessions/end", bind(post_end_session)},
        {"POST", "/sessions/end-others", bind(post_end_other_sessions)},
        {"GET", "/admin", bind(get_admin)},
        {"GET", "/api/v1/me", bind(get_me)},
        {"PATCH", "/api/v1/me", bind(patch_me)},
        {"POST", "/api/v1/me/password", bind(post_me_password)},
        {"GET", "/api/v1/me/sessions", bind(list_my_sessions)},
        {"DELETE", "/api/v1/me/sessions", bind(end_my_other_sessions)},
        {"DELETE", "/api/v1/me/sessions/{id}", bind(end_my_session)},
        {"GET", "/api/v1/users", bind(list_users)},
        {"GET", "/api/v1/users/{id}", bind(get_user)},
        {"PATCH", "/api/v1/users/{id}", bind(patch_user)},
        // Aliases kept from the original system's README.
        {"GET", "/users", bind(list_users)},
        {"GET", "/user/{id}", bind(get_user)},
        {"GET", "/healthz", bind(get_healthz)},
        {"GET", "/readyz", bind(get_readyz)},
        {"GET", "/metrics", bind(get_metrics)},
        // nginx's mirror of a request its password-hashing queue refused (nginx.conf.template).
        {"POST", "/internal/hash-queue-rejected", bind(post_hash_queue_rejected)},
    });
    app.route_labels.clear();
    for (const auto& route : router.routes()) app.route_labels.push_back({route.method, route.pattern});
    return router;
}

}  // namespace routes
