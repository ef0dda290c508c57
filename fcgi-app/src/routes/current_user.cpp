// Who is asking: the user behind the request's session cookie.
#include "routes/current_user.hpp"

#include "http/error.hpp"

namespace routes {

std::optional<store::User> current_user(App& app, const http::Request& req) {
    auto id = app.session_cookie(req);
    if (!id) return std::nullopt;
    std::optional<service::Session> session;
    std::optional<store::User> user;
    const std::string profile_prefix = app.profiles.key_prefix();
    if (profile_prefix.empty() || !app.one_redis()) {
        // The cache off or on another server: the session, then the profile on its own (from
        // PostgreSQL when the cache server is down).
        session = app.sessions.touch(*id);
        if (session) user = app.profiles.get(session->user_id);
    } else {  // one Redis round trip for the session and the cached profile
        auto found = app.sessions.touch_with(*id, profile_prefix);
        if (found) {
            session = found->session;
            user = app.profiles.get(session->user_id, found->companion);
        }
    }
    if (!session) return std::nullopt;
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
