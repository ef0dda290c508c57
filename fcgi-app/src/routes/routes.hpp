// The route table and the handlers it points to, one file per resource. Each handler follows
// parse → validate → act → reply, and reports client mistakes with http::Error. The policy of
// each route (pool, who may call it, CSRF) is in the table, enforced once by the dispatcher.
#pragma once

#include <vector>

#include "http/response.hpp"
#include "routes/context.hpp"
#include "routes/policy.hpp"

namespace routes {

// session.cpp
http::Response post_login(Context& ctx);
http::Response post_logout(Context& ctx);
// home.cpp
http::Response get_root(Context& ctx);
http::Response get_home(Context& ctx);
http::Response get_profile_form(Context& ctx);
http::Response post_profile_form(Context& ctx);
// me.cpp
http::Response get_me(Context& ctx);
http::Response patch_me(Context& ctx);
// users_api.cpp (client applications, token auth)
http::Response list_users(Context& ctx);
http::Response get_user(Context& ctx);
http::Response patch_user(Context& ctx);
// register.cpp
http::Response post_register(Context& ctx);
// password.cpp
http::Response get_password_form(Context& ctx);
http::Response post_password_form(Context& ctx);
http::Response post_me_password(Context& ctx);
// sessions.cpp (the user's own sessions)
http::Response list_my_sessions(Context& ctx);
http::Response end_my_session(Context& ctx);
http::Response end_my_other_sessions(Context& ctx);
http::Response get_sessions_page(Context& ctx);
http::Response post_end_session(Context& ctx);
http::Response post_end_other_sessions(Context& ctx);
// admin.cpp
http::Response get_admin(Context& ctx);
http::Response get_admin_user(Context& ctx);
http::Response post_admin_enabled(Context& ctx);
http::Response post_admin_roles(Context& ctx);
http::Response post_admin_end_sessions(Context& ctx);
http::Response post_admin_reset_mfa(Context& ctx);
http::Response post_admin_recovery_mail(Context& ctx);

// Password recovery (routes/recovery.cpp) and email verification (routes/verify.cpp).
http::Response get_forgot_form(Context& ctx);
http::Response post_forgot_form(Context& ctx);
http::Response post_api_forgot(Context& ctx);
http::Response get_reset_form(Context& ctx);
http::Response post_reset_form(Context& ctx);
http::Response post_api_reset(Context& ctx);
http::Response get_verify_email(Context& ctx);
http::Response post_resend_verification(Context& ctx);

// Two-step verification: the login's second step (routes/session.cpp) and its settings
// (routes/mfa.cpp).
http::Response get_login_mfa(Context& ctx);
http::Response post_login_mfa(Context& ctx);
http::Response get_mfa_page(Context& ctx);
http::Response post_mfa_start(Context& ctx);
http::Response get_mfa_qr(Context& ctx);
http::Response post_mfa_confirm(Context& ctx);
http::Response post_mfa_disable(Context& ctx);
http::Response post_api_mfa_totp(Context& ctx);
http::Response post_api_mfa_confirm(Context& ctx);
http::Response delete_api_mfa(Context& ctx);
// health.cpp
http::Response get_healthz(Context& ctx);
http::Response get_readyz(Context& ctx);
http::Response get_metrics(Context& ctx);
http::Response post_hash_queue_rejected(Context& ctx);

// Every route the workers serve, in matching order.
const std::vector<RouteSpec>& route_table();

}  // namespace routes
