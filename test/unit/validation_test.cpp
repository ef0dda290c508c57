#define BOOST_TEST_MODULE unit_validation
#include <boost/test/unit_test.hpp>
// Covers service/validation: check_display_name and check_email, accepted and rejected values.

#include <string>
#include <vector>

#include "service/validation.hpp"

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
            BOOST_TEST(!error.has_value(), "unexpected error: " << error.value_or(""));
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
            BOOST_TEST(error->find("100") != std::string::npos);
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
            BOOST_TEST(error->find(keyword) != std::string::npos, "message: " << *error);
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
            BOOST_TEST(!error.has_value(), "unexpected error: " << error.value_or(""));
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
            BOOST_TEST(*error == "Email must look like name@example.com.");
        }
    }
}

BOOST_AUTO_TEST_CASE(email_longer_than_254_bytes_is_rejected_for_its_length) {
    const std::string email = repeat("l", 64) + "@" + repeat("d", 186) + ".com";  // 255 bytes
    BOOST_TEST_REQUIRE(email.size() == 255u);
    const auto error = service::check_email(email);
    BOOST_TEST_REQUIRE(error.has_value());
    BOOST_TEST(error->find("254") != std::string::npos);
}
