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
        {"GET",    "/login/mfa",                  app,  anonymous,     none,        "",    get_login_mfa},
        {"POST",   "/login/mfa",                  app,  anonymous,     same_origin, "",    post_login_mfa},
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
        {"GET",    "/admin/users/{id}",           app,  admin_page,    none,        "",    get_admin_user},
        {"POST",   "/admin/users/{id}/enabled",   app,  admin_page,    form_token,  "",    post_admin_enabled},
        {"POST",   "/admin/users/{id}/roles",     app,  admin_page,    form_token,  "",    post_admin_roles},
        {"POST",   "/admin/users/{id}/sessions/end", app, admin_page,  form_token,  "",    post_admin_end_sessions},
        {"POST",   "/admin/users/{id}/mfa/reset", app,  admin_page,    form_token,  "",    post_admin_reset_mfa},
        {"POST",   "/admin/users/{id}/recovery-mail", app, admin_page, form_token,  "",    post_admin_recovery_mail},
        {"GET",    "/password/forgot",            app,  anonymous,     none,        "",    get_forgot_form},
        {"POST",   "/password/forgot",            app,  anonymous,     same_origin, "",    post_forgot_form},
        {"GET",    "/password/reset",             app,  anonymous,     none,        "",    get_reset_form},
        {"POST",   "/password/reset",             auth, anonymous,     same_origin, "",    post_reset_form},
        {"GET",    "/email/verify",               app,  anonymous,     none,        "",    get_verify_email},
        {"POST",   "/email/verify/resend",        app,  session_page,  form_token,  "",    post_resend_verification},
        {"GET",    "/mfa",                        app,  session_page,  none,        "",    get_mfa_page},
        {"POST",   "/mfa/totp",                   app,  session_page,  form_token,  "",    post_mfa_start},
        {"GET",    "/mfa/totp/qr.svg",            app,  session_page,  none,        "",    get_mfa_qr},
        {"POST",   "/mfa/totp/confirm",           app,  session_page,  form_token,  "",    post_mfa_confirm},
        {"POST",   "/mfa/disable",                auth, session_page,  form_token,  "",    post_mfa_disable},
        {"GET",    "/api/v1/me",                  app,  session_api,   none,        "",    get_me},
        {"PATCH",  "/api/v1/me",                  auth, session_api,   same_origin, "",    patch_me},
        {"POST",   "/api/v1/me/password",         auth, session_api,   same_origin, "",    post_me_password},
        {"GET",    "/api/v1/me/sessions",         app,  session_api,   none,        "",    list_my_sessions},
        {"DELETE", "/api/v1/me/sessions",         app,  session_api,   same_origin, "",    end_my_other_sessions},
        {"DELETE", "/api/v1/me/sessions/{id}",    app,  session_api,   same_origin, "",    end_my_session},
        {"POST",   "/api/v1/me/mfa/totp",         app,  session_api,   same_origin, "",    post_api_mfa_totp},
        {"POST",   "/api/v1/me/mfa/totp/confirm", app,  session_api,   same_origin, "",    post_api_mfa_confirm},
        {"DELETE", "/api/v1/me/mfa",              auth, session_api,   same_origin, "",    delete_api_mfa},
        {"POST",   "/api/v1/password/forgot",     app,  anonymous,     same_origin, "",    post_api_forgot},
        {"POST",   "/api/v1/password/reset",      auth, anonymous,     same_origin, "",    post_api_reset},
        {"GET",    "/api/v1/users",               app,  client,        none,        read,  list_users},
        {"GET",    "/api/v1/users/{id}",          app,  client,        none,        read,  get_user},
        {"PATCH",  "/api/v1/users/{id}",          app,  client,        none,        write, patch_user},
        // Aliases kept from the original system's README.
        {"GET",    "/users",                      app,  client,        none,        read,  list_users},
        {"GET",    "/user/{id}",                  app,  client,        none,        read,  get_user},
        // Probes and metrics; nginx lets only METRICS_ALLOW reach /readyz and /metrics.
        {"GET",    "/healthz",                    app,  anonymous,     none,        "",    get_healthz},
        {"GET",    "/readyz",                     app,  anonymous,     none,        "",    get_readyz},
        {"GET",    "/metrics",                    app,  anonymous,     none,        "",    get_metrics},
        // nginx's mirror of a request its password-hashing queue refused (nginx.conf.template).
        {"POST",   "/internal/hash-queue-rejected", app, nginx_internal, none,     "",    post_hash_queue_rejected},
    };
    // clang-format on
    return table;
}

}  // namespace routes
