// Matching requests to routes.
#include "http/router.hpp"

#include <utility>

#include "http/error.hpp"

namespace http {
namespace {

// Matches path against pattern segment by segment, collecting {name} captures.
bool match(std::string_view pattern, std::string_view path,
           std::map<std::string, std::string, std::less<>>& captures) {
    captures.clear();
    while (!pattern.empty() || !path.empty()) {
        if (pattern.empty() || path.empty() || pattern[0] != '/' || path[0] != '/') return false;
        pattern.remove_prefix(1);
        path.remove_prefix(1);
        const size_t pe = pattern.find('/');
        const size_t se = path.find('/');
        std::string_view pseg = pattern.substr(0, pe);
        std::string_view sseg = path.substr(0, se);
        if (pseg.size() > 2 && pseg.front() == '{' && pseg.back() == '}') {
            if (sseg.empty()) return false;
            captures.emplace(std::string(pseg.substr(1, pseg.size() - 2)), std::string(sseg));
        } else if (pseg != sseg) {
            return false;
        }
        pattern = pe == std::string_view::npos ? std::string_view{} : pattern.substr(pe);
        path = se == std::string_view::npos ? std::string_view{} : path.substr(se);
    }
    return true;
}

}  // namespace

Router::Router(std::vector<Route> routes) : routes_(std::move(routes)) {}

size_t Router::resolve(Request& req) const {
    const std::string_view method = req.method == "HEAD" ? "GET" : std::string_view(req.method);
    std::string allow;
    std::map<std::string, std::string, std::less<>> captures;
    for (size_t i = 0; i < routes_.size(); ++i) {
        const auto& route = routes_[i];
        if (!match(route.pattern, req.path, captures)) continue;
        if (route.method == method) {
            req.path_params = std::move(captures);
            req.route_index = static_cast<int>(i);
            return i;
        }
        if (allow.find(route.method) == std::string::npos) {
            if (!allow.empty()) allow += ", ";
            allow += route.method;
            if (route.method == "GET") allow += ", HEAD";
        }
    }
    if (allow.empty()) throw Error::not_found();
    throw Error::method_not_allowed(allow);
}

}  // namespace http
