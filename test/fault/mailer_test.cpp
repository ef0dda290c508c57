#define BOOST_TEST_MODULE fault_mailer
#include <boost/test/unit_test.hpp>
// The mailer under failure: the SMTP server goes away and comes back (the mail is retried with
// backoff and arrives), the sending process is killed (its supervisor starts another, and
// nothing is lost), and a job that can never be sent lands in the dead-letter list; the mail
// metrics show each.

#include "e2e/mail_fixtures.hpp"
#include "fault/fault_fixtures.hpp"

using namespace e2e;
using namespace fault;
using testing_support::require_env;

namespace {

void ask_for_reset(const TestUser& user) {
    const auto r = testing_support::send_json("POST", "/api/v1/password/forgot",
                                              "{\"email\":\"" + user.email() + "\"}");
    BOOST_TEST_REQUIRE(r.status == 202);
}

double metric(const std::string& name) { return scrape().sum(name, ""); }

}  // namespace

BOOST_AUTO_TEST_CASE(a_mail_is_retried_while_the_smtp_server_is_away_and_arrives_later) {
    TestUser user;
    const double failed_before = metric("login_mail_failed_total");
    Restore restore{"mailsink"};
    stack_part("stop", "mailsink");
    ask_for_reset(user);
    BOOST_TEST_REQUIRE(time_until([&] { return metric("login_mail_retrying") >= 1; }, 10s).has_value());
    BOOST_TEST(metric("login_mail_failed_total") > failed_before);
    stack_part("start", "mailsink");
    const Mail mail = wait_for_mail(user.email(), 30);
    BOOST_TEST(!mail.link_starting(require_env("TEST_BASE_URL") + "/password/reset?token=").empty());
}

BOOST_AUTO_TEST_CASE(a_killed_mailer_is_replaced_and_loses_nothing) {
    const pid_t supervisor = pid_from_file(stack_dir() + "/run/mailer.pid");
    const auto before = testing_support::children_of(supervisor);
    BOOST_TEST_REQUIRE(before.size() == 1u);
    BOOST_TEST_REQUIRE(kill(*before.begin(), SIGKILL) == 0);
    BOOST_TEST(time_until([&] {
                   const auto now = testing_support::children_of(supervisor);
                   return now.size() == 1u && *now.begin() != *before.begin();
               }, 20s).has_value());
    TestUser user;
    ask_for_reset(user);
    wait_for_mail(user.email(), 30);
}

BOOST_AUTO_TEST_CASE(a_job_that_can_never_be_sent_goes_to_the_dead_letter_list) {
    const double dead_before = metric("login_mail_dead_letters");
    store::Redis redis(require_env("TEST_REDIS_URL"));
    const store::Keys keys(require_env("TEST_KEY_PREFIX"));
    redis.command({"LPUSH", keys.mail_queue(), "{\"kind\":\"no-such-mail\"}"});
    BOOST_TEST(time_until([&] { return metric("login_mail_dead_letters") == dead_before + 1; }, 10s)
                   .has_value());
    auto last = redis.command({"LINDEX", keys.mail_dead(), "0"});
    BOOST_TEST(last.string().value_or("") == "{\"kind\":\"no-such-mail\"}");
}
