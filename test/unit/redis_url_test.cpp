#define BOOST_TEST_MODULE unit_redis_url
#include <boost/test/unit_test.hpp>
// Covers the Redis URLs store::Redis accepts (checked at construction, before any connection):
// redis://, unix:// and sentinel:// with its sentinels and master name.

#include <string>

#include "store/errors.hpp"
#include "store/redis.hpp"
#include "store/redis_url.hpp"

namespace {

// The message of the RedisError that constructing a store::Redis on url throws, or "accepted".
std::string verdict(const std::string& url) {
    try {
        store::Redis redis(url);
    } catch (const store::RedisError& e) {
        return e.what();
    }
    return "accepted";
}

}  // namespace

BOOST_AUTO_TEST_CASE(plain_and_unix_urls_are_accepted) {
    BOOST_TEST(verdict("redis://127.0.0.1:6380/0") == "accepted");
    BOOST_TEST(verdict("redis://cache:22121") == "accepted");
    BOOST_TEST(verdict("unix:///run/redis.sock") == "accepted");
}

BOOST_AUTO_TEST_CASE(sentinel_urls_name_sentinels_and_a_master) {
    BOOST_TEST(verdict("sentinel://10.0.0.1:26379,10.0.0.2:26379,10.0.0.3/sessions") == "accepted");
    BOOST_TEST(verdict("sentinel://s1:26379/sessions/2") == "accepted");
}

BOOST_AUTO_TEST_CASE(malformed_urls_are_refused_with_the_reason) {
    BOOST_TEST(verdict("http://x") == "redis url must start with redis://");
    BOOST_TEST(verdict("redis://host:99999/0") == "bad port in redis url");
    BOOST_TEST(verdict("redis://host:6379/x") == "bad database number in redis url");
    BOOST_TEST(verdict("sentinel://s1:26379") == "sentinel url needs /master-name after the sentinels");
    BOOST_TEST(verdict("sentinel://s1:26379/") == "sentinel url needs /master-name after the sentinels");
    BOOST_TEST(verdict("sentinel:///sessions") == "sentinel url names no sentinel");
    BOOST_TEST(verdict("sentinel://:26379/sessions") == "missing host in redis url");
}

BOOST_AUTO_TEST_CASE(credentials_in_the_url_are_parsed_and_percent_decoded) {
    const auto e = store::parse_redis_url("redis://app:p%40ss%2Fw@redis-sessions:6379/2");
    BOOST_TEST(e.username == "app");
    BOOST_TEST(e.password == "p@ss/w");
    BOOST_TEST(e.server.host == "redis-sessions");
    BOOST_TEST(e.server.port == 6379);
    BOOST_TEST(e.db == 2);
    const auto anonymous = store::parse_redis_url("redis://:secret@cache");
    BOOST_TEST(anonymous.username == "");
    BOOST_TEST(anonymous.password == "secret");
    const auto s = store::parse_redis_url("sentinel://:pw@s1:26379,s2:26379/sessions/1");
    BOOST_TEST(s.password == "pw");
    BOOST_TEST(s.sentinels.size() == 2u);
    BOOST_TEST(s.master == "sessions");
    BOOST_TEST(s.db == 1);
}

BOOST_AUTO_TEST_CASE(redacted_urls_never_show_the_password) {
    BOOST_TEST(store::parse_redis_url("redis://app:hunter2@r:6380/3").redacted() ==
               "redis://app:***@r:6380/3");
    BOOST_TEST(store::parse_redis_url("sentinel://:hunter2@a:1,b/m").redacted() ==
               "sentinel://:***@a:1,b:26379/m");
    BOOST_TEST(store::parse_redis_url("redis://r").redacted() == "redis://r:6379");
    BOOST_TEST(store::parse_redis_url("unix:///run/r.sock").redacted() == "unix:///run/r.sock");
}

BOOST_AUTO_TEST_CASE(malformed_credentials_are_refused) {
    BOOST_TEST(verdict("redis://justapassword@host") ==
               "redis url credentials must be user:password or :password");
    BOOST_TEST(verdict("redis://user:@host") == "empty password in redis url");
    BOOST_TEST(verdict("redis://:%zz@host") == "bad percent-encoding in redis url credentials");
    BOOST_TEST(verdict("unix://") == "unix url needs a socket path");
}
