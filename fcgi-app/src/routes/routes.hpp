// The route table and the handlers it points to, one file per resource. Each handler
// follows parse → validate → act → reply, and reports client mistakes with http::Error.
#pragma once

#include "http/request.hpp"
#include "http/response.hpp"
#include "http/router.hpp"
#include "routes/app.hpp"

namespace routes {

// session.cpp
http::Response post_login(App& app, http::Request& req);
http::Response post_logout(App& app, http::Request& req);
// home.cpp
http::Response get_root(App& app, http::Request& req);
http::Response get_home(App& app, http::Request& req);
http::Response get_profile_form(App& app, http::Request& req);
http::Response post_profile_form(App& app, http::Request& req);
// me.cpp
http::Response get_me(App& app, http::Request& req);
http::Response patch_me(App& app, http::Request& req);
// users_api.cpp (client applications, token auth)
http::Response list_users(App& app, http::Request& req);
http::Response get_user(App& app, http::Request& req);
http::Response patch_user(App& app, http::Request& req);
// register.cpp
http::Response post_register(App& app, http::Request& req);
// password.cpp
http::Response get_password_form(App& app, http::Request& req);
http::Response post_password_form(App& app, http::Request& req);
http::Response post_me_password(App& app, http::Request& req);
// sessions.cpp (the user's own sessions)
http::Response list_my_sessions(App& app, http::Request& req);
http::Response end_my_session(App& app, http::Request& req);
http::Response end_my_other_sessions(App& app, http::Request& req);
http::Response get_sessions_page(App& app, http::Request& req);
http::Response post_end_session(App& app, http::Request& req);
http::Response post_end_other_sessions(App& app, http::Request& req);
// admin.cpp
http::Response get_admin(App& app, http::Request& req);
// health.cpp
http::Response get_healthz(App& app, http::Request& req);
http::Response get_readyz(App& app, http::Request& req);
http::Response get_metrics(App& app, http::Request& req);
http::Response post_hash_queue_rejected(App& app, http::Request& req);

// Every route the workers serve; nginx decides which pool receives which route.
http::Router make_router(App& app);

}  // namespace routes
