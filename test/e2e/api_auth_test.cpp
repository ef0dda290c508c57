// Who may call the REST API: bearer tokens and the legacy application/api-token header pair,
// revocation that takes effect at once, rotation with two tokens, and scopes.
#define BOOST_TEST_MODULE e2e_api_auth
#include <boost/test/data/monomorphic.hpp>
#include <boost/test/data/test_case.hpp>
#include <boost/test/unit_test.hpp>
#include <ostream>
#include <vector>

#include "e2e/api_fixtures.hpp"
#include "util/crypto.hpp"

using namespace testing_support;
namespace data = boost::unit_test::data;
using e2e::ApiClient;
using e2e::bearer;
using e2e::kDemoClient;
using e2e::kDemoToken;

using e2e::EveryApiResponseChecked;
BOOST_TEST_GLOBAL_FIXTURE(EveryApiResponseChecked);

namespace {

// A cheap request that needs the scope users:read.
constexpr const char* kListPath = "/api/v1/users?limit=1";

HttpResponse list_with(const std::vector<std::string>& headers) {
    return get(kListPath, headers);
}

// True when r is the API's 401: a JSON error with a Bearer challenge.
void check_unauthorized(const HttpResponse& r) {
    BOOST_TEST(r.status == 401);
    BOOST_TEST(r.header("www-authenticate").starts_with("Bearer "), r.header("www-authenticate"));
    BOOST_TEST(r.header("content-type").starts_with("application/json"));
    BOOST_TEST(e2e::json_error_code(r) == "unauthorized");
}

// One set of credentials the API must refuse.
struct BadCredentials {
    const char* name;
    std::vector<std::string> headers;
};

std::ostream& operator<<(std::ostream& os, const BadCredentials& c) {
    return os << c.name;
}

const std::string kDemo = kDemoToken;

// clang-format off
const std::vector<BadCredentials> kBadCredentials = {
    {"no_credentials", {}},
    {"wrong_bearer_token", {bearer("lgn_this-token-was-never-issued-0123456789")}},
    {"demo_token_with_one_character_changed", {bearer(kDemo.substr(0, kDemo.size() - 1) + "0")}},
    {"demo_token_with_a_suffix", {bearer(kDemo + "x")}},
    {"over_long_token", {bearer(std::string(300, 'a'))}},
    {"basic_scheme", {"Authorization: Basic x"}},
    {"basic_scheme_with_the_demo_token", {"Authorization: Basic " + kDemo}},
    {"bearer_alone", {"Authorization: Bearer"}},
    {"bearer_and_spaces", {"Authorization: Bearer    "}},
    {"token_without_a_scheme", {"Authorization: " + kDemo}},
    {"legacy_wrong_application_right_token", {"application: not-reporting", "api-token: " + kDemo}},
    {"legacy_right_application_wrong_token", {std::string("application: ") + kDemoClient, "api-token: wrong-token"}},
    {"legacy_token_without_application", {"api-token: " + kDemo}},
    {"legacy_application_without_token", {std::string("application: ") + kDemoClient}},
    {"legacy_application_in_upper_case", {"application: REPORTING", "api-token: " + kDemo}},
};
// clang-format on

// Every route of the REST API for other systems, with a body where it takes one.
struct Route {
    const char* name;
    std::string method;
    std::string path;
};

std::ostream& operator<<(std::ostream& os, const Route& r) {
    return os << r.name;
}

const std::vector<Route> kApiRoutes = {
    {"list_users", "GET", "/api/v1/users"},
    {"get_user", "GET", "/api/v1/users/1"},
    {"patch_user", "PATCH", "/api/v1/users/1"},
};

const std::vector<Route> kAliasRoutes = {
    {"list_users_alias", "GET", "/users"},
    {"get_user_alias", "GET", "/user/1"},
};

HttpResponse call_without_credentials(const Route& r) {
    if (r.method == "PATCH") return send_json(r.method, r.path, R"({"display_name":"Nobody"})");
    return send({r.method, r.path, {}, "", false});
}

}  // namespace

BOOST_AUTO_TEST_SUITE(credentials)

BOOST_DATA_TEST_CASE(refused_credentials_get_401_with_a_bearer_challenge,
                     data::make(kBadCredentials), c) {
    check_unauthorized(list_with(c.headers));
}

BOOST_DATA_TEST_CASE(every_api_route_without_credentials_is_401_with_a_bearer_challenge,
                     data::make(kApiRoutes), route) {
    check_unauthorized(call_without_credentials(route));
}

BOOST_DATA_TEST_CASE(alias_route_without_credentials_is_401_with_a_bearer_challenge,
                     data::make(kAliasRoutes), route) {
    check_unauthorized(call_without_credentials(route));
}

BOOST_AUTO_TEST_CASE(demo_bearer_token_lists_users) {
    const auto r = list_with({bearer(kDemoToken)});
    BOOST_TEST(r.status == 200);
    BOOST_TEST(r.header("content-type").starts_with("application/json"));
}

BOOST_AUTO_TEST_CASE(bearer_scheme_name_is_case_insensitive) {
    BOOST_TEST(list_with({std::string("Authorization: bearer ") + kDemoToken}).status == 200);
    BOOST_TEST(list_with({std::string("Authorization: BEARER ") + kDemoToken}).status == 200);
}

BOOST_AUTO_TEST_CASE(legacy_application_and_api_token_headers_authenticate) {
    const auto r = list_with(
        {std::string("application: ") + kDemoClient, std::string("api-token: ") + kDemoToken});
    BOOST_TEST(r.status == 200);
}

BOOST_AUTO_TEST_CASE(legacy_headers_accept_only_the_application_that_owns_the_token) {
    const ApiClient other({"users:read"});
    BOOST_TEST(list_with({"application: " + other.name(), "api-token: " + other.token()}).status ==
               200);
    check_unauthorized(
        list_with({std::string("application: ") + kDemoClient, "api-token: " + other.token()}));
    check_unauthorized(
        list_with({"application: " + other.name(), std::string("api-token: ") + kDemoToken}));
}

BOOST_AUTO_TEST_CASE(session_cookie_does_not_open_the_users_api) {
    const e2e::TestUser user;
    check_unauthorized(list_with({e2e::cookie(user.login())}));
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_AUTO_TEST_SUITE(token_lifecycle)

BOOST_AUTO_TEST_CASE(new_client_token_lists_users) {
    const ApiClient client({"users:read"});
    BOOST_TEST(client.token().starts_with("lgn_"), client.token());
    BOOST_TEST(list_with({client.auth()}).status == 200);
}

BOOST_AUTO_TEST_CASE(revoked_token_is_refused_immediately) {
    const ApiClient client({"users:read"});
    // Used once first, so that the token sits in the server's token cache when it is revoked.
    BOOST_TEST_REQUIRE(list_with({client.auth()}).status == 200);
    client.revoke();
    check_unauthorized(list_with({client.auth()}));
}

BOOST_AUTO_TEST_CASE(revoked_token_is_refused_through_the_legacy_headers_too) {
    const ApiClient client({"users:read"});
    const std::vector<std::string> legacy = {"application: " + client.name(),
                                             "api-token: " + client.token()};
    BOOST_TEST_REQUIRE(list_with(legacy).status == 200);
    client.revoke();
    check_unauthorized(list_with(legacy));
}

BOOST_AUTO_TEST_CASE(both_tokens_of_a_client_work) {
    const ApiClient client({"users:read"});
    const std::string second = client.add_token();
    BOOST_TEST(second != client.token());
    BOOST_TEST(list_with({client.auth()}).status == 200);
    BOOST_TEST(list_with({bearer(second)}).status == 200);
}

BOOST_AUTO_TEST_CASE(revoking_the_old_token_leaves_the_new_one_working) {
    const ApiClient client({"users:read"});
    const std::string second = client.add_token();
    BOOST_TEST_REQUIRE(list_with({client.auth()}).status == 200);
    BOOST_TEST_REQUIRE(list_with({bearer(second)}).status == 200);
    const auto ids = client.token_ids();
    BOOST_TEST_REQUIRE(ids.size() == 2u);
    client.revoke(ids.front());  // the first token, from `client create`
    check_unauthorized(list_with({client.auth()}));
    BOOST_TEST(list_with({bearer(second)}).status == 200);
}

BOOST_AUTO_TEST_CASE(revoking_a_client_ends_all_its_tokens) {
    const ApiClient client({"users:read"});
    const std::string second = client.add_token();
    BOOST_TEST_REQUIRE(list_with({bearer(second)}).status == 200);
    client.revoke();
    check_unauthorized(list_with({client.auth()}));
    check_unauthorized(list_with({bearer(second)}));
}

BOOST_AUTO_TEST_CASE(revoking_another_client_leaves_the_demo_token_working) {
    const ApiClient client({"users:read"});
    client.revoke();
    BOOST_TEST(list_with({bearer(kDemoToken)}).status == 200);
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_AUTO_TEST_SUITE(scopes)

BOOST_AUTO_TEST_CASE(read_only_token_on_patch_is_403_insufficient_scope_and_changes_nothing) {
    const e2e::TestUser user("Unchanged Name");
    const std::string path = "/api/v1/users/" + std::to_string(user.id());
    const auto r =
        send_json("PATCH", path, R"({"display_name":"Changed Name"})", {bearer(kDemoToken)});
    BOOST_TEST(r.status == 403);
    BOOST_TEST(e2e::json_error_code(r) == "insufficient_scope");
    const std::string challenge = r.header("www-authenticate");
    BOOST_TEST(challenge.starts_with("Bearer "), challenge);
    BOOST_TEST(challenge.find(R"(error="insufficient_scope")") != std::string::npos, challenge);
    BOOST_TEST(challenge.find(R"(scope="users:write")") != std::string::npos, challenge);
    const auto after = get(path, {bearer(kDemoToken)});
    BOOST_TEST_REQUIRE(after.status == 200);
    BOOST_TEST(e2e::json_string(e2e::json_body(after).get(), "display_name") == "Unchanged Name");
}

BOOST_AUTO_TEST_CASE(read_only_legacy_headers_on_patch_are_403) {
    const e2e::TestUser user;
    const auto r = send_json(
        "PATCH", "/api/v1/users/" + std::to_string(user.id()), R"({"display_name":"Changed Name"})",
        {std::string("application: ") + kDemoClient, std::string("api-token: ") + kDemoToken});
    BOOST_TEST(r.status == 403);
    BOOST_TEST(e2e::json_error_code(r) == "insufficient_scope");
}

BOOST_AUTO_TEST_CASE(write_only_token_cannot_read) {
    const ApiClient writer({"users:write"});
    const auto r = list_with({writer.auth()});
    BOOST_TEST(r.status == 403);
    BOOST_TEST(r.header("www-authenticate").find(R"(error="insufficient_scope")") !=
               std::string::npos);
}

BOOST_AUTO_TEST_CASE(read_write_token_may_patch) {
    const e2e::TestUser user;
    const ApiClient writer({"users:read", "users:write"});
    const auto r = send_json("PATCH", "/api/v1/users/" + std::to_string(user.id()),
                             R"({"display_name":"Written"})", {writer.auth()});
    BOOST_TEST(r.status == 200);
}

BOOST_AUTO_TEST_SUITE_END()

// Finding 6 of the second security review: every made-up token cost a query on the primary, and
// nothing limited unauthenticated API traffic (100 random tokens gave 100 lookups).
BOOST_AUTO_TEST_SUITE(pre_authentication)

// How many token lookups the workers have run on PostgreSQL so far (pg_stat_statements).
int64_t token_lookups() {
    store::Pg pg(e2e::login_database_url());
    auto r = pg.exec_sql(
        "SELECT coalesce(sum(calls), 0) FROM pg_stat_statements "
        "WHERE query LIKE 'WITH used AS (UPDATE api_tokens%'");
    return std::stoll(store::pg_value(r.get(), 0, 0).value_or("-1"));
}

HttpResponse list_from(const std::string& source, const std::string& token) {
    return send({"GET", kListPath, {bearer(token)}, "", false, source});
}

BOOST_AUTO_TEST_CASE(a_token_of_the_wrong_shape_costs_no_lookup) {
    const std::string from = e2e::fresh_loopback_address();
    const int64_t before = token_lookups();
    BOOST_TEST_REQUIRE(before >= 0);
    for (int i = 0; i < 50; ++i) {
        check_unauthorized(list_from(from, "not a token " + std::to_string(i)));  // spaces
        check_unauthorized(list_from(from, "short" + std::to_string(i)));         // under 32
        check_unauthorized(list_from(from, std::string(129, 'a') + std::to_string(i)));
    }
    BOOST_TEST(token_lookups() == before);
}

BOOST_AUTO_TEST_CASE(a_made_up_token_costs_one_lookup_in_30_seconds_however_often_it_is_sent) {
    const std::string from = e2e::fresh_loopback_address();
    std::vector<std::string> tokens;
    for (int i = 0; i < 50; ++i) tokens.push_back("lgn_" + util::random_token(32));
    const int64_t before = token_lookups();
    for (int round = 0; round < 3; ++round)
        for (const auto& t : tokens) check_unauthorized(list_from(from, t));
    BOOST_TEST(token_lookups() == before + 50);
}

BOOST_AUTO_TEST_CASE(one_address_flooding_the_api_gets_a_json_429_and_others_do_not) {
    const std::string from = e2e::fresh_loopback_address();
    const HttpRequest flood{"GET", kListPath, {bearer("x")}, "", false, from};
    HttpResponse refused;
    int sent = 0;
    // 20 at a time: well beyond 100 a second on any machine; the burst allows 400 at once.
    while (refused.status == 0 && sent < 10000) {
        for (auto& r : send_concurrently(flood, 20))
            if (r.status == 429 && refused.status == 0) refused = std::move(r);
        sent += 20;
    }
    BOOST_TEST_REQUIRE(refused.status == 429);
    BOOST_TEST(sent > 400);
    BOOST_TEST(refused.header("retry-after") == "1");
    BOOST_TEST(e2e::json_error_code(refused) == "too_many_requests");
    BOOST_TEST(list_with({bearer(kDemoToken)}).status == 200);  // from 127.0.0.1
}

BOOST_AUTO_TEST_SUITE_END()
