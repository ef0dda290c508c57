// Everything one worker owns: its connections and the services built on them. Constructed
// after fork, so no connection is ever shared between processes.
#pragma once

#include <memory>
#include <optional>
#include <string_view>

#include "config.hpp"
#include "http/request.hpp"
#include "metrics/metrics.hpp"
#include "service/accounts.hpp"
#include "service/api_clients.hpp"
#include "service/auth.hpp"
#include "service/known_devices.hpp"
#include "service/passwords.hpp"
#include "service/profiles.hpp"
#include "service/rate_limits.hpp"
#include "service/reauth.hpp"
#include "service/sessions.hpp"
#include "service/signer.hpp"
#include "store/pg.hpp"
#include "store/api_clients.hpp"
#include "store/redis.hpp"
#include "store/users.hpp"

namespace routes {

struct App {
    App(const app::Config& config, const service::Passwords& passwords);

    const app::Config& config;
    const service::Passwords& passwords;
    store::Pg pg;  // the primary: every write, logins, and reads right after a write
  private:
    std::unique_ptr<store::Pg> separate_read_pool_;  // only when the read URL differs
  public:
    store::Pg& read_pool;  // cache-miss profile reads and list pages: `pg` itself by default
    store::Redis redis;  // the session store
  private:
    std::unique_ptr<store::Redis> separate_cache_;  // only when the cache URL differs
  public:
    store::Redis& cache;  // profiles and API tokens: `redis` itself when the URLs are equal
    store::UserStore users;
    service::SessionStore sessions;
    service::Profiles profiles;
    service::Signer signer;  // the server key: CSRF tokens and known-device cookies
    service::KnownDevices known_devices;
    service::RateLimits rate_limits;
    service::Auth auth;
    service::Reauth reauth;
    service::Accounts accounts;
    store::ApiClientStore api_client_store;
    service::ApiClients api_clients;

    // The method and pattern of each route in table order, for the labels of GET /metrics.
    std::vector<metrics::RouteLabel> route_labels;

    // True when sessions and the cache share one server, so one script can read both.
    bool one_redis() const { return &cache == &redis; }

    // The value of one of our cookies ("sid", "did"), under its name for this request:
    // "__Host-" + name, with Secure, over HTTPS or whenever LOGIN_COOKIE_SECURE is on, so that
    // neither another subdomain nor plain HTTP can plant it; the bare name only for plain-HTTP
    // development.
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
    std::string session_cookie_header(const http::Request& req, std::string_view id) const;
    std::string clear_cookie_header(const http::Request& req) const;
    // The Set-Cookie value that remembers this browser as a known device of an account.
    std::string device_cookie_header(const http::Request& req, std::string_view token) const;
    // The id of the known device this request comes from, when its did cookie is valid for the
    // user under the given session generation; nullopt otherwise.
    std::optional<std::string> known_device(const http::Request& req, int64_t user_id,
                                            int generation) const;

private:
    bool secure_cookies(const http::Request& req) const;
    std::string cookie_header(const http::Request& req, std::string_view name,
                              std::string_view value, std::string_view attributes) const;
};

}  // namespace routes
