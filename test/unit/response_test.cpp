#define BOOST_TEST_MODULE unit_response
#include <boost/test/unit_test.hpp>
// Covers http/response: serialize() (status line, headers, Content-Length, HEAD), redirect, html, json.

#include <string>
#include <vector>

#include <jansson.h>

#include "http/response.hpp"

namespace {

// The value of the first header with this name, or "<absent>".
std::string header_of(const http::Response& r, const std::string& name) {
    for (const auto& [n, v] : r.headers)
        if (n == name) return v;
    return "<absent>";
}

}  // namespace

BOOST_AUTO_TEST_CASE(serialize_writes_status_line_headers_length_and_body_in_order) {
    http::Response r;
    r.status = 200;
    r.header("Content-Type", "text/plain").header("X-A", "1");
    r.body = "hello";
    BOOST_TEST(r.serialize() ==
               "Status: 200 OK\r\nContent-Type: text/plain\r\nX-A: 1\r\n"
               "Content-Length: 5\r\n\r\nhello");
}

BOOST_AUTO_TEST_CASE(serialize_uses_the_reason_phrase_of_the_status) {
    const std::vector<std::pair<int, std::string>> cases = {
        {201, "201 Created"}, {204, "204 No Content"}, {303, "303 See Other"},
        {400, "400 Bad Request"}, {401, "401 Unauthorized"}, {403, "403 Forbidden"},
        {404, "404 Not Found"}, {405, "405 Method Not Allowed"},
        {413, "413 Content Too Large"}, {415, "415 Unsupported Media Type"},
        {422, "422 Unprocessable Content"}, {429, "429 Too Many Requests"},
        {500, "500 Internal Server Error"}, {503, "503 Service Unavailable"},
        {299, "299 Unknown"},
    };
    for (const auto& [status, line] : cases) {
        BOOST_TEST_CONTEXT("status " << status) {
            http::Response r;
            r.status = status;
            BOOST_TEST(r.serialize().starts_with("Status: " + line + "\r\n"));
        }
    }
}

BOOST_AUTO_TEST_CASE(serialize_counts_body_bytes_not_characters) {
    http::Response r;
    r.body = "\xC3\xA9t\xC3\xA9";  // "été": 3 characters, 5 bytes
    BOOST_TEST(r.serialize() == "Status: 200 OK\r\nContent-Length: 5\r\n\r\n\xC3\xA9t\xC3\xA9");
}

BOOST_AUTO_TEST_CASE(serialize_of_an_empty_body_has_content_length_zero) {
    http::Response r;
    r.status = 204;
    BOOST_TEST(r.serialize() == "Status: 204 No Content\r\nContent-Length: 0\r\n\r\n");
}

BOOST_AUTO_TEST_CASE(serialize_for_head_omits_the_body_but_keeps_its_length) {
    http::Response r;
    r.body = "0123456789";
    BOOST_TEST(r.serialize(false) == "Status: 200 OK\r\nContent-Length: 10\r\n\r\n");
}

BOOST_AUTO_TEST_CASE(redirect_is_303_with_location_no_store_and_no_body) {
    const auto r = http::Response::redirect("/me");
    BOOST_TEST(r.status == 303);
    BOOST_TEST(header_of(r, "Location") == "/me");
    BOOST_TEST(header_of(r, "Cache-Control") == "no-store");
    BOOST_TEST(r.body.empty());
    BOOST_TEST(r.serialize() ==
               "Status: 303 See Other\r\nLocation: /me\r\nCache-Control: no-store\r\n"
               "Content-Length: 0\r\n\r\n");
}

BOOST_AUTO_TEST_CASE(html_sets_utf8_html_content_type_and_no_store) {
    const auto r = http::Response::html(404, "<p>gone</p>");
    BOOST_TEST(r.status == 404);
    BOOST_TEST(header_of(r, "Content-Type") == "text/html; charset=utf-8");
    BOOST_TEST(header_of(r, "Cache-Control") == "no-store");
    BOOST_TEST(r.body == "<p>gone</p>");
}

BOOST_AUTO_TEST_CASE(json_sets_json_content_type_and_compact_body_in_insertion_order) {
    util::Json doc = util::json_object_value();
    util::json_set(doc, "z", util::json_int(1));
    util::json_set(doc, "a", util::json_str("x"));
    const auto r = http::Response::json(201, doc);
    BOOST_TEST(r.status == 201);
    BOOST_TEST(header_of(r, "Content-Type") == "application/json");
    BOOST_TEST(header_of(r, "Cache-Control") == "no-store");
    BOOST_TEST(r.body == R"({"z":1,"a":"x"})");
}

BOOST_AUTO_TEST_CASE(json_of_an_empty_owner_writes_null) {
    BOOST_TEST(http::Response::json(200, util::Json()).body == "null");
}

BOOST_AUTO_TEST_CASE(header_appends_and_keeps_repeated_names) {
    http::Response r;
    r.header("Set-Cookie", "a=1").header("Set-Cookie", "b=2");
    BOOST_TEST(r.headers.size() == 2u);
    BOOST_TEST(r.serialize().find("Set-Cookie: a=1\r\nSet-Cookie: b=2\r\n") != std::string::npos);
}
