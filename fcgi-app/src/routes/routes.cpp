// The route table: reads like the API reference.
#include "routes/routes.hpp"

namespace routes {

http::Router make_router(App& app) {
    auto bind = [&app](http::Response (*handler)(App&, http::Request&)) {
        return [&app, handler](http::Request& req) { return handler(app, req); };
    };
    return http::Router({
        {"GET", "/", bind(get_root)},
        {"POST", "/login", bind(post_login)},
        {"POST", "/logout", bind(post_logout)},
        {"GET", "/home", bind(get_home)},
        {"GET", "/profile", bind(get_profile_form)},
        {"POST", "/profile", bind(post_profile_form)},
        {"GET", "/api/v1/me", bind(get_me)},
        {"PATCH", "/api/v1/me", bind(patch_me)},
        {"GET", "/healthz", bind(get_healthz)},
    });
}

}  // namespace routes
