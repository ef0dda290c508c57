// What a handler receives: the request, the services, and what the dispatcher already found
// out about the caller (the logged-in user, or the API client) under the route's policy.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "app/services.hpp"
#include "http/parse.hpp"
#include "http/request.hpp"
#include "model/api_client.hpp"
#include "model/user.hpp"
#include "routes/callers.hpp"
#include "routes/cookies.hpp"
#include "routes/i18n.hpp"

namespace routes {

struct Context {
    Context(app::Services& services, Callers& callers, const Cookies& cookie_policy,
            http::Request& request);

    app::Services& svc;
    Callers& callers;  // who the session cookie or the API token belongs to
    const Cookies& cookies;
    http::Request& req;
    // The session id from the request's cookie, if it carries one (whatever the route).
    std::optional<std::string> session_id;
    // Session routes: the enabled user behind a live session. Set by the dispatcher.
    std::optional<model::User> user;
    // Client routes: the API client whose token holds the route's scope. Set by the dispatcher.
    std::optional<model::ApiClient> client;

    // The user of a session route (the dispatcher guarantees one).
    const model::User& me() const { return *user; }
    Lang lang() const { return choose_lang(req); }
    // The CSRF token of the request's session, for forms ("" without a session).
    std::string csrf_token() const;
    // The urlencoded body, parsed on first use (415 for another type, 400 when malformed).
    const http::Fields& form();

    // The enabled user behind the request's session cookie, or nullopt (no cookie, a garbage
    // or expired id, or an account disabled since: Callers::session_user). Redis or
    // PostgreSQL being down is a 503.
    std::optional<model::User> find_user();
    // Starts a session for a user (after login, registration or a password change), ending
    // the one the request came with, and returns its Set-Cookie value.
    std::string start_session(int64_t user_id, int generation);
    // The id of the known device the request comes from, when its did cookie is valid for the
    // session's user under the given session generation; nullopt otherwise.
    std::optional<std::string> known_device(int generation) const;

private:
    std::optional<http::Fields> form_;
};

}  // namespace routes
