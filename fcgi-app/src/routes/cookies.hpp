// Our cookies and their attributes: the session (`sid`), known-device (`did`) and pending
// second-factor (`mfa`) cookies,
// HttpOnly and SameSite=Lax always, and over HTTPS (or whenever the configuration says so)
// named "__Host-" + name with Secure, so that neither another subdomain nor plain HTTP can
// plant them. The bare names exist only for plain-HTTP development.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "http/request.hpp"

namespace routes {

class Cookies {
public:
    // always_secure: the __Host- names and Secure even for plain-HTTP requests.
    Cookies(bool always_secure, int known_device_days);

    // The value of one of our cookies ("sid", "did") under its name for this request.
    std::optional<std::string> get(const http::Request& req, std::string_view name) const;

    // Set-Cookie values that start and end a session.
    std::string session(const http::Request& req, std::string_view id) const;
    std::string clear_session(const http::Request& req) const;
    // The Set-Cookie value that remembers this browser as a known device of an account.
    std::string device(const http::Request& req, std::string_view token) const;
    // The Set-Cookie values of a login waiting for its second factor ("mfa"): it binds the
    // pending state to this browser for `seconds`, and grants nothing but POST /login/mfa.
    std::string mfa_pending(const http::Request& req, std::string_view token, int seconds) const;
    std::string clear_mfa_pending(const http::Request& req) const;

private:
    bool secure(const http::Request& req) const;
    std::string header(const http::Request& req, std::string_view name, std::string_view value,
                       std::string_view attributes) const;

    bool always_secure_;
    int known_device_days_;
};

}  // namespace routes
