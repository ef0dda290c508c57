// The route table: method + path pattern → handler. Patterns are literal segments and
// {name} captures ("/api/v1/users/{id}"), matched segment by segment.
#pragma once

#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "http/request.hpp"
#include "http/response.hpp"

namespace http {

using Handler = std::function<Response(Request&)>;

struct Route {
    std::string method;
    std::string pattern;
    Handler handler;
};

class Router {
public:
    explicit Router(std::vector<Route> routes);

    // Runs the handler for req, with captures stored in req.path_params. Throws 404 when no
    // pattern matches and 405 (with Allow) when the path exists under other methods.
    // HEAD is served by the GET handler.
    Response dispatch(Request& req) const;

    const std::vector<Route>& routes() const { return routes_; }

private:
    std::vector<Route> routes_;
};

}  // namespace http
