// Fault: PostgreSQL goes away. Logged-in users still get /home and the API from the cache;
// writes, new logins and registrations answer 503 with Retry-After and change nothing; once
// PostgreSQL is back, writes work again without any restart.
#define BOOST_TEST_MODULE fault_postgres_down
#include "fault/fault_fixtures.hpp"

using namespace fault;

namespace {

constexpr const char* kToken = "Authorization: Bearer dev-reporting-token-0123456789abcdef";

}  // namespace

BOOST_AUTO_TEST_CASE(postgres_down_serves_reads_from_cache_and_refuses_writes_cleanly) {
    SteadyLoad load({.users = 3, .writes = false});
    const std::string user_path = "/api/v1/users/" + std::to_string(load.user(0).id());
    BOOST_REQUIRE(testing_support::get(user_path, {kToken}).status == 200);  // warm token + profile
    const std::string new_name = "reg-" + testing_support::random_suffix();
    const std::string csrf = e2e::csrf_field(load.session(1));  // read while the page still works
    // The same email address: a new one would also need the current password.
    std::string email = load.user(1).email();
    email.replace(email.find('@'), 1, "%40");
    Restore restore{"postgres"};
    std::this_thread::sleep_for(300ms);

    const double down_at = load.now();
    stack_part("stop", "postgres");
    std::this_thread::sleep_for(300ms);

    auto api = testing_support::get(user_path, {kToken});
    BOOST_TEST(api.status == 200);
    auto patch = testing_support::send_json("PATCH", "/api/v1/me",
                                            R"({"display_name":"Written While Down"})",
                                            {e2e::cookie(load.session(0))});
    BOOST_TEST(patch.status == 503);
    BOOST_TEST(patch.header("retry-after") != "");
    auto form = testing_support::post_form("/profile", "display_name=Also+While+Down&email=" + email + "&" + csrf,
                                           {e2e::cookie(load.session(1))});
    BOOST_TEST(form.status == 503);
    auto login = testing_support::post_form(
        "/login", "username=" + load.user(2).username() + "&password=" + load.user(2).password());
    BOOST_TEST(login.status == 503);
    BOOST_TEST(login.header("retry-after") != "");
    auto reg = testing_support::send_json(
        "POST", "/register",
        R"({"username":")" + new_name +
            R"(","display_name":"Nobody","email":")" + new_name +
            R"(@example.com","password":"a long enough password"})");
    BOOST_TEST(reg.status == 503);
    BOOST_TEST(readiness() == "unavailable");
    std::this_thread::sleep_for(1000ms);

    stack_part("start", "postgres");
    const double up_at = load.now();
    const auto recovered = time_until(
        [&] {
            return testing_support::send_json("PATCH", "/api/v1/me", R"({"display_name":"Back"})",
                                              {e2e::cookie(load.session(0))})
                       .status == 200;
        },
        15000ms);
    BOOST_TEST(recovered.has_value(), "writes did not work again within 15 s");
    load.stop();

    const auto all = load.samples();
    const auto failed = load.between(0, 1e9, SteadyLoad::failed);
    BOOST_TEST(failed.size() == 0u, failed.size() << " of " << all.size()
                                                  << " cached reads failed while PostgreSQL was down");
    BOOST_TEST(load.between(down_at, up_at).size() > 20u);
    // Nothing written while the database was down.
    store::Pg pg(e2e::login_database_url());
    auto names = pg.exec_sql("SELECT count(*) FROM users WHERE display_name IN "
                             "('Written While Down', 'Also While Down') OR username = '" +
                             new_name + "'");
    BOOST_TEST(*store::pg_value(names.get(), 0, 0) == "0");
    report("PostgreSQL down 1.6 s (reads from cache)", all.size(), failed.size(),
           recovered ? static_cast<double>(recovered->count()) : -1);
}
