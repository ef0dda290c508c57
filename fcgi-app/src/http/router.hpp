// Matching requests to routes: method + path pattern → the route's index. Patterns are literal
// segments and {name} captures ("/api/v1/users/{id}"), matched segment by segment. What a
// route does and who may call it is routes/'s business (routes/routes.cpp).
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "http/request.hpp"
#include "http/response.hpp"

namespace http {

struct Route {
    std::string method;
    std::string pattern;
};

class Router {
public:
    explicit Router(std::vector<Route> routes);

    // The index of the first route matching req, with its captures stored in req.path_params
    // and the index in req.route_index. Throws 404 when no pattern matches and 405 (with
    // Allow) when the path exists under other methods. HEAD matches GET routes.
    size_t resolve(Request& req) const;

    const std::vector<Route>& routes() const { return routes_; }

private:
    std::vector<Route> routes_;
};

}  // namespace http
