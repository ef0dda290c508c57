#define BOOST_TEST_MODULE unit_store_errors
#include <boost/test/unit_test.hpp>
// What a store failure means to its caller (store::ErrorKind), and what the worker's catch site
// answers for each kind: the statuses, codes and Retry-After the e2e and fault tests see.

#include <hiredis/hiredis.h>

#include <string>
#include <utility>
#include <vector>

#include "store/errors.hpp"
#include "store/reply.hpp"
#include "worker.hpp"

using store::ErrorKind;

BOOST_AUTO_TEST_CASE(sqlstates_are_classified_by_what_the_caller_can_do) {
    const std::vector<std::pair<std::string, ErrorKind>> cases{
        {"22003", ErrorKind::bad_value},    // numeric value out of range
        {"22P02", ErrorKind::bad_value},    // invalid text representation
        {"22001", ErrorKind::bad_value},    // string data right truncation
        {"23505", ErrorKind::conflict},     // unique violation
        {"23P01", ErrorKind::conflict},     // exclusion violation
        {"23503", ErrorKind::unavailable},  // foreign key: no service expects one; as before
        {"40001", ErrorKind::unavailable},  // serialization failure: retrying may help
        {"57014", ErrorKind::unavailable},  // statement timeout
        {"08006", ErrorKind::unavailable},  // connection failure
        {"", ErrorKind::unavailable},       // never reached the database
        {"22", ErrorKind::unavailable},     // not an SQLSTATE
        {"2200", ErrorKind::unavailable},
    };
    for (const auto& [state, kind] : cases)
        BOOST_TEST((store::classify_sqlstate(state) == kind), "SQLSTATE '" << state << "'");
}

BOOST_AUTO_TEST_CASE(store_errors_carry_their_kind_and_store) {
    const store::PgError range("statement find_user failed (22003)", "22003");
    BOOST_TEST((range.kind() == ErrorKind::bad_value));
    BOOST_TEST(std::string(range.store()) == "postgres");
    BOOST_TEST(std::string(range.what()) == "statement find_user failed (22003)");
    BOOST_TEST((store::PgError("postgres unavailable").kind() == ErrorKind::unavailable));
    BOOST_TEST((store::PgError("x", "23505").kind() == ErrorKind::conflict));
    const store::RedisError redis("redis connect failed");
    BOOST_TEST((redis.kind() == ErrorKind::unavailable));
    BOOST_TEST(std::string(redis.store()) == "redis");
}

BOOST_AUTO_TEST_CASE(the_catch_site_answers_each_kind_with_its_status) {
    const http::Error away = app::error_for(ErrorKind::unavailable);
    BOOST_TEST(away.status() == 503);
    BOOST_TEST(away.code() == "unavailable");
    BOOST_TEST((away.headers() == http::Error::Headers{{"Retry-After", "2"}}));
    const http::Error bad = app::error_for(ErrorKind::bad_value);
    BOOST_TEST(bad.status() == 400);
    BOOST_TEST(bad.code() == "invalid_parameter");
    BOOST_TEST(bad.headers().empty());
    const http::Error conflict = app::error_for(ErrorKind::conflict);
    BOOST_TEST(conflict.status() == 409);
    BOOST_TEST(conflict.code() == "conflict");
    BOOST_TEST(conflict.headers().empty());
}

// Replies are read as typed values; hiredis's reply objects are built by hand here (the view
// never frees them).
BOOST_AUTO_TEST_CASE(replies_are_read_as_typed_values) {
    char text[] = "17";
    char word[] = "OK";
    char junk[] = "-3";
    redisReply str{};
    str.type = REDIS_REPLY_STRING;
    str.str = text;
    str.len = 2;
    redisReply status{};
    status.type = REDIS_REPLY_STATUS;
    status.str = word;
    status.len = 2;
    redisReply integer{};
    integer.type = REDIS_REPLY_INTEGER;
    integer.integer = 5;
    redisReply negative{};
    negative.type = REDIS_REPLY_STRING;
    negative.str = junk;
    negative.len = 2;
    redisReply nil{};
    nil.type = REDIS_REPLY_NIL;
    redisReply* elements[] = {&str, &nil, &integer};
    redisReply array{};
    array.type = REDIS_REPLY_ARRAY;
    array.elements = 3;
    array.element = elements;

    const store::ReplyView s(&str), st(&status), i(&integer), n(&nil), a(&array), neg(&negative);
    BOOST_TEST(s.string().value_or("") == "17");
    BOOST_TEST(s.integer().value_or(-1) == 17);  // a counter read with GET
    BOOST_TEST(!s.is_status());
    BOOST_TEST(st.string().value_or("") == "OK");
    BOOST_TEST(st.is_status());
    BOOST_TEST(!st.integer().has_value());
    BOOST_TEST(i.integer().value_or(-1) == 5);
    BOOST_TEST(!i.string().has_value());
    BOOST_TEST(!neg.integer().has_value());  // counters are never negative
    BOOST_TEST(n.is_nil());
    BOOST_TEST(!n.string().has_value());
    BOOST_TEST(!n.integer().has_value());
    BOOST_TEST(n.size() == 0u);
    BOOST_TEST(store::ReplyView().is_nil());
    BOOST_TEST(a.size() == 3u);
    BOOST_TEST(a[0].string().value_or("") == "17");
    BOOST_TEST(a[1].is_nil());
    BOOST_TEST(a[2].integer().value_or(-1) == 5);
    BOOST_TEST(a[3].is_nil());  // past the end
    BOOST_TEST(s[0].is_nil());  // not an array
    BOOST_TEST((a.strings() == std::vector<std::string>{"17"}));
    BOOST_TEST(s.strings().empty());
}
