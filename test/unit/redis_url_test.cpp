#define BOOST_TEST_MODULE unit_redis_url
#include <boost/test/unit_test.hpp>
// Covers the Redis URLs store::Redis accepts (checked at construction, before any connection):
// redis://, unix:// and sentinel:// with its sentinels and master name.

#include <string>

#include "store/errors.hpp"
#include "store/redis.hpp"

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
