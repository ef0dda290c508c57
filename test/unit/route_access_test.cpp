#define BOOST_TEST_MODULE unit_route_access
#include <boost/test/unit_test.hpp>
// Drives every row of the route table through the real dispatcher and the worker's catch site
// (app::handle_request), without a stack: who calls is answered by fixed Callers, and each
// row's handler is replaced by a probe that says it ran and what the dispatcher handed it. For
// each row and each caller (anonymous, user, admin, API client with and without the row's
// scope, the user's browser on another site, a form without its token) the test checks the
// one status the row's policy gives. The handlers themselves are the e2e tests' business.

#include <map>
#include <string>
#include <vector>

#include "app/services.hpp"
#include "config.hpp"
#include "routes/callers.hpp"
#include "routes/cookies.hpp"
#include "routes/csrf.hpp"
#include "routes/dispatch.hpp"
#include "routes/routes.hpp"
#include "service/api_clients.hpp"
#include "worker.hpp"

namespace {

using routes::Access;

const std::string kUserSession = "user-session-id";
const std::string kAdminSession = "admin-session-id";
const std::string kReadToken = "lgn_read_token_for_the_route_access_test_0000000";
const std::string kWriteToken = "lgn_write_token_for_the_route_access_test_000000";

// The store-backed answers, fixed: two live sessions and two clients, one scope each.
class FixedCallers final : public routes::Callers {
public:
    std::optional<model::User> session_user(const std::string& session_id) override {
        model::User user;
        if (session_id == kUserSession) {
            user.id = 7;
            return user;
        }
        if (session_id == kAdminSession) {
            user.id = 1;
            user.roles = {"admin"};
            return user;
        }
        return std::nullopt;  // unknown, expired or ended
    }

    std::optional<model::ApiClient> token_client(const http::Request&, std::string_view token,
                                                 std::optional<std::string_view>) override {
        model::ApiClient client;
        if (token == kReadToken) {
            client.name = "reader";
            client.scopes = {service::kScopeUsersRead};
            return client;
        }
        if (token == kWriteToken) {
            client.name = "writer";
            client.scopes = {service::kScopeUsersWrite};
            return client;
        }
        return std::nullopt;
    }
};

// Stands in for every handler: "ran <row> user=<id|-> client=<name|->".
http::Response probe(routes::Context& ctx) {
    return http::Response::html(
        200, "ran " + std::to_string(ctx.req.route_index) +
                 " user=" + (ctx.user ? std::to_string(ctx.user->id) : "-") +
                 " client=" + (ctx.client ? ctx.client->name : "-"));
}

std::vector<routes::RouteSpec> probed_table() {
    auto rows = routes::route_table();
    for (auto& row : rows) row.handler = probe;
    return rows;
}

// Stores that are never reached: if the dispatcher asked one, the answer would be a 503.
app::Config offline_config() {
    const std::map<std::string, std::string> env = {
        {"LOGIN_DATABASE_URL", "postgresql://nobody@127.0.0.1:1/none"},
        {"LOGIN_REDIS_URL", "redis://127.0.0.1:1/0"},
        {"LOGIN_SECRET_KEY", "route-access-test-key-0123456789abcdef"},
    };
    return app::config_from_env([&env](const char* name) -> std::optional<std::string> {
        auto it = env.find(name);
        if (it == env.end()) return std::nullopt;
        return it->second;
    });
}

bool is_safe(std::string_view method) { return method == "GET" || method == "HEAD"; }

std::string concrete_path(std::string path) {
    for (auto at = path.find("{id}"); at != std::string::npos; at = path.find("{id}"))
        path.replace(at, 4, "42");
    return path;
}

enum class Caller {
    anonymous,
    user,
    admin,
    client_with_scope,     // a token holding the row's scope (the read scope off client rows)
    client_without_scope,  // a token holding another scope
    cross_site,            // the user's session cookie, sent from a page of another site
    no_form_token,         // a form posted with a session (admin's) but without its csrf_token
};

const char* name(Caller caller) {
    switch (caller) {
        case Caller::anonymous: return "anonymous";
        case Caller::user: return "user";
        case Caller::admin: return "admin";
        case Caller::client_with_scope: return "client with the scope";
        case Caller::client_without_scope: return "client without the scope";
        case Caller::cross_site: return "cross-site";
        case Caller::no_form_token: return "form without its token";
    }
    return "?";
}

struct Fixture {
    app::Config config = offline_config();
    service::Passwords passwords{config.scrypt};
    app::Services services{config, passwords};
    FixedCallers callers;
    routes::Cookies cookies{false, 30};
    std::vector<routes::RouteSpec> table = probed_table();
    routes::Dispatcher dispatcher{services, callers, cookies, table};

    // The cookie header that carries session_id, as the browser got it.
    std::string session_cookie(const std::string& session_id) {
        http::Request plain;
        const std::string set_cookie = cookies.session(plain, session_id);
        return set_cookie.substr(0, set_cookie.find(';'));
    }

    http::Request request(const routes::RouteSpec& row, Caller caller) {
        http::Request req;
        req.method = row.method;
        req.path = concrete_path(row.pattern);
        req.remote_addr = "192.0.2.10";
        req.request_id = "route-access";
        std::string session;
        if (caller == Caller::user || caller == Caller::cross_site) session = kUserSession;
        if (caller == Caller::admin || caller == Caller::no_form_token) session = kAdminSession;
        if (!session.empty()) req.headers["cookie"] = session_cookie(session);
        if (caller == Caller::client_with_scope || caller == Caller::client_without_scope) {
            const bool wants_write = std::string_view(row.scope) == service::kScopeUsersWrite;
            const bool holds_write = wants_write == (caller == Caller::client_with_scope);
            req.headers["authorization"] = "Bearer " + (holds_write ? kWriteToken : kReadToken);
            req.headers["accept"] = "application/json";
        }
        req.headers["sec-fetch-site"] = caller == Caller::cross_site ? "cross-site" : "same-origin";
        if (!is_safe(row.method)) {
            req.headers["content-type"] = "application/x-www-form-urlencoded";
            if (!session.empty() && caller != Caller::no_form_token)
                req.body = "csrf_token=" + routes::csrf_token(services.signer, session);
        }
        return req;
    }
};

// The one status the policy gives a caller on a row: 200 when the probe ran.
int expected_status(const routes::RouteSpec& row, Caller caller) {
    const bool safe = is_safe(row.method);
    // Refused before routing: a state-changing request from another site's page.
    if (caller == Caller::cross_site && !safe) return 403;
    if (caller == Caller::no_form_token && row.csrf == routes::Csrf::form_token) return 403;
    const bool has_session = caller == Caller::user || caller == Caller::admin ||
                             caller == Caller::cross_site || caller == Caller::no_form_token;
    const bool is_admin = caller == Caller::admin || caller == Caller::no_form_token;
    switch (row.access) {
        case Access::anonymous:
        case Access::nginx_internal:  // nginx's `internal` fences it, not the worker
            return 200;
        case Access::session_page:
            return has_session ? 200 : 303;
        case Access::admin_page:
            return !has_session ? 303 : is_admin ? 200 : 403;
        case Access::session_api:
            return has_session ? 200 : 401;
        case Access::client:
            return caller == Caller::client_with_scope      ? 200
                   : caller == Caller::client_without_scope ? 403
                                                            : 401;  // a cookie is no token
    }
    return -1;
}

// What the probe must have been handed when it ran.
std::string expected_probe(int index, const routes::RouteSpec& row, Caller caller) {
    std::string user = "-";
    std::string client = "-";
    const bool session_row = row.access == Access::session_page ||
                             row.access == Access::admin_page || row.access == Access::session_api;
    if (session_row) user = (caller == Caller::user || caller == Caller::cross_site) ? "7" : "1";
    if (row.access == Access::client)
        client = std::string_view(row.scope) == service::kScopeUsersWrite ? "writer" : "reader";
    return "ran " + std::to_string(index) + " user=" + user + " client=" + client;
}

std::string header_of(const http::Response& resp, std::string_view name) {
    for (const auto& [key, value] : resp.headers)
        if (key == name) return value;
    return "";
}

const Caller kCallers[] = {Caller::anonymous,          Caller::user,       Caller::admin,
                           Caller::client_with_scope,  Caller::client_without_scope,
                           Caller::cross_site,         Caller::no_form_token};

}  // namespace

BOOST_FIXTURE_TEST_CASE(every_route_answers_each_caller_as_its_row_declares, Fixture) {
    for (size_t i = 0; i < table.size(); ++i) {
        const auto& row = table[i];
        for (Caller caller : kCallers) {
            BOOST_TEST_CONTEXT(row.method << " " << row.pattern << " as " << name(caller)) {
                http::Request req = request(row, caller);
                const http::Response resp = app::handle_request(dispatcher, req);
                const int want = expected_status(row, caller);
                BOOST_TEST(resp.status == want);
                if (want == 200)
                    BOOST_TEST(resp.body == expected_probe(static_cast<int>(i), row, caller));
                if (want == 303) BOOST_TEST(header_of(resp, "Location") == "/login");
                if (want == 401 && row.access == Access::client)
                    BOOST_TEST(header_of(resp, "WWW-Authenticate").starts_with("Bearer"));
            }
        }
    }
}

BOOST_FIXTURE_TEST_CASE(an_unknown_session_is_anonymous_and_a_wrong_token_is_401, Fixture) {
    for (const auto& row : table) {
        if (row.access != Access::session_api && row.access != Access::client) continue;
        BOOST_TEST_CONTEXT(row.method << " " << row.pattern) {
            http::Request req = request(row, Caller::anonymous);
            if (row.access == Access::session_api)
                req.headers["cookie"] = session_cookie("ended-or-forged-session");
            else
                req.headers["authorization"] = "Bearer lgn_forged_token_0000000000000000000000000";
            BOOST_TEST(app::handle_request(dispatcher, req).status == 401);
        }
    }
}

BOOST_FIXTURE_TEST_CASE(a_form_token_of_another_session_is_refused, Fixture) {
    for (const auto& row : table) {
        if (row.csrf != routes::Csrf::form_token) continue;
        BOOST_TEST_CONTEXT(row.method << " " << row.pattern) {
            http::Request req = request(row, Caller::admin);
            req.body = "csrf_token=" + routes::csrf_token(services.signer, kUserSession);
            BOOST_TEST(app::handle_request(dispatcher, req).status == 403);
        }
    }
}

BOOST_FIXTURE_TEST_CASE(paths_and_methods_outside_the_table_are_404_and_405, Fixture) {
    http::Request unknown;
    unknown.method = "GET";
    unknown.path = "/no/such/route";
    BOOST_TEST(app::handle_request(dispatcher, unknown).status == 404);
    http::Request wrong_method;
    wrong_method.method = "PUT";
    wrong_method.path = "/home";
    BOOST_TEST(app::handle_request(dispatcher, wrong_method).status == 405);
}
