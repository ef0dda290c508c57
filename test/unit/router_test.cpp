#define BOOST_TEST_MODULE unit_router
#include <boost/test/unit_test.hpp>
// Covers http/router: exact and {name} matching, path_params, 404, 405 with Allow, HEAD via GET.

#include <string>
#include <vector>

#include "http/error.hpp"
#include "http/router.hpp"

namespace {

// Each route's name, in table order, so a test can see which route matched.
const std::vector<std::string> kNames = {"home",  "login page", "login submit", "logout",
                                         "user",  "patch user", "user role",    "delete thing"};

const http::Router& router() {
    static const http::Router r({
        {"GET", "/"},
        {"GET", "/login"},
        {"POST", "/login"},
        {"POST", "/logout"},
        {"GET", "/api/v1/users/{id}"},
        {"PATCH", "/api/v1/users/{id}"},
        {"GET", "/api/v1/users/{id}/roles/{role}"},
        {"DELETE", "/things/{id}"},
    });
    return r;
}

http::Request request(std::string method, std::string path) {
    http::Request req;
    req.method = std::move(method);
    req.path = std::move(path);
    return req;
}

std::string dispatch(const std::string& method, const std::string& path) {
    auto req = request(method, path);
    return kNames.at(router().resolve(req));
}

auto has_status(int status) {
    return [status](const http::Error& e) { return e.status() == status; };
}

// The Allow header of the 405 that dispatch throws, or "" if it throws something else.
std::string allow_of_405(const std::string& method, const std::string& path) {
    auto req = request(method, path);
    try {
        router().resolve(req);
    } catch (const http::Error& e) {
        if (e.status() != 405) return "";
        for (const auto& [name, value] : e.headers())
            if (name == "Allow") return value;
    }
    return "";
}

}  // namespace

BOOST_AUTO_TEST_CASE(exact_path_and_method_run_that_route) {
    BOOST_TEST(dispatch("GET", "/") == "home");
    BOOST_TEST(dispatch("GET", "/login") == "login page");
    BOOST_TEST(dispatch("POST", "/login") == "login submit");
    BOOST_TEST(dispatch("POST", "/logout") == "logout");
}

BOOST_AUTO_TEST_CASE(capture_segment_is_stored_in_path_params) {
    auto req = request("GET", "/api/v1/users/42");
    BOOST_TEST(kNames.at(router().resolve(req)) == "user");
    BOOST_TEST(req.path_params.size() == 1u);
    BOOST_TEST(req.path_params.at("id") == "42");
}

BOOST_AUTO_TEST_CASE(several_captures_are_all_stored) {
    auto req = request("GET", "/api/v1/users/7/roles/admin");
    BOOST_TEST(kNames.at(router().resolve(req)) == "user role");
    BOOST_TEST(req.path_params.at("id") == "7");
    BOOST_TEST(req.path_params.at("role") == "admin");
}

BOOST_AUTO_TEST_CASE(capture_takes_the_segment_verbatim) {
    auto req = request("GET", "/api/v1/users/a.b-c%20d");
    router().resolve(req);
    BOOST_TEST(req.path_params.at("id") == "a.b-c%20d");
}

BOOST_AUTO_TEST_CASE(unknown_paths_are_404) {
    const std::vector<std::string> paths = {
        "/nope", "", "/login/extra", "/api/v1/users", "/api/v1/users/1/roles",
        "/api/v1/users/1/other/x", "/LOGIN", "login", "//",
    };
    for (const auto& path : paths) {
        BOOST_TEST_CONTEXT("path: " << path) {
            BOOST_CHECK_EXCEPTION(dispatch("GET", path), http::Error, has_status(404));
        }
    }
}

BOOST_AUTO_TEST_CASE(trailing_slash_is_a_different_path) {
    BOOST_CHECK_EXCEPTION(dispatch("GET", "/login/"), http::Error, has_status(404));
    BOOST_CHECK_EXCEPTION(dispatch("GET", "/api/v1/users/1/"), http::Error, has_status(404));
}

BOOST_AUTO_TEST_CASE(empty_capture_segment_does_not_match) {
    BOOST_CHECK_EXCEPTION(dispatch("GET", "/api/v1/users/"), http::Error, has_status(404));
    BOOST_CHECK_EXCEPTION(dispatch("GET", "/api/v1/users//roles/admin"), http::Error,
                          has_status(404));
}

BOOST_AUTO_TEST_CASE(known_path_with_another_method_is_405) {
    BOOST_CHECK_EXCEPTION(dispatch("PUT", "/login"), http::Error, has_status(405));
    BOOST_CHECK_EXCEPTION(dispatch("GET", "/logout"), http::Error, has_status(405));
}

BOOST_AUTO_TEST_CASE(allow_header_of_405_lists_the_path_s_methods_and_head_with_get) {
    BOOST_TEST(allow_of_405("DELETE", "/login") == "GET, HEAD, POST");
    BOOST_TEST(allow_of_405("GET", "/logout") == "POST");
    BOOST_TEST(allow_of_405("POST", "/api/v1/users/9") == "GET, HEAD, PATCH");
    BOOST_TEST(allow_of_405("GET", "/things/1") == "DELETE");
}

BOOST_AUTO_TEST_CASE(head_request_is_served_by_the_get_route) {
    BOOST_TEST(dispatch("HEAD", "/login") == "login page");
    auto req = request("HEAD", "/api/v1/users/5");
    BOOST_TEST(kNames.at(router().resolve(req)) == "user");
    BOOST_TEST(req.path_params.at("id") == "5");
}

BOOST_AUTO_TEST_CASE(head_request_without_a_get_route_is_405) {
    BOOST_TEST(allow_of_405("HEAD", "/logout") == "POST");
}

BOOST_AUTO_TEST_CASE(method_is_matched_case_sensitively) {
    BOOST_CHECK_EXCEPTION(dispatch("get", "/login"), http::Error, has_status(405));
}

BOOST_AUTO_TEST_CASE(first_matching_route_in_table_order_wins) {
    const http::Router r({
        {"GET", "/users/me"},
        {"GET", "/users/{id}"},
    });
    auto me = request("GET", "/users/me");
    BOOST_TEST(r.resolve(me) == 0u);
    auto other = request("GET", "/users/12");
    BOOST_TEST(r.resolve(other) == 1u);
    BOOST_TEST(other.route_index == 1);
}

BOOST_AUTO_TEST_CASE(path_params_hold_only_the_matching_route_s_captures) {
    const http::Router r({
        {"POST", "/a/{x}"},
        {"GET", "/a/{y}"},
    });
    auto req = request("GET", "/a/1");
    BOOST_TEST(r.resolve(req) == 1u);
    BOOST_TEST(req.path_params.size() == 1u);
    BOOST_TEST(req.path_params.count("y") == 1u);
}
