#define BOOST_TEST_MODULE unit_validation
#include <boost/test/unit_test.hpp>
// Covers service/validation: usernames, new passwords, roles, display names and emails, accepted
// and rejected values.

#include <string>
#include <vector>

#include "service/validation.hpp"
#include "support/messages.hpp"

using testing_support::english;

namespace {

std::string repeat(const std::string& piece, size_t times) {
    std::string out;
    for (size_t i = 0; i < times; ++i) out += piece;
    return out;
}

}  // namespace

BOOST_AUTO_TEST_CASE(display_name_accepts_ordinary_names) {
    const std::vector<std::string> good = {
        "A",
        "Ann",
        "Ann Lee",
        "  padded  ",
        "\xC3\x89lise O'Brien-Sm\xC3\xAFth",
        "\xE6\x9D\x8E\xE5\xB0\x8F\xE9\xBE\x99",  // CJK
        "<b>&amp;</b>",                         // escaped on output, not refused on input
    };
    for (const auto& name : good) {
        BOOST_TEST_CONTEXT("name: " << name) {
            const auto error = service::check_display_name(name);
            BOOST_TEST(!error.has_value(), "unexpected error: " << (error ? english(*error) : ""));
        }
    }
}

BOOST_AUTO_TEST_CASE(display_name_of_100_code_points_is_accepted_whatever_their_byte_size) {
    for (const std::string ch : {"a", "\xC3\xA9", "\xE2\x82\xAC", "\xF0\x9F\x98\x80"}) {
        BOOST_TEST_CONTEXT("character of " << ch.size() << " bytes") {
            BOOST_TEST(!service::check_display_name(repeat(ch, 100)).has_value());
        }
    }
}

BOOST_AUTO_TEST_CASE(display_name_of_101_code_points_is_rejected) {
    for (const std::string ch : {"a", "\xC3\xA9", "\xE2\x82\xAC", "\xF0\x9F\x98\x80"}) {
        BOOST_TEST_CONTEXT("character of " << ch.size() << " bytes") {
            const auto error = service::check_display_name(repeat(ch, 101));
            BOOST_TEST_REQUIRE(error.has_value());
            BOOST_TEST(english(*error).find("100") != std::string::npos);
        }
    }
}

BOOST_AUTO_TEST_CASE(display_name_rejects_bad_values_with_the_matching_message) {
    const std::vector<std::pair<std::string, std::string>> cases = {
        {"", "required"},
        {" ", "required"},
        {"          ", "required"},
        {"a\tb", "control"},
        {"line\nbreak", "control"},
        {"\r", "control"},
        {std::string("a\0b", 3), "control"},
        {"del\x7f", "control"},
        {"esc\x1b[31m", "control"},
        {"\xFF", "UTF-8"},
        {"\xC0\x80", "UTF-8"},
        {"\xED\xA0\x80", "UTF-8"},
        {"ok\xE2\x82", "UTF-8"},
    };
    for (const auto& [name, keyword] : cases) {
        BOOST_TEST_CONTEXT("name of " << name.size() << " bytes, expecting '" << keyword << "'") {
            const auto error = service::check_display_name(name);
            BOOST_TEST_REQUIRE(error.has_value());
            BOOST_TEST(english(*error).find(keyword) != std::string::npos, "message: " << english(*error));
        }
    }
}

BOOST_AUTO_TEST_CASE(email_accepts_plausible_addresses) {
    const std::vector<std::string> good = {
        "a@b.co",
        "first.last+tag@example.com",
        "x@sub.example.org",
        "under_score-dash@ex-ample.io",
        "\xC3\xBC@example.com",
        "a@b.c",
        repeat("l", 64) + "@example.com",                 // longest local part
        repeat("l", 64) + "@" + repeat("d", 185) + ".com",  // exactly 254 bytes
    };
    for (const auto& email : good) {
        BOOST_TEST_CONTEXT("email: " << email) {
            const auto error = service::check_email(email);
            BOOST_TEST(!error.has_value(), "unexpected error: " << (error ? english(*error) : ""));
        }
    }
}

BOOST_AUTO_TEST_CASE(email_rejects_implausible_shapes) {
    const std::vector<std::string> bad = {
        "",
        "plain",
        "@example.com",
        "a@",
        "a@b",
        "a@.com",
        "a@b.",
        "a@b..com",
        "a@.b.com",
        "a@@b.com",
        "a@b@c.com",
        "a b@c.com",
        "a@b .com",
        " a@b.com",
        "a@b.com ",
        "a\t@b.com",
        "a@b.com\n",
        std::string("a\0@b.com", 8),
        "a\x7f@b.com",
        "\xFF@b.com",
        "a@\xC0\x80.com",
        repeat("l", 65) + "@example.com",  // local part over 64
    };
    for (const auto& email : bad) {
        BOOST_TEST_CONTEXT("email of " << email.size() << " bytes: " << email) {
            const auto error = service::check_email(email);
            BOOST_TEST_REQUIRE(error.has_value());
            BOOST_TEST(english(*error) == "Email must look like name@example.com.");
        }
    }
}

BOOST_AUTO_TEST_CASE(email_longer_than_254_bytes_is_rejected_for_its_length) {
    const std::string email = repeat("l", 64) + "@" + repeat("d", 186) + ".com";  // 255 bytes
    BOOST_TEST_REQUIRE(email.size() == 255u);
    const auto error = service::check_email(email);
    BOOST_TEST_REQUIRE(error.has_value());
    BOOST_TEST(english(*error).find("254") != std::string::npos);
}

BOOST_AUTO_TEST_CASE(display_name_rejects_unicode_line_breaks_and_c1_controls) {
    // U+0085, U+2028, U+2029 and U+009B (the C1 form of the escape that starts colour codes).
    for (const std::string name :
         {"Ann\xC2\x85Lee", "Ann\xE2\x80\xA8Lee", "Ann\xE2\x80\xA9", "\xC2\x9B[31m"}) {
        BOOST_TEST_CONTEXT("name: " << name.size() << " bytes") {
            const auto error = service::check_display_name(name);
            BOOST_TEST_REQUIRE(error.has_value());
            BOOST_TEST(english(*error).find("control") != std::string::npos, "message: " << english(*error));
        }
    }
}

// Regression (found by fuzz_form): "a\xC2\x91b@example.com" was a valid email.
BOOST_AUTO_TEST_CASE(email_rejects_c1_controls_and_unicode_line_separators) {
    for (const std::string bad : {"a\xC2\x91" "b@example.com", "a\xC2\x85" "b@example.com",
                                  "ab@example.com\xE2\x80\xA8", "ab@exa\xE2\x80\xA9mple.com"}) {
        BOOST_TEST_CONTEXT("email: " << bad) {
            const auto error = service::check_email(bad);
            BOOST_TEST_REQUIRE(error.has_value());
            BOOST_TEST(english(*error).find("name@example.com") != std::string::npos, "message: " << english(*error));
        }
    }
    BOOST_TEST(!service::check_email("\xC3\xA9l\xC3\xA8ve@\xC3\xA9" "cole.fr").has_value());  // other non-ASCII is fine
}

BOOST_AUTO_TEST_CASE(username_accepts_3_to_32_lower_case_characters) {
    const std::vector<std::string> good = {
        "abc", "user1", "a.b", "a_b", "a-b", "0123", "...", repeat("z", 32), "e2e-0a1b2c3d4e5f",
    };
    for (const auto& name : good) {
        BOOST_TEST_CONTEXT("username: " << name) {
            const auto error = service::check_username(name);
            BOOST_TEST(!error.has_value(), "unexpected error: " << (error ? english(*error) : ""));
        }
    }
}

BOOST_AUTO_TEST_CASE(username_rejects_bad_lengths_and_characters) {
    const std::vector<std::pair<std::string, std::string>> cases = {
        {"", "3 to 32"},
        {"ab", "3 to 32"},
        {repeat("z", 33), "3 to 32"},
        {"Abc", "a-z"},  // callers lower-case first; the check itself never does
        {"ABC", "a-z"},
        {"a b", "a-z"},
        {"a+b", "a-z"},
        {"a@b", "a-z"},
        {"user/1", "a-z"},
        {std::string("ab\0c", 4), "a-z"},
        {"abc\n", "a-z"},
        {"\xC3\xA9t\xC3\xA9", "a-z"},  // été: no letters beyond a-z
        {"caf\xC3\xA9", "a-z"},
    };
    for (const auto& [name, keyword] : cases) {
        BOOST_TEST_CONTEXT("username of " << name.size() << " bytes, expecting " << keyword) {
            const auto error = service::check_username(name);
            BOOST_TEST_REQUIRE(error.has_value());
            BOOST_TEST(english(*error).find(keyword) != std::string::npos, "message: " << english(*error));
        }
    }
}

BOOST_AUTO_TEST_CASE(new_password_of_12_characters_is_accepted_and_11_is_not) {
    BOOST_TEST(!service::check_new_password(repeat("p", 12), "someone").has_value());
    const auto error = service::check_new_password(repeat("p", 11), "someone");
    BOOST_TEST_REQUIRE(error.has_value());
    BOOST_TEST(english(*error).find("at least 12") != std::string::npos, "message: " << english(*error));
}

BOOST_AUTO_TEST_CASE(new_password_length_counts_characters_not_bytes) {
    // 11 emoji are 44 bytes, still 11 characters.
    const auto short_error = service::check_new_password(repeat("\xF0\x9F\x98\x80", 11), "someone");
    BOOST_TEST_REQUIRE(short_error.has_value());
    BOOST_TEST(english(*short_error).find("at least 12") != std::string::npos);
    BOOST_TEST(!service::check_new_password(repeat("\xF0\x9F\x98\x80", 12), "someone").has_value());
}

BOOST_AUTO_TEST_CASE(new_password_of_128_multi_byte_characters_is_accepted_and_129_is_not) {
    for (const std::string ch : {"a", "\xC3\xA9", "\xE2\x82\xAC", "\xF0\x9F\x98\x80"}) {
        BOOST_TEST_CONTEXT("character of " << ch.size() << " bytes") {
            BOOST_TEST(!service::check_new_password(repeat(ch, 128), "someone").has_value());
            const auto error = service::check_new_password(repeat(ch, 129), "someone");
            BOOST_TEST_REQUIRE(error.has_value());
            BOOST_TEST(english(*error).find("at most 128") != std::string::npos, "message: " << english(*error));
        }
    }
}

BOOST_AUTO_TEST_CASE(new_password_equal_to_the_username_in_any_case_is_rejected) {
    for (const std::string password : {"long-username-1", "LONG-USERNAME-1", "Long-Username-1"}) {
        BOOST_TEST_CONTEXT("password: " << password) {
            const auto error = service::check_new_password(password, "long-username-1");
            BOOST_TEST_REQUIRE(error.has_value());
            BOOST_TEST(english(*error).find("username") != std::string::npos, "message: " << english(*error));
        }
    }
    // Containing the username is allowed: there are no composition rules.
    BOOST_TEST(!service::check_new_password("long-username-1!", "long-username-1").has_value());
}

BOOST_AUTO_TEST_CASE(new_password_with_a_nul_or_invalid_utf8_is_rejected) {
    const std::vector<std::string> bad = {
        std::string("twelve-chars\0", 13),
        std::string("\0twelve-chars", 13),
        std::string("twelve\0chars-and-more", 21),
        "twelve-chars\xFF",
        "twelve-chars\xC0\x80",  // overlong NUL
        "twelve-chars\xED\xA0\x80",
    };
    for (const auto& password : bad) {
        BOOST_TEST_CONTEXT("password of " << password.size() << " bytes") {
            const auto error = service::check_new_password(password, "someone");
            BOOST_TEST_REQUIRE(error.has_value());
            BOOST_TEST(english(*error).find("valid text") != std::string::npos, "message: " << english(*error));
        }
    }
}

BOOST_AUTO_TEST_CASE(new_password_may_hold_spaces_and_any_printable_text) {
    for (const std::string password :
         {"correct horse battery", "            ", "\xC3\xA9t\xC3\xA9 \xC3\xA0 Paris!",
          "tab\tis\tfine\there"}) {
        BOOST_TEST_CONTEXT("password: " << password) {
            const auto error = service::check_new_password(password, "someone");
            BOOST_TEST(!error.has_value(), "unexpected error: " << (error ? english(*error) : ""));
        }
    }
}

BOOST_AUTO_TEST_CASE(password_input_of_128_characters_is_accepted_and_129_is_not) {
    // The bound every password meets before it is hashed (login, current password).
    for (const std::string ch : {"a", "\xC3\xA9", "\xF0\x9F\x98\x80"}) {
        BOOST_TEST_CONTEXT("character of " << ch.size() << " bytes") {
            BOOST_TEST(!service::check_password_input(repeat(ch, 128)).has_value());
            const auto error = service::check_password_input(repeat(ch, 129));
            BOOST_TEST_REQUIRE(error.has_value());
            BOOST_TEST(english(*error).find("at most 128") != std::string::npos, "message: " << english(*error));
        }
    }
    BOOST_TEST(!service::check_password_input("x").has_value());  // no minimum: a wrong one is 401
    BOOST_TEST(!service::check_password_input("").has_value());
}

BOOST_AUTO_TEST_CASE(password_input_with_a_nul_or_invalid_utf8_is_rejected) {
    for (const std::string& password : {std::string("pw\0", 3), std::string("\0", 1),
                                        std::string("pw\xFF"), std::string("pw\xC0\x80")}) {
        BOOST_TEST_CONTEXT("password of " << password.size() << " bytes") {
            const auto error = service::check_password_input(password);
            BOOST_TEST_REQUIRE(error.has_value());
            BOOST_TEST(english(*error).find("valid text") != std::string::npos, "message: " << english(*error));
        }
    }
}

BOOST_AUTO_TEST_CASE(only_admin_and_user_are_known_roles) {
    BOOST_TEST(service::is_known_role("admin"));
    BOOST_TEST(service::is_known_role("user"));
    for (const std::string role :
         {"", "Admin", "USER", "admin ", " user", "root", "admins", "users:read"}) {
        BOOST_TEST_CONTEXT("role: '" << role << "'") {
            BOOST_TEST(!service::is_known_role(role));
        }
    }
}

// Finding 9 of the second security review: "Admin One\u202e\u2066" passed for "Admin One" on
// /admin, and "\u200b" was a name that shows nothing.
BOOST_AUTO_TEST_CASE(display_name_rejects_zero_width_and_text_direction_characters) {
    const std::vector<std::string> bad = {
        "Admin One\u202e\u2066",
        "Admin\u200bOne",
        "\u200f",
        "Ann\u200c",
        "Ann\u200d",
        "Ann\u200e",
        "\u202aAnn",
        "Ann\u202b",
        "Ann\u202c",
        "Ann\u202d",
        "Ann\u2060",
        "Ann\u2063",
        "Ann\u2069",
        "\ufeffAnn",
    };
    for (const auto& name : bad) {
        BOOST_TEST_CONTEXT("name of " << name.size() << " bytes") {
            const auto error = service::check_display_name(name);
            BOOST_TEST_REQUIRE(error.has_value());
            BOOST_TEST(error->id == model::MessageId::display_name_invisible, english(*error));
        }
    }
    // The neighbours of those ranges are ordinary punctuation and stay allowed.
    for (const std::string ok : {"Ann\u2010Lee", "Ann\u2019s", "Ann\u2070", "\u2022 Ann"})
        BOOST_TEST(!service::check_display_name(ok).has_value(), ok);
}

BOOST_AUTO_TEST_CASE(display_name_needs_at_least_one_visible_character) {
    const std::vector<std::string> blank = {
        "\u00a0", "\u3000", "\u2003 \u2002", "\u3164",   "\u2800",
        "\u00ad", "\ufe0f", "\U000e0041",    " \u115f ",
    };
    for (const auto& name : blank) {
        BOOST_TEST_CONTEXT("name of " << name.size() << " bytes") {
            const auto error = service::check_display_name(name);
            BOOST_TEST_REQUIRE(error.has_value());
            BOOST_TEST(error->id == model::MessageId::display_name_required, english(*error));
        }
    }
    BOOST_TEST(!service::check_display_name("\u00a0Ann\u00a0").has_value());
    BOOST_TEST(!service::check_display_name("\U0001f600").has_value());  // an emoji is visible
}

// Finding 4: the limiter lower-cased ASCII only while PostgreSQL's lower() also folded U+0130
// and the Kelvin sign, so "admİn1" had a budget of its own and logged into admin1.
BOOST_AUTO_TEST_CASE(canonical_username_lowers_ascii_and_refuses_everything_else) {
    BOOST_TEST(service::canonical_username("Admin1").value_or("<none>") == "admin1");
    BOOST_TEST(service::canonical_username("USER.NAME-1_X").value_or("<none>") == "user.name-1_x");
    const std::vector<std::string> refused = {
        "adm\u0130n1",                           // LATIN CAPITAL LETTER I WITH DOT ABOVE
        "adm\u0131n1",                           // dotless i
        "\u212aate",                             // KELVIN SIGN
        "\uff41\uff44\uff4d\uff49\uff4e\uff11",  // full-width "admin1"
        "admin\u00b9",                           // superscript one
        "ab",                                    // too short to be anyone
        repeat("a", 33),                         // too long
        "a b c",
        "user1\u200b",
    };
    for (const auto& typed : refused)
        BOOST_TEST(!service::canonical_username(typed).has_value(), typed.size() << " bytes");
}
