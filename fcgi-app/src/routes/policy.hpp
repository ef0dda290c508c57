// What a route table row declares besides its method and path: which worker pool serves it,
// who may call it, and how it is defended against cross-site requests.
#pragma once

#include <string_view>

#include "http/response.hpp"
#include "routes/context.hpp"

namespace routes {

// The worker pool nginx sends the route to: auth for the routes that hash a password.
enum class Pool { app, auth };

enum class Access {
    anonymous,     // anyone; the handler may still look at ctx.find_user()
    session_page,  // a logged-in user, else 303 to /login
    session_api,   // a logged-in user, else 401 JSON
    admin_page,    // a logged-in admin; 303 to /login when anonymous, 403 page for others
    client,        // an API client token holding the row's scope (401 / 403 / 429)
};

enum class Csrf {
    none,         // safe methods, and routes only a token (never a cookie) authenticates
    same_origin,  // refused when Sec-Fetch-Site or Origin names another site
    form_token,   // same_origin, and a form body sent with a session cookie must carry that
                  // session's csrf_token (JSON relies on same_origin: no cross-site JSON
                  // without a CORS preflight; so does a client asking for JSON on an
                  // anonymous route, i.e. logout)
};

using Handler = http::Response (*)(Context&);

struct RouteSpec {
    const char* method;
    const char* pattern;
    Pool pool;
    Access access;
    Csrf csrf;
    const char* scope;  // Access::client only: the scope the token must hold
    Handler handler;
};

std::string_view name(Pool pool);
std::string_view name(Access access);
std::string_view name(Csrf csrf);

}  // namespace routes
