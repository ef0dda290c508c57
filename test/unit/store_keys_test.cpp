#define BOOST_TEST_MODULE unit_store_keys
#include <boost/test/unit_test.hpp>
// The Redis key schema (store::Keys): every key spelled exactly as docs/ARCHITECTURE.md's key
// table and the running servers' data have it, so a change to the schema is deliberate.

#include <string>
#include <utility>
#include <vector>

#include "store/keys.hpp"

namespace {

const std::string kHash(64, 'a');  // stands for a SHA-256 hex

}  // namespace

BOOST_AUTO_TEST_CASE(every_key_is_spelled_as_documented) {
    const store::Keys keys("login:");
    const std::vector<std::pair<std::string, std::string>> cases{
        {keys.session(kHash), "login:s:" + kHash},
        {keys.session_meta(kHash), "login:sm:" + kHash},
        {keys.user_sessions(42), "login:us:42"},
        {keys.profile(42), "login:p:42"},
        {keys.profile_prefix(), "login:p:"},
        {keys.profile_fill_lock(42), "login:pl:42"},
        {keys.api_token(kHash), "login:t:" + kHash},
        {keys.rate_bucket("lf", "0123abcd", 493827), "login:rl:lf:0123abcd:493827"},
        {keys.rate_bucket("api", "7", -1), "login:rl:api:7:-1"},
        {keys.last_failed_login("0123abcd"), "login:rl:last:0123abcd"},
        {keys.last_failed_device("0123abcd"), "login:rl:dlast:0123abcd"},
        {keys.reauth_failures("0123abcd"), "login:rl:rf:0123abcd"},
        {keys.account_token("reset", kHash), "login:tok:reset:" + kHash},
        {keys.account_token_owner("verify", 42), "login:tok:verify:u:42"},
        {keys.account_token_owner_prefix("reset"), "login:tok:reset:u:"},
        {keys.mfa_enrolment(42), "login:mfa:enrol:42"},
        {keys.mfa_pending(kHash), "login:mfa:pending:" + kHash},
        {keys.mail_queue(), "login:mail:queue"},
        {keys.mail_in_flight("mailer"), "login:mail:in-flight:mailer"},
        {keys.mail_retry(), "login:mail:retry"},
        {keys.mail_dead(), "login:mail:dead"},
        {keys.mail_sent(), "login:mail:sent"},
        {keys.mail_failed(), "login:mail:failed"},
    };
    for (const auto& [built, expected] : cases) BOOST_TEST(built == expected);
}

BOOST_AUTO_TEST_CASE(the_prefix_is_the_configured_one_and_may_be_empty) {
    BOOST_TEST(store::Keys("itest:x1:").profile(7) == "itest:x1:p:7");
    BOOST_TEST(store::Keys("").session(kHash) == "s:" + kHash);
    BOOST_TEST(store::Keys("a:").prefix() == "a:");
}

// The scripts derive a key from a prefix and an id they read: the two spellings must agree.
BOOST_AUTO_TEST_CASE(the_prefixes_scripts_complete_give_the_same_keys) {
    const store::Keys keys("login:");
    BOOST_TEST(keys.profile_prefix() + "42" == keys.profile(42));
    BOOST_TEST(keys.account_token_owner_prefix("reset") + "42" ==
               keys.account_token_owner("reset", 42));
}
