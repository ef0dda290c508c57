// How the dispatcher learns who is calling: the user behind a session cookie, the API client
// behind a token. These are the only two questions of the access policy that need a store.
// The worker asks the services (Redis, then PostgreSQL on a cache miss); the route-policy test
// gives fixed answers, so that every row of the route table runs through the real dispatcher
// without a stack.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "app/services.hpp"
#include "http/request.hpp"
#include "model/api_client.hpp"
#include "model/user.hpp"

namespace routes {

class Callers {
public:
    virtual ~Callers() = default;

    // The enabled user behind session_id, or nullopt: an unknown or expired id, a session
    // ended by a password change (its generation is behind the user's), a disabled account.
    // A store being down throws store::Error.
    virtual std::optional<model::User> session_user(const std::string& session_id) = 0;

    // The client holding token (with the legacy header pair, app_name must name it too), or
    // nullopt for an unknown or revoked token. A known client over its rate limit is 429.
    virtual std::optional<model::ApiClient> token_client(const http::Request& req,
                                                         std::string_view token,
                                                         std::optional<std::string_view> app_name) = 0;
};

// The callers as the services know them.
class ServiceCallers final : public Callers {
public:
    explicit ServiceCallers(app::Services& services) : svc_(services) {}

    std::optional<model::User> session_user(const std::string& session_id) override;
    std::optional<model::ApiClient> token_client(const http::Request& req, std::string_view token,
                                                 std::optional<std::string_view> app_name) override;

private:
    app::Services& svc_;
};

}  // namespace routes
