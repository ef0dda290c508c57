// The route table: reads like the API reference, and says who may call what.
#include "routes/routes.hpp"

#include "service/api_clients.hpp"

namespace routes {

const std::vector<RouteSpec>& route_table() {
    using enum Pool;
    using enum Access;
    using enum Csrf;
    constexpr const char* read = service::kScopeUsersRead;
    constexpr const char* write = service::kScopeUsersWrite;
    // clang-format off
    static const std::vector<RouteSpec> table = {
        // method   path                          pool  who may call   CSRF         scope  handler
        {"GET",    "/",                           app,  anonymous,     none,        "",    get_root},
        {"POST",   "/login",                      auth, anonymous,     same_origin, "",    post_login},
        {"POST",   "/logout",                     app,  anonymous,     form_token,  "",    post_logout},
        {"GET",    "/home",                       app,  session_page,  none,        "",    get_home},
        {"GET",    "/profile",                    app,  session_page,  none,        "",    get_profile_form},
        {"POST",   "/profile",                    auth, session_page,  form_token,  "",    post_profile_form},
        {"POST",   "/register",                   auth, anonymous,     same_origin, "",    post_register},
        {"GET",    "/password",                   app,  session_page,  none,        "",    get_password_form},
        {"POST",   "/password",                   auth, session_page,  form_token,  "",    post_password_form},
        {"GET",    "/sessions",                   app,  session_page,  none,        "",    get_sessions_page},
        {"POST",   "/sessions/end",               app,  session_page,  form_token,  "",    post_end_session},
        {"POST",   "/sessions/end-others",        app,  session_page,  form_token,  "",    post_end_other_sessions},
        {"GET",    "/admin",                      app,  admin_page,    none,        "",    get_admin},
        {"GET",    "/api/v1/me",                  app,  session_api,   none,        "",    get_me},
        {"PATCH",  "/api/v1/me",                  auth, session_api,   same_origin, "",    patch_me},
        {"POST",   "/api/v1/me/password",         auth, session_api,   same_origin, "",    post_me_password},
        {"GET",    "/api/v1/me/sessions",         app,  session_api,   none,        "",    list_my_sessions},
        {"DELETE", "/api/v1/me/sessions",         app,  session_api,   same_origin, "",    end_my_other_sessions},
        {"DELETE", "/api/v1/me/sessions/{id}",    app,  session_api,   same_origin, "",    end_my_session},
        {"GET",    "/api/v1/users",               app,  client,        none,        read,  list_users},
        {"GET",    "/api/v1/users/{id}",          app,  client,        none,        read,  get_user},
        {"PATCH",  "/api/v1/users/{id}",          app,  client,        none,        write, patch_user},
        // Aliases kept from the original system's README.
        {"GET",    "/users",                      app,  client,        none,        read,  list_users},
        {"GET",    "/user/{id}",                  app,  client,        none,        read,  get_user},
        // Probes and metrics; nginx lets only METRICS_ALLOW reach /metrics.
        {"GET",    "/healthz",                    app,  anonymous,     none,        "",    get_healthz},
        {"GET",    "/readyz",                     app,  anonymous,     none,        "",    get_readyz},
        {"GET",    "/metrics",                    app,  anonymous,     none,        "",    get_metrics},
    };
    // clang-format on
    return table;
}

}  // namespace routes
