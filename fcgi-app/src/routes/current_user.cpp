// Who is asking: the user behind the request's session cookie.
#include "routes/current_user.hpp"

#include "http/error.hpp"

namespace routes {

std::optional<store::User> current_user(App& app, const http::Request& req) {
    auto session = app.current_session(req);
    if (!session) return std::nullopt;
    auto user = app.profiles.get(session->user_id);
    // A bumped generation (password change, disabled account) has ended this session.
    if (!user || !user->enabled || user->session_generation != session->generation)
        return std::nullopt;
    return user;
}

store::User require_api_user(App& app, const http::Request& req) {
    auto user = current_user(app, req);
    if (!user) throw http::Error::unauthorized("Log in first.");
    return std::move(*user);
}

}  // namespace routes
