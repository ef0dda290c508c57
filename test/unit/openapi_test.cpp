// docs/openapi.yaml lists exactly the JSON API routes the program serves.
#define BOOST_TEST_MODULE unit_openapi
#include <boost/test/unit_test.hpp>

#include <fstream>
#include <set>
#include <string>

#include "config.hpp"
#include "routes/routes.hpp"
#include "service/passwords.hpp"

namespace {

using RouteSet = std::set<std::string>;  // "METHOD /path"

// Reads the path items ("  /path:") and their operations ("    get:") from the document.
RouteSet documented_routes() {
    std::ifstream in(LOGIN_SOURCE_DIR "/docs/openapi.yaml");
    BOOST_REQUIRE_MESSAGE(in, "docs/openapi.yaml is missing");
    RouteSet routes;
    bool in_paths = false;
    std::string path, line;
    while (std::getline(in, line)) {
        if (line == "paths:") {
            in_paths = true;
            continue;
        }
        if (!in_paths) continue;
        if (line.starts_with("  /") && line.ends_with(":")) {
            path = line.substr(2, line.size() - 3);
            continue;
        }
        for (const char* method : {"get", "post", "put", "patch", "delete"}) {
            if (line == std::string("    ") + method + ":") {
                std::string upper(method);
                for (char& c : upper) c = static_cast<char>(c - 'a' + 'A');
                routes.insert(upper + " " + path);
            }
        }
    }
    return routes;
}

bool is_api_route(const std::string& path) {
    return path.starts_with("/api/") || path == "/users" || path.starts_with("/user/");
}

}  // namespace

BOOST_AUTO_TEST_CASE(openapi_document_lists_exactly_the_api_routes_served) {
    RouteSet served;
    for (const auto& route : routes::route_table())
        if (is_api_route(route.pattern))
            served.insert(std::string(route.method) + " " + route.pattern);
    const RouteSet documented = documented_routes();
    BOOST_TEST(documented.size() >= 8u);
    for (const auto& r : served) BOOST_TEST_CONTEXT(r) { BOOST_TEST(documented.contains(r)); }
    for (const auto& r : documented) BOOST_TEST_CONTEXT(r) { BOOST_TEST(served.contains(r)); }
}
