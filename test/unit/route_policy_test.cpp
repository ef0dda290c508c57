#define BOOST_TEST_MODULE unit_route_policy
#include <boost/test/unit_test.hpp>
// Covers the route table's policy columns (routes/routes.cpp): every state-changing route is
// defended against cross-site requests unless only a token (or nginx itself) can call it, scopes appear exactly
// on client routes, and the routes that hash a password are the auth pool's.

#include <set>
#include <string>

#include "routes/routes.hpp"
#include "service/api_clients.hpp"

namespace {

bool is_safe(std::string_view method) { return method == "GET" || method == "HEAD"; }

std::string key(const routes::RouteSpec& row) { return std::string(row.method) + " " + row.pattern; }

}  // namespace

BOOST_AUTO_TEST_CASE(state_changing_routes_have_a_csrf_defence_unless_token_only) {
    for (const auto& row : routes::route_table()) {
        BOOST_TEST_CONTEXT(key(row)) {
            if (is_safe(row.method))
                BOOST_TEST(routes::name(row.csrf) == "none");
            else if (row.access == routes::Access::client ||
                     row.access == routes::Access::nginx_internal)
                BOOST_TEST(routes::name(row.csrf) == "none");  // no cookie can call it
            else
                BOOST_TEST(routes::name(row.csrf) != "none");
        }
    }
}

BOOST_AUTO_TEST_CASE(session_page_forms_carry_the_form_token) {
    for (const auto& row : routes::route_table())
        if (!is_safe(row.method) && (row.access == routes::Access::session_page ||
                                     row.access == routes::Access::admin_page))
            BOOST_TEST_CONTEXT(key(row)) { BOOST_TEST(routes::name(row.csrf) == "form-token"); }
}

BOOST_AUTO_TEST_CASE(scopes_appear_exactly_on_client_routes_and_are_known) {
    for (const auto& row : routes::route_table()) {
        BOOST_TEST_CONTEXT(key(row)) {
            if (row.access == routes::Access::client)
                BOOST_TEST(service::is_known_scope(row.scope));
            else
                BOOST_TEST(std::string(row.scope).empty());
        }
    }
}

BOOST_AUTO_TEST_CASE(exactly_the_password_hashing_routes_run_in_the_auth_pool) {
    const std::set<std::string> hashing = {"POST /login",   "POST /register",
                                           "POST /profile", "POST /password",
                                           "PATCH /api/v1/me", "POST /api/v1/me/password",
                                           "POST /password/reset", "POST /api/v1/password/reset",
                                           "POST /mfa/disable",    "DELETE /api/v1/me/mfa"};
    std::set<std::string> auth;
    for (const auto& row : routes::route_table())
        if (row.pool == routes::Pool::auth) auth.insert(key(row));
    BOOST_TEST(auth == hashing);
}

BOOST_AUTO_TEST_CASE(every_method_and_path_appears_once) {
    std::set<std::string> seen;
    for (const auto& row : routes::route_table())
        BOOST_TEST_CONTEXT(key(row)) { BOOST_TEST(seen.insert(key(row)).second); }
}

// The access column pinned by path, so that a row cannot quietly open up: route_access_test
// checks that the dispatcher enforces the column, this test that the column says the right thing.
BOOST_AUTO_TEST_CASE(who_may_call_follows_the_path) {
    auto starts = [](std::string_view path, std::string_view prefix) {
        return path.substr(0, prefix.size()) == prefix;
    };
    for (const auto& row : routes::route_table()) {
        const std::string_view path = row.pattern;
        BOOST_TEST_CONTEXT(key(row)) {
            BOOST_TEST((row.access == routes::Access::admin_page) == starts(path, "/admin"));
            BOOST_TEST((row.access == routes::Access::session_api) == starts(path, "/api/v1/me"));
            BOOST_TEST((row.access == routes::Access::client) ==
                       (starts(path, "/api/v1/users") || starts(path, "/users") ||
                        starts(path, "/user/")));
            BOOST_TEST((row.access == routes::Access::nginx_internal) == starts(path, "/internal/"));
        }
    }
}
