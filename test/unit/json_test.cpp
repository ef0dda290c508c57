#define BOOST_TEST_MODULE unit_json
#include <boost/test/unit_test.hpp>
// Covers util/json (json_parse limits and error text, json_dump, json_str) and service/user_json.

#include <string>
#include <vector>

#include "service/user_json.hpp"
#include "util/json.hpp"

namespace {

std::string nested_arrays(int depth) {
    return std::string(static_cast<size_t>(depth), '[') + std::string(static_cast<size_t>(depth), ']');
}

// The keys of a JSON object, in order.
std::vector<std::string> keys_of(const json_t* obj) {
    std::vector<std::string> keys;
    const char* key;
    json_t* value;
    json_object_foreach(const_cast<json_t*>(obj), key, value) keys.emplace_back(key);
    return keys;
}

model::User full_user() {
    model::User u;
    u.id = 9007199254740993;  // above 2^53: must survive as an integer, not a double
    u.username = "ann";
    u.display_name = "Ann \xC3\x89lise \"<b>\"";
    u.email = "ann@example.com";
    u.roles = {"user", "admin"};
    u.enabled = true;
    u.created_at = "2024-01-02T03:04:05Z";
    u.updated_at = "2024-02-03T04:05:06Z";
    u.last_login_at = "2024-03-04T05:06:07Z";
    return u;
}

void check_same_user(const model::User& got, const model::User& want) {
    BOOST_TEST(got.id == want.id);
    BOOST_TEST(got.username == want.username);
    BOOST_TEST(got.display_name == want.display_name);
    BOOST_TEST(got.email.has_value() == want.email.has_value());
    if (got.email && want.email) BOOST_TEST(*got.email == *want.email);
    BOOST_TEST(got.roles == want.roles, boost::test_tools::per_element());
    BOOST_TEST(got.enabled == want.enabled);
    BOOST_TEST(got.created_at == want.created_at);
    BOOST_TEST(got.updated_at == want.updated_at);
    BOOST_TEST(got.last_login_at.has_value() == want.last_login_at.has_value());
    if (got.last_login_at && want.last_login_at)
        BOOST_TEST(*got.last_login_at == *want.last_login_at);
}

std::string to_text(const model::User& u) {
    util::Json doc = service::user_to_json(u);
    return util::json_dump(doc.get());
}

}  // namespace

BOOST_AUTO_TEST_CASE(json_parse_reads_a_valid_object) {
    std::string error;
    auto doc = util::json_parse(R"({"a":1,"b":[true,null],"c":"x\u00e9"})", &error);
    BOOST_TEST_REQUIRE(doc.has_value());
    BOOST_TEST(error.empty());
    json_t* root = doc->get();
    BOOST_TEST(json_is_object(root));
    BOOST_TEST(json_integer_value(json_object_get(root, "a")) == 1);
    BOOST_TEST(json_array_size(json_object_get(root, "b")) == 2u);
    BOOST_TEST(std::string(json_string_value(json_object_get(root, "c"))) == "x\xC3\xA9");
}

BOOST_AUTO_TEST_CASE(json_parse_accepts_a_top_level_scalar) {
    BOOST_TEST(util::json_parse("42", nullptr).has_value());
    BOOST_TEST(util::json_parse("\"text\"", nullptr).has_value());
}

BOOST_AUTO_TEST_CASE(json_parse_error_gives_line_and_column) {
    std::string error;
    BOOST_TEST(!util::json_parse("{\n  \"a\": 1,\n  oops\n}", &error).has_value());
    BOOST_TEST(error.starts_with("at line 3, column "));
}

BOOST_AUTO_TEST_CASE(json_parse_error_never_echoes_the_input) {
    const std::vector<std::string> bad = {
        R"({"password":"hunter2")",
        R"({"password":"hunter2",})",
        R"({"password":hunter2})",
        R"({"password":"hunter2"} hunter2)",
        R"(["hunter2" "hunter2"])",
        "hunter2",
    };
    for (const auto& text : bad) {
        BOOST_TEST_CONTEXT("text: " << text) {
            std::string error;
            BOOST_TEST(!util::json_parse(text, &error).has_value());
            BOOST_TEST(!error.empty());
            BOOST_TEST(error.find("hunter2") == std::string::npos);
            BOOST_TEST(error.find("password") == std::string::npos);
        }
    }
}

BOOST_AUTO_TEST_CASE(json_parse_rejects_malformed_documents) {
    const std::vector<std::string> bad = {
        "", " ", "{", "}", "[1,]", "{\"a\"}", "{'a':1}", "{\"a\":01}", "nul", "{} {}", "[1] x",
        "{\"a\":NaN}",
    };
    for (const auto& text : bad) {
        BOOST_TEST_CONTEXT("text: " << text) {
            std::string error;
            BOOST_TEST(!util::json_parse(text, &error).has_value());
            BOOST_TEST(error.starts_with("at line "));
        }
    }
}

BOOST_AUTO_TEST_CASE(json_parse_without_an_error_pointer_still_fails_cleanly) {
    BOOST_TEST(!util::json_parse("{", nullptr).has_value());
    BOOST_TEST(!util::json_parse(nested_arrays(17), nullptr).has_value());
}

BOOST_AUTO_TEST_CASE(json_parse_rejects_duplicate_keys) {
    const std::vector<std::string> bad = {
        R"({"a":1,"a":2})",
        R"({"a":1,"b":{"c":1,"c":1}})",
        R"([{"x":"secretvalue","x":"secretvalue"}])",
    };
    for (const auto& text : bad) {
        BOOST_TEST_CONTEXT("text: " << text) {
            std::string error;
            BOOST_TEST(!util::json_parse(text, &error).has_value());
            BOOST_TEST(!error.empty());
            BOOST_TEST(error.find("secretvalue") == std::string::npos);
        }
    }
}

BOOST_AUTO_TEST_CASE(json_parse_accepts_nesting_up_to_max_depth) {
    BOOST_TEST(util::json_parse(nested_arrays(16), nullptr).has_value());
    BOOST_TEST(util::json_parse(R"({"a":{"b":1}})", nullptr, 2).has_value());
    BOOST_TEST(util::json_parse("[]", nullptr, 1).has_value());
}

BOOST_AUTO_TEST_CASE(json_parse_rejects_nesting_deeper_than_max_depth) {
    const std::vector<std::pair<std::string, int>> cases = {
        {nested_arrays(17), 16},
        {nested_arrays(1000), 16},
        {R"({"a":{"b":{}}})", 2},
        {R"([1,[2,[3]]])", 2},
        {R"({"a":[{"b":[]}]})", 3},
        {"[]", 0},
    };
    for (const auto& [text, depth] : cases) {
        BOOST_TEST_CONTEXT("max_depth " << depth << ", text of " << text.size() << " bytes") {
            std::string error;
            BOOST_TEST(!util::json_parse(text, &error, depth).has_value());
            BOOST_TEST(error == "nested more than " + std::to_string(depth) + " levels deep");
        }
    }
}

BOOST_AUTO_TEST_CASE(json_parse_rejects_invalid_utf8) {
    const std::vector<std::string> bad = {
        "\"\xFF\"",
        "{\"a\":\"\xC0\x80\"}",          // overlong NUL
        "{\"a\":\"\xED\xA0\x80\"}",      // surrogate
        "[\"\xF4\x90\x80\x80\"]",        // above U+10FFFF
        "[\"\xE2\x82\"]",                // truncated
        "{\"\xC3\":1}",                  // truncated in a key
        R"(["\ud800"])",                 // lone surrogate escape
    };
    for (const auto& text : bad) {
        BOOST_TEST_CONTEXT("case of " << text.size() << " bytes") {
            std::string error;
            BOOST_TEST(!util::json_parse(text, &error).has_value());
            BOOST_TEST(!error.empty());
        }
    }
}

BOOST_AUTO_TEST_CASE(json_parse_rejects_an_escaped_nul_in_a_string) {
    BOOST_TEST(!util::json_parse(R"({"a":"x\u0000y"})", nullptr).has_value());
}

BOOST_AUTO_TEST_CASE(json_dump_is_compact_and_keeps_insertion_order) {
    util::Json doc{json_object()};
    json_object_set_new(doc.get(), "z", json_integer(1));
    json_object_set_new(doc.get(), "a", json_pack("[b,n]", 1));
    BOOST_TEST(util::json_dump(doc.get()) == R"({"z":1,"a":[true,null]})");
}

BOOST_AUTO_TEST_CASE(json_dump_of_null_pointer_is_null) {
    BOOST_TEST(util::json_dump(nullptr) == "null");
}

BOOST_AUTO_TEST_CASE(json_str_takes_exactly_the_given_bytes_and_dumps_escaped) {
    util::Json arr = util::json_array_value();
    util::json_append(arr, util::json_str(std::string_view("a\"\xC3\xA9\nXYZ", 5)));
    BOOST_TEST(util::json_dump(arr.get()) == "[\"a\\\"\xC3\xA9\\n\"]");
}

BOOST_AUTO_TEST_CASE(user_to_json_has_exactly_the_ten_documented_keys_in_order) {
    util::Json doc = service::user_to_json(full_user());
    const std::vector<std::string> expected = {"id",         "username",   "display_name",
                                               "email",      "email_verified", "roles",
                                               "enabled",    "created_at", "updated_at",
                                               "last_login_at"};
    BOOST_TEST(keys_of(doc.get()) == expected, boost::test_tools::per_element());
}

BOOST_AUTO_TEST_CASE(user_to_json_has_no_hash_or_password_key) {
    util::Json doc = service::user_to_json(full_user());
    for (const auto& key : keys_of(doc.get())) {
        BOOST_TEST_CONTEXT("key: " << key) {
            BOOST_TEST(key.find("hash") == std::string::npos);
            BOOST_TEST(key.find("password") == std::string::npos);
        }
    }
}

BOOST_AUTO_TEST_CASE(user_to_json_writes_types_and_nulls_for_missing_optionals) {
    model::User u = full_user();
    u.email.reset();
    u.last_login_at.reset();
    u.enabled = false;
    u.roles.clear();
    util::Json doc = service::user_to_json(u);
    json_t* obj = doc.get();
    BOOST_TEST(json_is_integer(json_object_get(obj, "id")));
    BOOST_TEST(json_is_null(json_object_get(obj, "email")));
    BOOST_TEST(json_is_null(json_object_get(obj, "last_login_at")));
    BOOST_TEST(json_is_false(json_object_get(obj, "enabled")));
    BOOST_TEST(json_is_array(json_object_get(obj, "roles")));
    BOOST_TEST(json_array_size(json_object_get(obj, "roles")) == 0u);
}

BOOST_AUTO_TEST_CASE(user_from_json_text_round_trips_a_full_user) {
    const model::User u = full_user();
    const auto back = service::user_from_json_text(to_text(u));
    BOOST_TEST_REQUIRE(back.has_value());
    check_same_user(*back, u);
}

BOOST_AUTO_TEST_CASE(user_from_json_text_round_trips_a_user_without_email_or_last_login) {
    model::User u = full_user();
    u.email.reset();
    u.last_login_at.reset();
    u.enabled = false;
    u.roles = {};
    const auto back = service::user_from_json_text(to_text(u));
    BOOST_TEST_REQUIRE(back.has_value());
    check_same_user(*back, u);
    BOOST_TEST(!back->email.has_value());
    BOOST_TEST(!back->last_login_at.has_value());
}

BOOST_AUTO_TEST_CASE(a_profile_cached_before_email_verified_existed_is_read_afresh) {
    BOOST_TEST(!service::user_from_json_text(
                    R"({"id":3,"username":"a","display_name":"A","roles":["r"],"created_at":"c","updated_at":"u"})")
                    .has_value());
}

BOOST_AUTO_TEST_CASE(user_from_json_text_rejects_documents_that_are_not_users) {
    const std::string ok_tail =
        R"("roles":[],"created_at":"c","updated_at":"u")";
    const std::vector<std::string> bad = {
        "",
        "not json",
        "null",
        "[]",
        "42",
        "{}",
        R"({"username":"a","display_name":"A",)" + ok_tail + "}",             // no id
        R"({"id":"1","username":"a","display_name":"A",)" + ok_tail + "}",    // id as string
        R"({"id":1.5,"username":"a","display_name":"A",)" + ok_tail + "}",    // id not integer
        R"({"id":1,"display_name":"A",)" + ok_tail + "}",                     // no username
        R"({"id":1,"username":7,"display_name":"A",)" + ok_tail + "}",        // username not text
        R"({"id":1,"username":"a",)" + ok_tail + "}",                         // no display name
        R"({"id":1,"username":"a","display_name":"A","roles":"user","created_at":"c","updated_at":"u"})",
        R"({"id":1,"username":"a","display_name":"A","roles":[],"updated_at":"u"})",
        R"({"id":1,"username":"a","display_name":"A","roles":[],"created_at":"c"})",
        R"({"id":1,"id":1,"username":"a","display_name":"A",)" + ok_tail + "}",  // duplicate key
    };
    for (const auto& text : bad) {
        BOOST_TEST_CONTEXT("text: " << text) {
            BOOST_TEST(!service::user_from_json_text(text).has_value());
        }
    }
}

BOOST_AUTO_TEST_CASE(user_from_json_text_accepts_the_minimal_user_document) {
    const auto u = service::user_from_json_text(
        R"({"id":3,"username":"a","display_name":"A","roles":["r"],"created_at":"c","updated_at":"u","email_verified":false})");
    BOOST_TEST_REQUIRE(u.has_value());
    BOOST_TEST(u->id == 3);
    BOOST_TEST(!u->email.has_value());
    BOOST_TEST(!u->mfa_enabled);  // a missing "mfa_enabled" is off (the profile says so)
    BOOST_TEST(!u->enabled);  // a missing "enabled" never grants access
    BOOST_TEST(u->roles.size() == 1u);
}
