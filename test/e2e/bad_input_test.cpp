// Hostile and malformed requests: bad encodings, wrong types and media types, oversized fields
// and bodies, unknown routes and methods, garbage cookies. Each gets its 4xx and none a 5xx.
#define BOOST_TEST_MODULE e2e_bad_input
#include <boost/test/data/monomorphic.hpp>
#include <boost/test/data/test_case.hpp>
#include <boost/test/unit_test.hpp>
#include <ostream>
#include <vector>

#include "e2e/fixtures.hpp"
#include "util/crypto.hpp"

using namespace testing_support;
namespace data = boost::unit_test::data;
using e2e::cookie;
using e2e::EveryResponseChecked;

BOOST_TEST_GLOBAL_FIXTURE(EveryResponseChecked);

namespace {

enum class Format { html, json, any };

// One bad request and what must come back. Bodies go out exactly as written.
struct BadRequest {
    const char* name;
    std::string method;
    std::string path;
    std::string content_type;  // "" sends no Content-Type at all
    std::string body;
    bool logged_in;  // sends the session cookie of a throw-away user
    long min_status;
    long max_status;
    Format format;
};

std::ostream& operator<<(std::ostream& os, const BadRequest& c) {
    return os << c.name;
}

constexpr const char* kForm = "application/x-www-form-urlencoded";
constexpr const char* kJson = "application/json";

std::string repeat(const std::string& piece, size_t n) {
    std::string out;
    for (size_t i = 0; i < n; ++i) out += piece;
    return out;
}

// A session of a user of its own, so that no bad request can touch the demo accounts.
const std::string& session_id() {
    static const e2e::TestUser user("Bad Input Target");
    static const std::string sid = user.login();
    return sid;
}

HttpResponse send_bad(const BadRequest& c) {
    std::vector<std::string> headers;
    headers.push_back("Content-Type: " + c.content_type);  // "Content-Type: " alone removes it
    std::string body = c.body;
    if (c.logged_in) {
        headers.push_back(cookie(session_id()));
        // Authenticated forms carry their CSRF token, so that the row tests what it names.
        if (c.content_type == kForm) body += "&" + e2e::csrf_field(session_id());
    }
    return send({c.method, c.path, headers, body, !body.empty() || c.method != "GET"});
}

// One request per line, so the table reads as one.
// clang-format off
const std::vector<BadRequest> kBadBodies = {
    // Encodings
    {"form_with_a_bad_percent_escape", "POST", "/login", kForm, "username=%zz&password=x", false, 400, 400, Format::html},
    {"form_with_a_truncated_percent_escape", "POST", "/login", kForm, "username=user1&password=ab%2", false, 400, 400, Format::html},
    {"form_with_invalid_utf8_in_a_field", "POST", "/login", kForm, "username=user1&password=%ff", false, 400, 400, Format::html},
    {"form_with_invalid_utf8_in_the_username", "POST", "/login", kForm, "username=%c3%28&password=x", false, 400, 400, Format::html},
    {"malformed_json", "POST", "/login", kJson, R"({"username":)", false, 400, 400, Format::json},
    {"json_array_body", "POST", "/login", kJson, R"([{"username":"user1","password":"x"}])", false, 400, 400, Format::json},
    {"json_string_body", "POST", "/login", kJson, R"("user1")", false, 400, 400, Format::json},
    {"json_with_an_unknown_field", "POST", "/login", kJson, R"({"username":"user1","password":"x","remember":true})", false, 400, 400, Format::json},
    {"json_with_a_duplicate_field", "POST", "/login", kJson, R"({"username":"user1","username":"admin1","password":"x"})", false, 400, 400, Format::json},
    {"json_with_raw_invalid_utf8", "POST", "/login", kJson, "{\"username\":\"user1\",\"password\":\"\xff\"}", false, 400, 400, Format::json},
    {"json_with_a_lone_surrogate_escape", "POST", "/login", kJson, R"({"username":"user1","password":"\udc00"})", false, 400, 400, Format::json},
    {"json_with_trailing_garbage", "POST", "/login", kJson, R"({"username":"user1","password":"x"} and more)", false, 400, 400, Format::json},
    {"json_with_an_overflowing_number", "POST", "/login", kJson, R"({"username":1e999,"password":"x"})", false, 400, 400, Format::json},
    {"json_nested_too_deeply", "POST", "/login", kJson, R"({"username":)" + repeat(R"({"a":)", 20) + "1" + std::string(20, '}') + R"(,"password":"x"})", false, 400, 400, Format::json},
    {"empty_json_body", "POST", "/login", kJson, "", false, 400, 400, Format::json},
    {"form_with_too_many_fields", "POST", "/login", kForm, repeat("f=1&", 40) + "username=user1&password=x", false, 400, 400, Format::html},
    {"json_with_a_nul_escape", "POST", "/login", kJson, R"({"username":"user1\u0000x","password":"x"})", false, 400, 400, Format::json},
    // Types
    {"json_login_with_a_number_username", "POST", "/login", kJson, R"({"username":5,"password":"x"})", false, 422, 422, Format::json},
    {"json_login_with_a_null_password", "POST", "/login", kJson, R"({"username":"user1","password":null})", false, 422, 422, Format::json},
    {"patch_me_with_a_number_display_name", "PATCH", "/api/v1/me", kJson, R"({"display_name":5})", true, 422, 422, Format::json},
    {"patch_me_with_a_number_email", "PATCH", "/api/v1/me", kJson, R"({"email":5})", true, 422, 422, Format::json},
    {"patch_me_with_a_roles_field", "PATCH", "/api/v1/me", kJson, R"({"roles":["admin"]})", true, 400, 400, Format::json},
    {"patch_me_with_a_json_array", "PATCH", "/api/v1/me", kJson, R"([{"display_name":"x"}])", true, 400, 400, Format::json},
    {"patch_me_with_malformed_json", "PATCH", "/api/v1/me", kJson, R"({"display_name":"x")", true, 400, 400, Format::json},
    {"patch_me_with_invalid_utf8", "PATCH", "/api/v1/me", kJson, "{\"display_name\":\"\xc3\x28\"}", true, 400, 400, Format::json},
    {"patch_me_with_a_control_character", "PATCH", "/api/v1/me", kJson, R"({"display_name":"a\u0007b"})", true, 422, 422, Format::json},
    {"patch_me_with_a_c1_control_in_the_email", "PATCH", "/api/v1/me", kJson, R"({"email":"a\u0085b@example.com"})", true, 422, 422, Format::json},
    {"patch_me_with_a_line_separator_in_the_email", "PATCH", "/api/v1/me", kJson, R"({"email":"ab@example.com\u2028"})", true, 422, 422, Format::json},
    {"patch_me_with_a_101_character_display_name", "PATCH", "/api/v1/me", kJson, R"({"display_name":")" + std::string(101, 'n') + R"("})", true, 422, 422, Format::json},
    // Media types
    {"login_as_text_plain", "POST", "/login", "text/plain", "username=user1&password=x", false, 415, 415, Format::html},
    {"login_without_a_content_type", "POST", "/login", "", "username=user1&password=x", false, 415, 415, Format::html},
    {"patch_me_as_text_plain", "PATCH", "/api/v1/me", "text/plain", R"({"display_name":"x"})", true, 415, 415, Format::json},
    {"patch_me_as_a_form", "PATCH", "/api/v1/me", kForm, "display_name=x", true, 415, 415, Format::json},
    {"profile_form_as_json", "POST", "/profile", kJson, R"({"display_name":"x"})", true, 415, 415, Format::any},
    // Missing and oversized fields
    {"form_without_a_username", "POST", "/login", kForm, "password=x", false, 400, 400, Format::html},
    {"form_without_a_password", "POST", "/login", kForm, "username=user1", false, 400, 400, Format::html},
    {"form_with_empty_values", "POST", "/login", kForm, "username=&password=", false, 400, 400, Format::html},
    {"empty_form", "POST", "/login", kForm, "", false, 400, 400, Format::html},
    {"json_without_a_password", "POST", "/login", kJson, R"({"username":"user1"})", false, 400, 400, Format::json},
    {"json_without_a_username", "POST", "/login", kJson, R"({"password":"x"})", false, 400, 400, Format::json},
    {"empty_json_object", "POST", "/login", kJson, "{}", false, 400, 400, Format::json},
    {"password_of_129_characters", "POST", "/login", kForm, "username=user1&password=" + std::string(129, 'p'), false, 400, 400, Format::html},
    {"password_of_129_two_byte_characters", "POST", "/login", kForm, "username=user1&password=" + repeat("%C3%A9", 129), false, 400, 400, Format::html},
    {"json_password_of_129_characters", "POST", "/login", kJson, R"({"username":"user1","password":")" + std::string(129, 'p') + R"("})", false, 400, 400, Format::json},
    {"username_of_129_bytes", "POST", "/login", kForm, "username=" + std::string(129, 'u') + "&password=x", false, 400, 400, Format::html},
    {"json_password_with_a_trailing_nul", "POST", "/login", kJson, R"({"username":"user1","password":"demo-pass-123\u0000"})", false, 400, 400, Format::json},
    {"form_password_with_a_trailing_nul", "POST", "/login", kForm, "username=user1&password=demo-pass-123%00", false, 400, 400, Format::html},
    {"register_password_of_129_characters", "POST", "/register", kJson, R"({"username":"long-pw-user","display_name":"L","email":"l@example.com","password":")" + std::string(129, 'p') + R"("})", false, 422, 422, Format::json},
    {"current_password_of_129_characters", "POST", "/api/v1/me/password", kJson, R"({"current_password":")" + std::string(129, 'p') + R"(","new_password":"a-new-password-1"})", true, 422, 422, Format::json},
    {"new_password_of_129_characters", "POST", "/api/v1/me/password", kJson, R"({"current_password":"x","new_password":")" + std::string(129, 'p') + R"("})", true, 422, 422, Format::json},
    {"patch_me_email_with_a_current_password_of_129_characters", "PATCH", "/api/v1/me", kJson, R"({"email":"new-address@example.com","current_password":")" + std::string(129, 'p') + R"("})", true, 422, 422, Format::json},
    {"form_current_password_of_129_characters", "POST", "/password", kForm, "current_password=" + std::string(129, 'p') + "&new_password=a-new-password-1", true, 422, 422, Format::html},
    // Nesting: 16 levels are parsed (then the type is wrong: 422), 17 are refused unparsed (400).
    {"json_nested_16_levels", "POST", "/login", kJson, R"({"username":)" + repeat(R"({"a":)", 15) + "1" + std::string(15, '}') + R"(,"password":"x"})", false, 422, 422, Format::json},
    {"json_nested_17_levels", "POST", "/login", kJson, R"({"username":)" + repeat(R"({"a":)", 16) + "1" + std::string(16, '}') + R"(,"password":"x"})", false, 400, 400, Format::json},
    {"json_nested_arrays_2000_deep", "PATCH", "/api/v1/me", kJson, R"({"roles":)" + std::string(2000, '[') + std::string(2000, ']') + "}", true, 400, 400, Format::json},  // as deep as 4 KiB allows
    {"form_with_33_fields", "POST", "/login", kForm, repeat("f=1&", 31) + "username=user1&password=x", false, 400, 400, Format::html},
    {"profile_form_with_33_fields", "POST", "/profile", kForm, repeat("f=1&", 30) + "display_name=x&email=", true, 400, 400, Format::html},  // + csrf_token
    // Oversized bodies, exactly 413: the app refuses more than 16 KiB, nginx more than 64 KiB, and
    // more than 4 KiB on the password-hashing routes.
    {"form_body_over_the_app_limit", "POST", "/logout", kForm, "x=" + std::string(17 * 1024, 'p'), false, 413, 413, Format::html},
    {"json_body_over_the_app_limit", "DELETE", "/api/v1/me/sessions", kJson, R"({"x":")" + std::string(17 * 1024, 'n') + R"("})", true, 413, 413, Format::json},
    {"form_body_over_the_hashing_limit", "POST", "/login", kForm, "username=user1&password=" + std::string(5 * 1024, 'p'), false, 413, 413, Format::any},
    {"json_body_over_the_hashing_limit", "PATCH", "/api/v1/me", kJson, R"({"display_name":")" + std::string(5 * 1024, 'n') + R"("})", true, 413, 413, Format::any},
    {"form_body_over_the_nginx_limit", "POST", "/logout", kForm, "x=" + std::string(65 * 1024, 'p'), false, 413, 413, Format::any},
    {"json_body_over_the_nginx_limit", "PATCH", "/api/v1/users/1", kJson, R"({"display_name":")" + std::string(65 * 1024, 'n') + R"("})", false, 413, 413, Format::any},
    // Unknown routes: the API answers in JSON, everything else in HTML.
    {"unknown_api_route", "GET", "/api/v1/nope", "", "", false, 404, 404, Format::json},
    {"unknown_api_subroute", "GET", "/api/v1/me/extra", "", "", true, 404, 404, Format::json},
    {"unknown_page", "GET", "/nope", "", "", false, 404, 404, Format::html},
    {"unknown_page_below_a_known_one", "GET", "/home/extra", "", "", true, 404, 404, Format::html},
    {"unknown_static_file", "GET", "/static/nope.css", "", "", false, 404, 404, Format::any},
};
// clang-format on

}  // namespace

BOOST_DATA_TEST_CASE(bad_request_gets_its_4xx_in_the_expected_format, data::make(kBadBodies), c) {
    const auto r = send_bad(c);
    BOOST_TEST(r.status < 500);
    BOOST_TEST(r.status >= c.min_status, r.status << " " << r.body.substr(0, 300));
    BOOST_TEST(r.status <= c.max_status, r.status << " " << r.body.substr(0, 300));
    const std::string type = r.header("content-type");
    if (c.format == Format::json) {
        BOOST_TEST(type == "application/json");
        BOOST_TEST(e2e::json_error_code(r) != "<absent>");
    } else if (c.format == Format::html) {
        BOOST_TEST(type.starts_with("text/html"), type);
    }
}

BOOST_AUTO_TEST_CASE(form_with_32_fields_is_parsed) {
    // The boundary of the 33-field cases above: a wrong password, not a bad request.
    const auto r = post_form("/login", repeat("f=1&", 30) + "username=nobody-32-fields&password=x");
    BOOST_TEST(r.status == 303);
    BOOST_TEST(r.header("location") == "/login?error=1");
}

BOOST_AUTO_TEST_CASE(oversized_current_password_is_refused_for_its_length_not_checked) {
    // The message proves no hash was computed: a checked password would be "not correct".
    const auto r = send_json("POST", "/api/v1/me/password",
                             R"({"current_password":")" + std::string(129, 'p') +
                                 R"(","new_password":"a-new-password-1"})",
                             {cookie(session_id())});
    BOOST_TEST(r.status == 422);
    BOOST_TEST(r.body.find("at most 128") != std::string::npos, r.body);
}

BOOST_AUTO_TEST_CASE(header_larger_than_nginx_header_buffers_is_refused_with_400) {
    BOOST_TEST(get("/home", {"X-Padding: " + std::string(9000, 'a')}).status == 400);
    // Four buffers of 8 KiB hold all the headers of a request: more is refused too.
    std::vector<std::string> many;
    for (int i = 0; i < 6; ++i) many.push_back("X-Padding-" + std::to_string(i) + ": " + std::string(7000, 'a'));
    BOOST_TEST(get("/home", many).status == 400);
}

BOOST_AUTO_TEST_CASE(password_of_128_characters_is_checked_rather_than_refused) {
    // The boundary of the 129-character cases above: a wrong password, not a bad request.
    const auto ascii = post_form("/login", "username=user1&password=" + std::string(128, 'p'));
    BOOST_TEST(ascii.status == 303);
    BOOST_TEST(ascii.header("location") == "/login?error=1");
    const auto multibyte = post_form("/login", "username=user1&password=" + repeat("%C3%A9", 128));
    BOOST_TEST(multibyte.status == 303);
    BOOST_TEST(multibyte.header("location") == "/login?error=1");
}

namespace {

struct WrongMethod {
    std::string method;
    std::string path;
    std::string allow;  // the exact Allow header expected
    Format format;
};

std::ostream& operator<<(std::ostream& os, const WrongMethod& c) {
    return os << c.method << ' ' << c.path;
}

const std::vector<WrongMethod> kWrongMethods = {
    {"DELETE", "/api/v1/me", "GET, HEAD, PATCH", Format::json},
    {"POST", "/api/v1/me", "GET, HEAD, PATCH", Format::json},
    {"GET", "/logout", "POST", Format::html},
    {"POST", "/home", "GET, HEAD", Format::html},
    {"PUT", "/profile", "GET, HEAD, POST", Format::html},
};

}  // namespace

BOOST_DATA_TEST_CASE(wrong_method_is_405_with_an_allow_header, data::make(kWrongMethods), c) {
    const auto r = send({c.method, c.path, {}, "", false});
    BOOST_TEST(r.status == 405);
    BOOST_TEST(r.header("allow") == c.allow);
    if (c.format == Format::json)
        BOOST_TEST(r.header("content-type") == "application/json");
    else
        BOOST_TEST(r.header("content-type").starts_with("text/html"));
}

namespace {

struct GarbageCookie {
    const char* name;
    std::string header;  // the whole Cookie header value
};

std::ostream& operator<<(std::ostream& os, const GarbageCookie& c) {
    return os << c.name;
}

const std::vector<GarbageCookie> kGarbageCookies = {
    {"word", "sid=garbage"},
    {"random_session_shaped_id", "sid=" + util::random_token(32)},
    {"empty_value", "sid="},
    {"quoted_empty_value", "sid=\"\""},
    {"session_shaped_id_with_a_bad_character", "sid=" + std::string(42, 'a') + "!"},
    {"huge_value", "sid=" + std::string(6000, 'a')},
    {"many_cookies", repeat("x=1; ", 200) + "sid=garbage"},
    {"no_equals_sign", "sid"},
    {"only_separators", ";;;; ; ;"},
};

}  // namespace

BOOST_DATA_TEST_CASE(garbage_cookie_counts_as_logged_out_on_pages, data::make(kGarbageCookies), c) {
    const auto r = get("/home", {"Cookie: " + c.header});
    BOOST_TEST(r.status == 303);
    BOOST_TEST(r.header("location") == "/login");
}

BOOST_DATA_TEST_CASE(garbage_cookie_counts_as_logged_out_on_the_api, data::make(kGarbageCookies),
                     c) {
    const auto r = get("/api/v1/me", {"Cookie: " + c.header});
    BOOST_TEST(r.status == 401);
    BOOST_TEST(e2e::json_error_code(r) == "unauthorized");
}

BOOST_AUTO_TEST_CASE(cookie_larger_than_nginx_header_buffers_is_refused_with_400) {
    const auto r = get("/home", {"Cookie: sid=" + std::string(9000, 'a')});
    BOOST_TEST(r.status == 400);
}

BOOST_AUTO_TEST_CASE(garbage_cookie_next_to_a_valid_one_does_not_hide_the_session) {
    // Browsers send other sites' junk too; only the first sid counts.
    const auto r =
        get("/home", {"Cookie: theme=\"dark; x; =y; sid=" + session_id() + "; sid=garbage"});
    BOOST_TEST(r.status == 200);
}
