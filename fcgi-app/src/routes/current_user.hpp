// Who is asking: the user behind the request's session cookie.
#pragma once

#include <optional>

#include "http/request.hpp"
#include "routes/app.hpp"
#include "store/users.hpp"

namespace routes {

// The enabled user behind a live session, or nullopt (no cookie, a garbage or expired id, or
// an account that was disabled since). Redis or PostgreSQL being down is a 503, not nullopt.
std::optional<store::User> current_user(App& app, const http::Request& req);

// current_user, or a 401 JSON error for API routes.
store::User require_api_user(App& app, const http::Request& req);

}  // namespace routes
