// The one way into the handlers: for each request, the same-origin check, the matching row of
// the route table, its caller (session user or API client) and its CSRF rule, then the
// handler with a Context that holds what was found.
#pragma once

#include <vector>

#include "app/services.hpp"
#include "http/request.hpp"
#include "http/response.hpp"
#include "http/router.hpp"
#include "routes/callers.hpp"
#include "routes/cookies.hpp"
#include "routes/policy.hpp"

namespace routes {

class Dispatcher {
public:
    // callers answers who a session cookie or an API token belongs to (the worker's asks the
    // services); table defaults to route_table(); tests may pass their own rows.
    Dispatcher(app::Services& services, Callers& callers, const Cookies& cookies,
               const std::vector<RouteSpec>& table);
    Dispatcher(app::Services& services, Callers& callers, const Cookies& cookies);

    // Answers req, or throws http::Error (404, 405, 401, 403, 429, ...) and store errors for
    // the worker's catch site to map.
    http::Response dispatch(http::Request& req) const;

private:
    app::Services& services_;
    Callers& callers_;
    const Cookies& cookies_;
    const std::vector<RouteSpec>& table_;
    http::Router router_;
};

}  // namespace routes
