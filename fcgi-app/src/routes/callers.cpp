// The callers as the services know them.
#include "routes/callers.hpp"

#include "routes/throttle.hpp"
#include "util/log.hpp"

namespace routes {

std::optional<model::User> ServiceCallers::session_user(const std::string& session_id) {
    std::optional<service::Session> session;
    std::optional<model::User> found;
    const std::string profile_prefix = svc_.profiles.key_prefix();
    if (profile_prefix.empty() || !svc_.one_redis()) {
        // The cache off or on another server: the session, then the profile on its own (from
        // PostgreSQL when the cache server is down).
        session = svc_.sessions.touch(session_id);
        if (session) found = svc_.users.get(session->user_id);
    } else {  // one Redis round trip for the session and the cached profile
        auto both = svc_.sessions.touch_with(session_id, profile_prefix);
        if (both) {
            session = both->session;
            found = svc_.users.get(session->user_id, both->companion);
        }
    }
    if (!session) return std::nullopt;
    // A bumped generation (password change, disabled account) has ended this session.
    if (!found || !found->enabled || found->session_generation != session->generation)
        return std::nullopt;
    return found;
}

std::optional<model::ApiClient> ServiceCallers::token_client(
    const http::Request& req, std::string_view token, std::optional<std::string_view> app_name) {
    auto client = svc_.api_clients.authenticate(token, app_name);
    if (!client) {
        util::log(util::LogLevel::info, "api_token_rejected",
                  {{"request_id", req.request_id}, {"client_ip", req.remote_addr}});
        return std::nullopt;
    }
    util::log(util::LogLevel::info, "api_token_used",
              {{"request_id", req.request_id}, {"client_ip", req.remote_addr}, {"client", client->name}});
    refuse_if_limited(svc_.rate_limits.hit_api(client->id), req, "api");
    return client;
}

}  // namespace routes
