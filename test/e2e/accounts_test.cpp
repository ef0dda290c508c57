// The account lifecycle over HTTP: the static registration form, registering by form and JSON,
// changing the password (form and API) and what that does to every session, the admin page, and
// which pool serves each of these requests.
#define BOOST_TEST_MODULE e2e_accounts
#include <boost/test/unit_test.hpp>

#include <cctype>
#include <regex>
#include <set>
#include <vector>

#include "e2e/fixtures.hpp"
#include "http/parse.hpp"
#include "util/text.hpp"

using namespace testing_support;
using e2e::cookie;
using e2e::EveryResponseChecked;
using e2e::kDemoPassword;

BOOST_TEST_GLOBAL_FIXTURE(EveryResponseChecked);

namespace {

constexpr const char* kRegistrationPassword = "reg-password-7f3a";

std::string form_body(const std::vector<std::pair<std::string, std::string>>& fields) {
    std::string body;
    for (const auto& [name, value] : fields)
        body += (body.empty() ? "" : "&") + name + "=" + util::url_encode(value);
    return body;
}

HttpResponse register_form(const std::string& username, const std::string& display_name,
                           const std::string& email, const std::string& password,
                           const std::vector<std::string>& headers = {}) {
    return post_form("/register",
                     form_body({{"username", username},
                                {"display_name", display_name},
                                {"email", email},
                                {"password", password}}),
                     headers);
}

HttpResponse register_json(const std::string& username, const std::string& display_name,
                           const std::string& email, const std::string& password) {
    util::Json doc{json_object()};
    json_object_set_new(doc.get(), "username", json_string(username.c_str()));
    json_object_set_new(doc.get(), "display_name", json_string(display_name.c_str()));
    json_object_set_new(doc.get(), "email", json_string(email.c_str()));
    json_object_set_new(doc.get(), "password", json_string(password.c_str()));
    return send_json("POST", "/register", util::json_dump(doc.get()));
}

HttpResponse change_password_form(const std::string& sid, const std::string& current,
                                  const std::string& next) {
    return post_form("/password",
                     form_body({{"current_password", current}, {"new_password", next}}) + "&" +
                         e2e::csrf_field(sid),
                     {cookie(sid)});
}

HttpResponse change_password_json(const std::string& sid, const std::string& current,
                                  const std::string& next) {
    util::Json doc{json_object()};
    json_object_set_new(doc.get(), "current_password", json_string(current.c_str()));
    json_object_set_new(doc.get(), "new_password", json_string(next.c_str()));
    return send_json("POST", "/api/v1/me/password", util::json_dump(doc.get()), {cookie(sid)});
}

// True when a form login with these credentials succeeds.
bool can_log_in(const std::string& username, const std::string& password) {
    const auto r = post_form("/login", form_body({{"username", username}, {"password", password}}));
    return r.status == 303 && r.header("location") == "/home" && !r.set_cookie_value("sid").empty();
}

// True when the session still opens /home; a dead one is sent to /login.
bool session_alive(const std::string& sid) {
    const auto r = get("/home", {cookie(sid)});
    BOOST_TEST((r.status == 200 || (r.status == 303 && r.header("location") == "/login")),
               "unexpected /home answer " << r.status);
    return r.status == 200;
}

// The <input> tag of the field with this id ("" when there is none).
std::string input_tag(const std::string& body, const std::string& id) {
    const size_t at = body.find("<input id=\"" + id + "\"");
    if (at == std::string::npos) return "";
    return body.substr(at, body.find('>', at) - at + 1);
}

// The text of the error element that the field's aria-describedby names ("" when none).
std::string field_error(const std::string& body, const std::string& id) {
    const std::string tag = input_tag(body, id);
    const std::string described = "aria-describedby=\"" + id + "-error\"";
    if (tag.find(described) == std::string::npos) return "";
    const size_t at = body.find("id=\"" + id + "-error\"");
    if (at == std::string::npos) return "";
    const size_t start = body.find('>', at) + 1;
    return body.substr(start, body.find('<', start) - start);
}

// The username of a freshly registered account, deleted (with its cached profile) at the end.
class RegisteredName {
  public:
    RegisteredName() : name_("reg-" + random_suffix()), pg_(e2e::login_database_url()) {}
    ~RegisteredName() {
        try {
            auto r =
                pg_.exec_sql("DELETE FROM users WHERE username = '" + name_ + "' RETURNING id");
            if (PQntuples(r.get()) == 1) {
                store::Redis redis(require_env("TEST_CACHE_REDIS_URL"));
                redis.command({"DEL", store::Keys(require_env("TEST_KEY_PREFIX"))
                                          .profile(std::stoll(*store::pg_value(r.get(), 0, 0)))});
            }
        } catch (...) {
            // Never throw from a destructor; the stack and its data go away after the run.
        }
    }
    RegisteredName(const RegisteredName&) = delete;
    RegisteredName& operator=(const RegisteredName&) = delete;

    const std::string& str() const { return name_; }
    std::string upper() const {
        std::string out = name_;
        for (char& c : out) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
        return out;
    }
    // How many accounts carry this name in any letter case.
    int count() {
        auto r = pg_.exec_sql("SELECT count(*) FROM users WHERE lower(username) = '" + name_ + "'");
        return std::stoi(*store::pg_value(r.get(), 0, 0));
    }

  private:
    std::string name_;
    store::Pg pg_;
};

struct AdminRow {
    int64_t id;
    std::string username;
};

// The rows of the admin page's user table, in page order.
std::vector<AdminRow> admin_rows(const std::string& body) {
    // The username links to the user's own page (/admin/users/{id}).
    static const std::regex row(R"(<tr><td>(\d+)</td><td><a href="/admin/users/\1">([^<]*)</a></td>)");
    std::vector<AdminRow> rows;
    for (auto it = std::sregex_iterator(body.begin(), body.end(), row);
         it != std::sregex_iterator(); ++it)
        rows.push_back({std::stoll((*it)[1]), (*it)[2]});
    return rows;
}

// The id in the admin page's "Older users" link, or -1 when there is no such link.
int64_t older_link(const std::string& body) {
    static const std::regex link(R"re(href="/admin\?before=(\d+)")re");
    std::smatch m;
    if (!std::regex_search(body, m, link)) return -1;
    return std::stoll(m[1]);
}

std::string admin_sid() {
    return login("admin1", kDemoPassword);
}

}  // namespace

BOOST_AUTO_TEST_SUITE(registration_page)

BOOST_AUTO_TEST_CASE(get_register_is_the_static_form_and_never_cached) {
    const auto r = get("/register");
    BOOST_TEST(r.status == 200);
    BOOST_TEST(r.header("content-type").starts_with("text/html"));
    BOOST_TEST(r.header("cache-control") == "no-store");
    BOOST_TEST(r.body.find(R"(<form method="post" action="/register">)") != std::string::npos);
    for (const char* name : {"username", "display_name", "email", "password"})
        BOOST_TEST(r.body.find(std::string("name=\"") + name + "\"") != std::string::npos, name);
    BOOST_TEST(r.body.find(R"(type="password")") != std::string::npos);
    BOOST_TEST(r.body.find(R"(minlength="12")") != std::string::npos);
}

BOOST_AUTO_TEST_CASE(get_register_never_reaches_a_worker) {
    const std::string uri = "/register?probe=" + random_suffix();
    BOOST_TEST_REQUIRE(get(uri).status == 200);
    BOOST_TEST(e2e::upstream_of(uri) == "");
}

BOOST_AUTO_TEST_CASE(account_requests_that_hash_go_to_the_auth_pool_and_the_rest_to_the_app_pool) {
    // POST /login is the reference for the auth pool, GET /home for the app pool.
    const std::string probe = "?probe=" + random_suffix();
    post_form("/login" + probe, "");
    get("/home" + probe);
    const std::string auth = e2e::upstream_of("/login" + probe);
    const std::string app = e2e::upstream_of("/home" + probe);
    BOOST_TEST_REQUIRE(!auth.empty());
    BOOST_TEST_REQUIRE(auth != "<not logged>");
    BOOST_TEST_REQUIRE(!app.empty());
    BOOST_TEST_REQUIRE(app != "<not logged>");
    BOOST_TEST_REQUIRE(auth != app);

    post_form("/register" + probe, "");
    post_form("/password" + probe, "");
    send_json("POST", "/api/v1/me/password" + probe, "{}");
    get("/admin" + probe);
    BOOST_TEST(e2e::upstream_of("/register" + probe) == auth);
    BOOST_TEST(e2e::upstream_of("/password" + probe) == auth);
    BOOST_TEST(e2e::upstream_of("/api/v1/me/password" + probe) == auth);
    BOOST_TEST(e2e::upstream_of("/admin" + probe) == app);
    const std::string get_probe = "?probe=" + random_suffix();
    get("/password" + get_probe);
    BOOST_TEST(e2e::upstream_of("/password" + get_probe) == app);
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_AUTO_TEST_SUITE(register_account)

BOOST_AUTO_TEST_CASE(form_registration_logs_in_and_home_shows_the_display_name) {
    RegisteredName name;
    const auto r = register_form(name.upper(), "Reg Person", name.str() + "@example.com",
                                 kRegistrationPassword);
    BOOST_TEST_REQUIRE(r.status == 303);
    BOOST_TEST(r.header("location") == "/home");
    const std::string sid = r.set_cookie_value("sid");
    BOOST_TEST_REQUIRE(sid.size() == 43u);
    BOOST_TEST(r.set_cookie_line("sid").find("HttpOnly") != std::string::npos);
    const auto home = get("/home", {cookie(sid)});
    BOOST_TEST(home.status == 200);
    BOOST_TEST(home.body.find("Welcome, Reg Person") != std::string::npos);
    BOOST_TEST(home.body.find("<dd>" + name.str() + "</dd>") != std::string::npos);  // lower-cased
    BOOST_TEST(can_log_in(name.str(), kRegistrationPassword));
}

BOOST_AUTO_TEST_CASE(json_registration_is_201_with_the_user_and_a_session) {
    RegisteredName name;
    const auto r = register_json(name.upper(), "Json Person", name.str() + "@example.com",
                                 kRegistrationPassword);
    BOOST_TEST_REQUIRE(r.status == 201);
    BOOST_TEST(r.header("content-type") == "application/json");
    auto doc = e2e::json_body(r);
    BOOST_TEST(e2e::json_string(doc.get(), "username") == name.str());
    BOOST_TEST(e2e::json_string(doc.get(), "display_name") == "Json Person");
    BOOST_TEST(e2e::json_string(doc.get(), "email") == name.str() + "@example.com");
    BOOST_TEST(json_is_integer(json_object_get(doc.get(), "id")));
    BOOST_TEST(json_is_true(json_object_get(doc.get(), "enabled")));
    const json_t* roles = json_object_get(doc.get(), "roles");
    BOOST_TEST_REQUIRE(json_is_array(roles));
    BOOST_TEST_REQUIRE(json_array_size(roles) == 1u);
    BOOST_TEST(std::string(json_string_value(json_array_get(roles, 0))) == "user");
    BOOST_TEST(r.body.find("password") == std::string::npos, r.body);
    BOOST_TEST(r.body.find(kRegistrationPassword) == std::string::npos, r.body);

    const std::string sid = r.set_cookie_value("sid");
    BOOST_TEST_REQUIRE(sid.size() == 43u);
    const auto me = get("/api/v1/me", {cookie(sid)});
    BOOST_TEST(me.status == 200);
    BOOST_TEST(e2e::json_string(e2e::json_body(me).get(), "username") == name.str());
}

BOOST_AUTO_TEST_CASE(registering_while_logged_in_ends_the_session_the_browser_had) {
    const e2e::TestUser before;
    const std::string old_sid = before.login();
    RegisteredName name;
    const auto r = register_form(name.str(), "Second Account", name.str() + "@example.com",
                                 kRegistrationPassword, {cookie(old_sid)});
    BOOST_TEST_REQUIRE(r.status == 303);
    BOOST_TEST(r.set_cookie_value("sid") != old_sid);
    BOOST_TEST(!session_alive(old_sid));
    BOOST_TEST(session_alive(r.set_cookie_value("sid")));
}

BOOST_AUTO_TEST_CASE(invalid_form_is_422_and_shows_the_typed_values_but_never_the_password) {
    const std::string password = "never-echo-" + random_suffix();
    const auto r = register_form("x", "Kept <Name>", "not-an-email", password);
    BOOST_TEST(r.status == 422);
    BOOST_TEST(r.header("content-type").starts_with("text/html"));
    BOOST_TEST(r.set_cookie_line("sid") == "");
    BOOST_TEST(input_tag(r.body, "username").find(R"(value="x")") != std::string::npos);
    BOOST_TEST(input_tag(r.body, "display_name").find(R"(value="Kept &lt;Name&gt;")") !=
               std::string::npos);
    BOOST_TEST(input_tag(r.body, "email").find(R"(value="not-an-email")") != std::string::npos);
    BOOST_TEST(input_tag(r.body, "password").find(R"(value="")") != std::string::npos,
               input_tag(r.body, "password"));
    BOOST_TEST(r.body.find(password) == std::string::npos);
    BOOST_TEST(r.body.find("Kept <Name>") == std::string::npos);  // escaped, never raw
}

BOOST_AUTO_TEST_CASE(each_form_error_is_tied_to_its_field) {
    const auto r = register_form("x", "Fine Name", "not-an-email", "long-enough-password");
    BOOST_TEST_REQUIRE(r.status == 422);
    BOOST_TEST(field_error(r.body, "username") == "Username must be 3 to 32 characters.");
    BOOST_TEST(field_error(r.body, "email") == "Email must look like name@example.com.");
    BOOST_TEST(input_tag(r.body, "username").find(R"(aria-invalid="true")") != std::string::npos);
    // The valid fields carry no error.
    BOOST_TEST(input_tag(r.body, "display_name").find("aria-") == std::string::npos);
    BOOST_TEST(input_tag(r.body, "password").find("aria-") == std::string::npos);
    BOOST_TEST(r.body.find(R"(role="alert")") != std::string::npos);
}

BOOST_AUTO_TEST_CASE(short_password_is_422_on_the_password_field_and_creates_nobody) {
    RegisteredName name;
    const auto r =
        register_form(name.str(), "Short Pw", name.str() + "@example.com", "elevenchars");
    BOOST_TEST(r.status == 422);
    BOOST_TEST(field_error(r.body, "password") == "Password must be at least 12 characters.");
    BOOST_TEST(input_tag(r.body, "username").find("value=\"" + name.str() + "\"") !=
               std::string::npos);
    BOOST_TEST(name.count() == 0);
}

BOOST_AUTO_TEST_CASE(username_taken_in_another_case_is_422_taken) {
    const e2e::TestUser existing;
    std::string upper = existing.username();
    for (char& c : upper) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    const auto r = register_form(upper, "Impostor", "impostor@example.com", kRegistrationPassword);
    BOOST_TEST(r.status == 422);
    BOOST_TEST(field_error(r.body, "username") == "This username is taken.");
    BOOST_TEST(input_tag(r.body, "username").find("value=\"" + upper + "\"") != std::string::npos);
    BOOST_TEST(r.set_cookie_line("sid") == "");
    BOOST_TEST(can_log_in(existing.username(), existing.password()));  // untouched

    const auto json =
        register_json(upper, "Impostor", "impostor@example.com", kRegistrationPassword);
    BOOST_TEST(json.status == 422);
    auto doc = e2e::json_body(json);
    const json_t* fields = json_object_get(json_object_get(doc.get(), "error"), "fields");
    BOOST_TEST(e2e::json_string(fields, "username") == "This username is taken.");
}

BOOST_AUTO_TEST_CASE(json_errors_are_422_with_every_field_named) {
    const auto r = register_json("x", "", "not-an-email", "short");
    BOOST_TEST(r.status == 422);
    BOOST_TEST(r.header("content-type") == "application/json");
    BOOST_TEST(r.set_cookie_line("sid") == "");
    auto doc = e2e::json_body(r);
    const json_t* error = json_object_get(doc.get(), "error");
    BOOST_TEST(e2e::json_string(error, "code") == "validation_failed");
    BOOST_TEST(e2e::json_string(error, "message") != "<absent>");
    const json_t* fields = json_object_get(error, "fields");
    BOOST_TEST_REQUIRE(json_is_object(fields));
    BOOST_TEST(json_object_size(fields) == 4u);
    BOOST_TEST(e2e::json_string(fields, "username").find("3 to 32") != std::string::npos);
    BOOST_TEST(e2e::json_string(fields, "display_name") == "Display name is required.");
    BOOST_TEST(e2e::json_string(fields, "email") == "Email must look like name@example.com.");
    BOOST_TEST(e2e::json_string(fields, "password") == "Password must be at least 12 characters.");
}

BOOST_AUTO_TEST_CASE(json_error_on_one_field_creates_nobody) {
    RegisteredName name;
    const auto r = register_json(name.str(), "Ok Name", name.str() + "@example.com", "too-short");
    BOOST_TEST(r.status == 422);
    auto doc = e2e::json_body(r);
    const json_t* fields = json_object_get(json_object_get(doc.get(), "error"), "fields");
    BOOST_TEST(json_object_size(fields) == 1u);
    BOOST_TEST(e2e::json_string(fields, "password") != "<absent>");
    BOOST_TEST(name.count() == 0);
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_AUTO_TEST_SUITE(change_password)

BOOST_AUTO_TEST_CASE(password_form_needs_a_session) {
    const auto r = get("/password");
    BOOST_TEST(r.status == 303);
    BOOST_TEST(r.header("location") == "/login");
    const auto post = post_form("/password", "current_password=a&new_password=b");
    BOOST_TEST(post.status == 303);
    BOOST_TEST(post.header("location") == "/login");
}

BOOST_AUTO_TEST_CASE(password_form_shows_both_fields_to_a_logged_in_user) {
    const e2e::TestUser user;
    const auto r = get("/password", {cookie(user.login())});
    BOOST_TEST(r.status == 200);
    BOOST_TEST(r.header("content-type").starts_with("text/html"));
    BOOST_TEST(r.body.find(R"(<form method="post" action="/password">)") != std::string::npos);
    BOOST_TEST(input_tag(r.body, "current_password").find(R"(type="password")") !=
               std::string::npos);
    BOOST_TEST(input_tag(r.body, "new_password").find(R"(type="password")") != std::string::npos);
}

BOOST_AUTO_TEST_CASE(form_with_a_wrong_current_password_is_422_and_changes_nothing) {
    const e2e::TestUser user;
    const std::string sid = user.login();
    const std::string typed_new = "typed-new-" + random_suffix();
    const auto r = change_password_form(sid, "not-" + user.password(), typed_new);
    BOOST_TEST(r.status == 422);
    BOOST_TEST(field_error(r.body, "current_password") == "The current password is not correct.");
    BOOST_TEST(r.body.find(typed_new) == std::string::npos);
    BOOST_TEST(r.set_cookie_line("sid") == "");
    BOOST_TEST(session_alive(sid));
    BOOST_TEST(can_log_in(user.username(), user.password()));
    BOOST_TEST(!can_log_in(user.username(), typed_new));
}

BOOST_AUTO_TEST_CASE(form_with_a_too_short_new_password_is_422_on_that_field) {
    const e2e::TestUser user;
    const std::string sid = user.login();
    const auto r = change_password_form(sid, user.password(), "short");
    BOOST_TEST(r.status == 422);
    BOOST_TEST(field_error(r.body, "new_password") == "Password must be at least 12 characters.");
    BOOST_TEST(session_alive(sid));
    BOOST_TEST(can_log_in(user.username(), user.password()));
}

BOOST_AUTO_TEST_CASE(form_change_renews_this_session_and_ends_every_other_one) {
    const e2e::TestUser user;
    const std::string other = user.login();  // e.g. another browser
    const std::string sid = user.login();
    BOOST_TEST_REQUIRE(session_alive(other));
    const std::string next = "form-new-" + random_suffix();
    const auto r = change_password_form(sid, user.password(), next);
    BOOST_TEST_REQUIRE(r.status == 303);
    BOOST_TEST(r.header("location") == "/home");
    const std::string renewed = r.set_cookie_value("sid");
    BOOST_TEST_REQUIRE(renewed.size() == 43u);
    BOOST_TEST(renewed != sid);
    BOOST_TEST(session_alive(renewed));
    BOOST_TEST(!session_alive(sid));
    BOOST_TEST(!session_alive(other));
    BOOST_TEST(can_log_in(user.username(), next));
    BOOST_TEST(!can_log_in(user.username(), user.password()));
}

BOOST_AUTO_TEST_CASE(api_change_without_a_session_is_401) {
    const auto r =
        send_json("POST", "/api/v1/me/password",
                  R"({"current_password":"whatever-123","new_password":"whatever-456"})");
    BOOST_TEST(r.status == 401);
    BOOST_TEST(e2e::json_error_code(r) == "unauthorized");
}

BOOST_AUTO_TEST_CASE(api_change_with_a_wrong_current_password_is_422_and_changes_nothing) {
    const e2e::TestUser user;
    const std::string sid = user.login();
    const auto r = change_password_json(sid, "not-" + user.password(), "api-new-password-1");
    BOOST_TEST(r.status == 422);
    auto doc = e2e::json_body(r);
    const json_t* error = json_object_get(doc.get(), "error");
    BOOST_TEST(e2e::json_string(error, "code") == "validation_failed");
    BOOST_TEST(e2e::json_string(json_object_get(error, "fields"), "current_password") ==
               "The current password is not correct.");
    BOOST_TEST(r.set_cookie_line("sid") == "");
    BOOST_TEST(session_alive(sid));
    BOOST_TEST(can_log_in(user.username(), user.password()));
    BOOST_TEST(!can_log_in(user.username(), "api-new-password-1"));
}

BOOST_AUTO_TEST_CASE(api_change_with_a_too_short_new_password_is_422_on_that_field) {
    const e2e::TestUser user;
    const auto r = change_password_json(user.login(), user.password(), "short");
    BOOST_TEST(r.status == 422);
    auto doc = e2e::json_body(r);
    const json_t* fields = json_object_get(json_object_get(doc.get(), "error"), "fields");
    BOOST_TEST(e2e::json_string(fields, "new_password") ==
               "Password must be at least 12 characters.");
    BOOST_TEST(can_log_in(user.username(), user.password()));
}

BOOST_AUTO_TEST_CASE(api_change_renews_this_session_and_ends_every_other_one) {
    const e2e::TestUser user;
    const std::string other = user.login();
    const std::string sid = user.login();
    BOOST_TEST_REQUIRE(get("/api/v1/me", {cookie(other)}).status == 200);
    const std::string next = "api-new-" + random_suffix();
    const auto r = change_password_json(sid, user.password(), next);
    BOOST_TEST_REQUIRE(r.status == 204);
    BOOST_TEST(r.body.empty());
    const std::string renewed = r.set_cookie_value("sid");
    BOOST_TEST_REQUIRE(renewed.size() == 43u);
    BOOST_TEST(renewed != sid);
    BOOST_TEST(get("/api/v1/me", {cookie(renewed)}).status == 200);
    BOOST_TEST(get("/api/v1/me", {cookie(sid)}).status == 401);
    BOOST_TEST(get("/api/v1/me", {cookie(other)}).status == 401);
    BOOST_TEST(!session_alive(sid));
    BOOST_TEST(!session_alive(other));
    BOOST_TEST(can_log_in(user.username(), next));
    BOOST_TEST(!can_log_in(user.username(), user.password()));
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_AUTO_TEST_SUITE(admin_page)

BOOST_AUTO_TEST_CASE(admin_sees_the_newest_users_first) {
    const std::string sid = admin_sid();
    const e2e::TestUser newest("Newest <Person>");
    const auto r = get("/admin", {cookie(sid)});
    BOOST_TEST_REQUIRE(r.status == 200);
    BOOST_TEST(r.header("content-type").starts_with("text/html"));
    const auto rows = admin_rows(r.body);
    BOOST_TEST_REQUIRE(!rows.empty());
    BOOST_TEST(rows.front().id == newest.id());
    BOOST_TEST(rows.front().username == newest.username());
    for (size_t i = 1; i < rows.size(); ++i) BOOST_TEST(rows[i - 1].id > rows[i].id);
    BOOST_TEST(r.body.find("Newest &lt;Person&gt;") != std::string::npos);
    BOOST_TEST(r.body.find("Newest <Person>") == std::string::npos);
}

BOOST_AUTO_TEST_CASE(admin_pages_through_more_than_50_users_with_before) {
    const std::string prefix = "adm-" + random_suffix() + "-";
    store::Pg pg(e2e::login_database_url());
    struct Cleanup {
        store::Pg& pg;
        std::string prefix;
        ~Cleanup() {
            try {
                pg.exec_sql("DELETE FROM users WHERE username LIKE '" + prefix + "%'");
            } catch (...) {
            }
        }
    } cleanup{pg, prefix};
    pg.exec_sql("INSERT INTO users (username, display_name, password_hash) SELECT '" + prefix +
                "' || lpad(i::text, 2, '0'), 'Paging ' || i, 'x' FROM generate_series(1, 55) AS i");
    const std::string sid = admin_sid();

    const auto first = get("/admin", {cookie(sid)});
    BOOST_TEST_REQUIRE(first.status == 200);
    const auto page1 = admin_rows(first.body);
    BOOST_TEST_REQUIRE(page1.size() == 50u);
    const int64_t before = older_link(first.body);
    BOOST_TEST_REQUIRE(before > 0, "no Older users link");
    BOOST_TEST(before == page1.back().id);

    const auto second = get("/admin?before=" + std::to_string(before), {cookie(sid)});
    BOOST_TEST_REQUIRE(second.status == 200);
    const auto page2 = admin_rows(second.body);
    BOOST_TEST_REQUIRE(!page2.empty());
    BOOST_TEST(page2.front().id < before);
    for (size_t i = 1; i < page2.size(); ++i) BOOST_TEST(page2[i - 1].id > page2[i].id);

    // All 55 show up across the two pages, once each.
    std::set<std::string> mine;
    size_t shown = 0;
    for (const auto* page : {&page1, &page2})
        for (const auto& row : *page)
            if (row.username.starts_with(prefix)) {
                mine.insert(row.username);
                ++shown;
            }
    BOOST_TEST(mine.size() == 55u);
    BOOST_TEST(shown == 55u);
    BOOST_TEST(mine.count(prefix + "01") == 1u);
    BOOST_TEST(mine.count(prefix + "55") == 1u);
}

BOOST_AUTO_TEST_CASE(before_the_first_id_is_an_empty_page_without_an_older_link) {
    const auto r = get("/admin?before=1", {cookie(admin_sid())});
    BOOST_TEST(r.status == 200);
    BOOST_TEST(admin_rows(r.body).empty());
    BOOST_TEST(older_link(r.body) == -1);
}

BOOST_AUTO_TEST_CASE(malformed_before_is_400) {
    const std::string sid = admin_sid();
    for (const char* query :
         {"?before=abc", "?before=", "?before=-1", "?before=1.5", "?before=0x10",
          "?before=99999999999999999999", "?before=1&before=2", "?after=1"}) {
        BOOST_TEST_CONTEXT("query " << query) {
            BOOST_TEST(get(std::string("/admin") + query, {cookie(sid)}).status == 400);
        }
    }
}

BOOST_AUTO_TEST_CASE(normal_user_gets_a_403_page) {
    const e2e::TestUser user;
    const auto r = get("/admin", {cookie(user.login())});
    BOOST_TEST(r.status == 403);
    BOOST_TEST(r.header("content-type").starts_with("text/html"));
    BOOST_TEST(r.body.find("administrators") != std::string::npos);
    BOOST_TEST(r.body.find("<table>") == std::string::npos);
    BOOST_TEST(r.body.find(user.username()) == std::string::npos);
}

BOOST_AUTO_TEST_CASE(anonymous_visitor_is_sent_to_login) {
    const auto r = get("/admin");
    BOOST_TEST(r.status == 303);
    BOOST_TEST(r.header("location") == "/login");
    BOOST_TEST(get("/admin?before=abc").status == 303);  // who asks comes before what is asked
}

BOOST_AUTO_TEST_CASE(home_links_admin_only_for_admins_and_change_password_always) {
    const auto admin_home = get("/home", {cookie(admin_sid())});
    BOOST_TEST_REQUIRE(admin_home.status == 200);
    BOOST_TEST(admin_home.body.find(R"(href="/admin">Admin</a>)") != std::string::npos);
    BOOST_TEST(admin_home.body.find(R"(href="/password">Change password</a>)") !=
               std::string::npos);

    const e2e::TestUser user;
    const auto user_home = get("/home", {cookie(user.login())});
    BOOST_TEST_REQUIRE(user_home.status == 200);
    BOOST_TEST(user_home.body.find("/admin") == std::string::npos);
    BOOST_TEST(user_home.body.find(">Admin<") == std::string::npos);
    BOOST_TEST(user_home.body.find(R"(href="/password">Change password</a>)") != std::string::npos);
}

BOOST_AUTO_TEST_SUITE_END()
