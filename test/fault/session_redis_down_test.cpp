// Fault: the session Redis goes away. Logged-in pages and login answer 503 with Retry-After
// (an HTML page or JSON), no worker crashes, and service resumes by itself when Redis returns.
#define BOOST_TEST_MODULE fault_session_redis_down
#include "fault/fault_fixtures.hpp"

using namespace fault;

BOOST_AUTO_TEST_CASE(session_redis_down_answers_503_and_recovers_by_itself) {
    SteadyLoad load({.users = 3, .writes = false});
    Restore restore{"redis"};
    std::this_thread::sleep_for(500ms);
    const auto workers_before = children_of(pool_supervisor("app"));

    const double down_at = load.now();
    stack_part("stop", "redis");
    std::this_thread::sleep_for(1000ms);

    auto home = testing_support::get("/home", {e2e::cookie(load.session(0))});
    BOOST_TEST(home.status == 503);
    BOOST_TEST(home.header("retry-after") != "");
    BOOST_TEST(home.header("content-type").find("text/html") != std::string::npos);
    auto me = testing_support::get("/api/v1/me", {e2e::cookie(load.session(0))});
    BOOST_TEST(me.status == 503);
    BOOST_TEST(e2e::json_error_code(me) == "unavailable");
    const std::string unavailable = R"(login_attempts_total{result="unavailable"})";
    const double unavailable_before = scrape("/metrics/auth").value(unavailable);
    auto login = testing_support::post_form(
        "/login", "username=" + load.user(1).username() + "&password=" + load.user(1).password());
    BOOST_TEST(login.status == 503);
    BOOST_TEST(login.header("retry-after") != "");
    // The operator sees it: the login is counted as unavailable, once.
    BOOST_TEST(scrape("/metrics/auth").value(unavailable) - unavailable_before == 1);
    BOOST_TEST(readiness() == "unavailable");

    stack_part("start", "redis");
    const double up_at = load.now();
    auto recovered = time_until(
        [&] {
            return testing_support::get("/home", {e2e::cookie(load.session(0))}).status == 200;
        },
        10000ms);
    BOOST_TEST(recovered.has_value(), "/home did not answer 200 again within 10 s");
    // Every worker comes back by itself within its backoff (at most about a second).
    std::this_thread::sleep_for(2500ms);
    const double settled_at = load.now() - 1.0;
    load.stop();

    const auto all = load.samples();
    // Nothing but 200 and 503, ever: no 500, no 502 (a crashed worker), no lost connection.
    const auto odd = load.between(0, 1e9, [](const Sample& s) {
        return s.status != 200 && s.status != 503;
    });
    BOOST_TEST(odd.size() == 0u, odd.size() << " responses were neither 200 nor 503");
    BOOST_TEST(load.between(0, down_at, SteadyLoad::failed).size() == 0u);
    BOOST_TEST(load.between(settled_at, 1e9, SteadyLoad::failed).size() == 0u);
    BOOST_TEST(load.between(settled_at, 1e9).size() > 0u);
    // The same workers before and after: none crashed.
    BOOST_TEST((children_of(pool_supervisor("app")) == workers_before));
    report("session Redis down 1 s", all.size(),
           load.between(0, 1e9, SteadyLoad::failed).size(),
           load.last_failure_ms_after(up_at));
}
