// Everything one worker owns: its connections and the services built on them. Constructed
// after fork, so no connection is ever shared between processes.
#pragma once

#include <optional>
#include <string_view>

#include "config.hpp"
#include "http/request.hpp"
#include "service/accounts.hpp"
#include "service/api_clients.hpp"
#include "service/auth.hpp"
#include "service/passwords.hpp"
#include "service/profiles.hpp"
#include "service/rate_limits.hpp"
#include "service/sessions.hpp"
#include "store/pg.hpp"
#include "store/api_clients.hpp"
#include "store/redis.hpp"
#include "store/users.hpp"

namespace routes {

struct App {
    App(const app::Config& config, const service::Passwords& passwords);

    const app::Config& config;
    const service::Passwords& passwords;
    store::Pg pg;
    store::Redis redis;
    store::UserStore users;
    service::SessionStore sessions;
    service::Profiles profiles;
    service::Auth auth;
    service::Accounts accounts;
    store::ApiClientStore api_client_store;
    service::ApiClients api_clients;
    service::RateLimits rate_limits;

    // The value of one of our cookies ("sid", "did"), under its name for this deployment:
    // "__Host-" + name when cookies are Secure (HTTPS), so that neither another subdomain nor
    // plain HTTP can plant it; the bare name only for local HTTP development.
    std::optional<std::string> cookie(const http::Request& req, std::string_view name) const;
    // The session id from the request's cookie, if it carries one.
    std::optional<std::string> session_cookie(const http::Request& req) const;
    // The live session behind the request's cookie (sliding its idle timeout), or nullopt.
    // Redis being down is an error (503), not "logged out".
    std::optional<service::Session> current_session(const http::Request& req);
    // Starts a session for a user (after login, registration or a password change), ending
    // the one the request came with, and returns its Set-Cookie value.
    std::string start_session(const http::Request& req, int64_t user_id, int generation);
    // Set-Cookie values that start and end a session.
    std::string session_cookie_header(std::string_view id) const;
    std::string clear_cookie_header() const;
    // The Set-Cookie value that remembers this browser as a known device of an account.
    std::string device_cookie_header(std::string_view token) const;

private:
    std::string cookie_header(std::string_view name, std::string_view value,
                              std::string_view attributes) const;
};

}  // namespace routes
