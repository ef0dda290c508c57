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
// health.cpp
http::Response get_healthz(Context& ctx);
http::Response get_readyz(Context& ctx);
http::Response get_metrics(Context& ctx);

// Every route the workers serve, in matching order.
const std::vector<RouteSpec>& route_table();

}  // namespace routes
