#define BOOST_TEST_MODULE unit_request
#include <boost/test/unit_test.hpp>
// Covers http/request: building a Request from CGI parameters, media_type() and wants_json().

#include <string>
#include <vector>

#include "http/request.hpp"

namespace {

// Builds a Request from "NAME=value" strings, as libfcgi hands them over (nullptr-terminated).
http::Request from_env(const std::vector<std::string>& params) {
    std::vector<const char*> envp;
    for (const auto& p : params) envp.push_back(p.c_str());
    envp.push_back(nullptr);
    return http::request_from_cgi_env(envp.data());
}

http::Request with_content_type(const std::string& value) {
    http::Request req;
    req.headers["content-type"] = value;
    return req;
}

}  // namespace

BOOST_AUTO_TEST_CASE(cgi_env_sets_method_path_query_address_and_request_id) {
    const auto req = from_env({"REQUEST_METHOD=POST", "DOCUMENT_URI=/login",
                               "REQUEST_URI=/login?next=%2Fme", "QUERY_STRING=next=%2Fme",
                               "REMOTE_ADDR=192.0.2.7", "REQUEST_ID=abc123"});
    BOOST_TEST(req.method == "POST");
    BOOST_TEST(req.path == "/login");
    BOOST_TEST(req.query == "next=%2Fme");
    BOOST_TEST(req.remote_addr == "192.0.2.7");
    BOOST_TEST(req.request_id == "abc123");
    BOOST_TEST(req.body.empty());
    BOOST_TEST(req.path_params.empty());
}

BOOST_AUTO_TEST_CASE(cgi_env_prefers_document_uri_over_request_uri) {
    const auto req = from_env({"REQUEST_URI=/raw/%2e%2e/x?q=1", "DOCUMENT_URI=/x"});
    BOOST_TEST(req.path == "/x");
}

BOOST_AUTO_TEST_CASE(cgi_env_falls_back_to_request_uri_without_its_query) {
    BOOST_TEST(from_env({"REQUEST_URI=/api/v1/me?x=1&y=2"}).path == "/api/v1/me");
    BOOST_TEST(from_env({"REQUEST_URI=/plain"}).path == "/plain");
}

BOOST_AUTO_TEST_CASE(cgi_env_with_an_empty_document_uri_falls_back_to_request_uri) {
    BOOST_TEST(from_env({"DOCUMENT_URI=", "REQUEST_URI=/fallback?q"}).path == "/fallback");
}

BOOST_AUTO_TEST_CASE(cgi_env_maps_http_variables_to_lower_case_dashed_header_names) {
    const auto req = from_env({"HTTP_ACCEPT=text/html", "HTTP_X_FORWARDED_FOR=198.51.100.1",
                               "HTTP_COOKIE=sid=abc", "HTTP_USER_AGENT=curl/8"});
    BOOST_TEST(req.header("accept").value() == "text/html");
    BOOST_TEST(req.header("x-forwarded-for").value() == "198.51.100.1");
    BOOST_TEST(req.header("cookie").value() == "sid=abc");
    BOOST_TEST(req.header("user-agent").value() == "curl/8");
    BOOST_TEST(req.headers.size() == 4u);
}

BOOST_AUTO_TEST_CASE(cgi_env_maps_content_type_and_length_to_headers) {
    const auto req = from_env({"CONTENT_TYPE=application/json", "CONTENT_LENGTH=17"});
    BOOST_TEST(req.header("content-type").value() == "application/json");
    BOOST_TEST(req.header("content-length").value() == "17");
}

BOOST_AUTO_TEST_CASE(cgi_env_keeps_everything_after_the_first_equals_sign_in_a_value) {
    const auto req = from_env({"QUERY_STRING=a=1&b==2", "HTTP_COOKIE=k=v=w"});
    BOOST_TEST(req.query == "a=1&b==2");
    BOOST_TEST(req.header("cookie").value() == "k=v=w");
}

BOOST_AUTO_TEST_CASE(cgi_env_ignores_entries_without_equals_and_unknown_variables) {
    const auto req = from_env({"GARBAGE", "SERVER_SOFTWARE=nginx", "REQUEST_METHOD=GET"});
    BOOST_TEST(req.method == "GET");
    BOOST_TEST(req.headers.empty());
}

BOOST_AUTO_TEST_CASE(cgi_env_of_nullptr_is_an_empty_request) {
    const auto req = http::request_from_cgi_env(nullptr);
    BOOST_TEST(req.method.empty());
    BOOST_TEST(req.path.empty());
    BOOST_TEST(req.headers.empty());
}

BOOST_AUTO_TEST_CASE(header_is_nullopt_when_absent) {
    const auto req = from_env({"HTTP_ACCEPT=*/*"});
    BOOST_TEST(!req.header("cookie").has_value());
}

BOOST_AUTO_TEST_CASE(media_type_strips_parameters_and_spaces_and_lower_cases) {
    const std::vector<std::pair<std::string, std::string>> cases = {
        {"application/json", "application/json"},
        {"application/json; charset=utf-8", "application/json"},
        {"Application/JSON;charset=UTF-8", "application/json"},
        {"  text/HTML  ; q=1", "text/html"},
        {"application/x-www-form-urlencoded", "application/x-www-form-urlencoded"},
        {"", ""},
        {";charset=utf-8", ""},
    };
    for (const auto& [header, expected] : cases) {
        BOOST_TEST_CONTEXT("content-type: " << header) {
            BOOST_TEST(with_content_type(header).media_type() == expected);
        }
    }
}

BOOST_AUTO_TEST_CASE(media_type_is_empty_without_content_type) {
    BOOST_TEST(http::Request{}.media_type().empty());
}

BOOST_AUTO_TEST_CASE(wants_json_for_api_paths) {
    http::Request req;
    req.path = "/api/v1/me";
    req.headers["accept"] = "text/html";
    BOOST_TEST(req.wants_json());
}

BOOST_AUTO_TEST_CASE(wants_json_for_a_json_content_type) {
    auto req = with_content_type("Application/Json; charset=utf-8");
    req.path = "/login";
    BOOST_TEST(req.wants_json());
}

BOOST_AUTO_TEST_CASE(wants_json_follows_accept_unless_html_is_also_accepted) {
    const std::vector<std::pair<std::string, bool>> cases = {
        {"application/json", true},
        {"application/json, */*;q=0.1", true},
        {"text/html,application/xhtml+xml,application/json;q=0.9", false},
        {"text/html", false},
        {"*/*", false},
    };
    for (const auto& [accept, expected] : cases) {
        BOOST_TEST_CONTEXT("accept: " << accept) {
            http::Request req;
            req.path = "/login";
            req.headers["accept"] = accept;
            BOOST_TEST(req.wants_json() == expected);
        }
    }
}

BOOST_AUTO_TEST_CASE(wants_json_is_false_for_a_plain_page_request) {
    http::Request req;
    req.path = "/login";
    BOOST_TEST(!req.wants_json());
    req.path = "/api";  // no trailing slash: not under /api/
    BOOST_TEST(!req.wants_json());
    auto form = with_content_type("application/x-www-form-urlencoded");
    form.path = "/login";
    BOOST_TEST(!form.wants_json());
}
