#define BOOST_TEST_MODULE unit_parse
#include <boost/test/unit_test.hpp>
// Covers http/parse: percent-decoding and encoding, query/form parsing, Cookie headers, find_field.

#include <cstdio>
#include <string>
#include <string_view>
#include <vector>

#include "http/error.hpp"
#include "http/parse.hpp"
#include "util/text.hpp"

namespace {

// Shows bytes readably in failure messages (non-printable bytes as \xNN).
std::string printable(std::string_view s) {
    std::string out;
    for (char c : s) {
        const auto u = static_cast<unsigned char>(c);
        if (u >= 0x20 && u < 0x7f) {
            out += c;
        } else {
            char buf[8];
            std::snprintf(buf, sizeof buf, "\\x%02X", u);
            out += buf;
        }
    }
    return out;
}

// "[name=value]" per field, so whole results compare as one printable string.
std::string show(const http::Fields& fields) {
    std::string out;
    for (const auto& [name, value] : fields) out += "[" + printable(name) + "=" + printable(value) + "]";
    return out;
}

// "f0=1&f1=1&..." with n fields.
std::string numbered_fields(int n) {
    std::string out;
    for (int i = 0; i < n; ++i) out += (i ? "&f" : "f") + std::to_string(i) + "=1";
    return out;
}

auto has_status(int status) {
    return [status](const http::Error& e) { return e.status() == status; };
}

}  // namespace

BOOST_AUTO_TEST_CASE(url_decode_turns_plus_into_space_only_when_asked) {
    BOOST_TEST(util::url_decode("a+b", true).value() == "a b");
    BOOST_TEST(util::url_decode("a+b", false).value() == "a+b");
}

BOOST_AUTO_TEST_CASE(url_decode_accepts_upper_and_lower_case_hex_digits) {
    BOOST_TEST(util::url_decode("%41%6a%6A%7e", true).value() == "Ajj~");
}

BOOST_AUTO_TEST_CASE(url_decode_decodes_an_escape_at_the_very_end) {
    BOOST_TEST(util::url_decode("ab%21", true).value() == "ab!");
    BOOST_TEST(util::url_decode("%21", true).value() == "!");
}

BOOST_AUTO_TEST_CASE(url_decode_of_percent_2b_is_a_literal_plus_not_a_space) {
    BOOST_TEST(util::url_decode("%2B", true).value() == "+");
}

BOOST_AUTO_TEST_CASE(url_decode_keeps_an_encoded_nul_byte) {
    const auto decoded = util::url_decode("a%00b", true);
    BOOST_TEST_REQUIRE(decoded.has_value());
    BOOST_TEST(*decoded == std::string("a\0b", 3));
}

BOOST_AUTO_TEST_CASE(url_decode_rejects_bad_and_short_escapes) {
    const std::vector<std::string> bad = {
        "%", "%4", "a%4", "abc%", "%zz", "%4g", "%g4", "%%41", "% 41", "%+1", "%-1", "x%4%41",
    };
    for (const auto& input : bad) {
        BOOST_TEST_CONTEXT("input: " << input) {
            BOOST_TEST(!util::url_decode(input, true).has_value());
            BOOST_TEST(!util::url_decode(input, false).has_value());
        }
    }
}

BOOST_AUTO_TEST_CASE(url_decode_stops_at_the_end_of_its_view_even_if_hex_follows) {
    // Query and form pieces are views into a larger body, so bytes past the end may be hex.
    const std::string body = "%41%42";
    BOOST_TEST(!util::url_decode(std::string_view(body).substr(0, 2), true).has_value());
    BOOST_TEST(!util::url_decode(std::string_view(body).substr(0, 5), true).has_value());
    BOOST_TEST(util::url_decode(std::string_view(body).substr(0, 3), true).value() == "A");
}

BOOST_AUTO_TEST_CASE(url_encode_leaves_unreserved_characters_alone) {
    const std::string unreserved =
        "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~";
    BOOST_TEST(util::url_encode(unreserved) == unreserved);
}

BOOST_AUTO_TEST_CASE(url_encode_escapes_reserved_and_non_ascii_bytes_with_upper_case_hex) {
    BOOST_TEST(util::url_encode(" +&=/?%#") == "%20%2B%26%3D%2F%3F%25%23");
    BOOST_TEST(util::url_encode("\xC3\xA9") == "%C3%A9");
    BOOST_TEST(util::url_encode(std::string("\0", 1)) == "%00");
}

BOOST_AUTO_TEST_CASE(url_encode_then_url_decode_round_trips_every_byte_value) {
    std::string all;
    for (int b = 0; b < 256; ++b) all += static_cast<char>(b);
    for (bool plus_is_space : {true, false}) {
        const auto back = util::url_decode(util::url_encode(all), plus_is_space);
        BOOST_TEST_REQUIRE(back.has_value());
        BOOST_TEST(*back == all);
    }
}

BOOST_AUTO_TEST_CASE(parse_urlencoded_splits_names_and_decodes_both_sides) {
    const auto fields = http::parse_urlencoded("a=1&b=two+words&c%21=%26%3D");
    BOOST_TEST(show(fields) == "[a=1][b=two words][c!=&=]");
}

BOOST_AUTO_TEST_CASE(parse_urlencoded_skips_empty_pieces) {
    BOOST_TEST(show(http::parse_urlencoded("&&a=1&&b=2&")) == "[a=1][b=2]");
    BOOST_TEST(http::parse_urlencoded("").empty());
    BOOST_TEST(http::parse_urlencoded("&").empty());
}

BOOST_AUTO_TEST_CASE(parse_urlencoded_field_without_equals_sign_has_empty_value) {
    BOOST_TEST(show(http::parse_urlencoded("flag&x=")) == "[flag=][x=]");
}

BOOST_AUTO_TEST_CASE(parse_urlencoded_splits_on_the_first_equals_sign_only) {
    BOOST_TEST(show(http::parse_urlencoded("a=b=c")) == "[a=b=c]");
    BOOST_TEST(show(http::parse_urlencoded("=v")) == "[=v]");
}

BOOST_AUTO_TEST_CASE(parse_urlencoded_keeps_repeated_names_in_order) {
    const auto fields = http::parse_urlencoded("a=1&b=x&a=2");
    BOOST_TEST(show(fields) == "[a=1][b=x][a=2]");
    BOOST_TEST(http::find_field(fields, "a").value() == "1");
}

BOOST_AUTO_TEST_CASE(parse_urlencoded_accepts_exactly_max_fields) {
    BOOST_TEST(http::parse_urlencoded("a&b&c", 3).size() == 3u);
}

BOOST_AUTO_TEST_CASE(parse_urlencoded_empty_pieces_do_not_count_towards_max_fields) {
    BOOST_TEST(http::parse_urlencoded("a&&&&&&b&&&", 2).size() == 2u);
}

BOOST_AUTO_TEST_CASE(parse_urlencoded_with_more_than_max_fields_is_400) {
    BOOST_CHECK_EXCEPTION(http::parse_urlencoded("a&b&c&d", 3), http::Error, has_status(400));
}

BOOST_AUTO_TEST_CASE(parse_urlencoded_default_limit_is_32_fields) {
    BOOST_TEST(http::parse_urlencoded(numbered_fields(32)).size() == 32u);
    BOOST_CHECK_EXCEPTION(http::parse_urlencoded(numbered_fields(33)), http::Error,
                          has_status(400));
}

BOOST_AUTO_TEST_CASE(parse_urlencoded_with_a_bad_escape_is_400) {
    const std::vector<std::string> bad = {
        "a=%", "a=%4", "%zz=1", "a=%G0", "a=1&b=%2", "%=1", "a=100%",
    };
    for (const auto& input : bad) {
        BOOST_TEST_CONTEXT("input: " << input) {
            BOOST_CHECK_EXCEPTION(http::parse_urlencoded(input), http::Error, has_status(400));
        }
    }
}

BOOST_AUTO_TEST_CASE(parse_urlencoded_with_invalid_utf8_is_400) {
    const std::vector<std::string> bad = {
        "a=%FF",            // never valid in UTF-8
        "%C0%80=x",         // overlong NUL in the name
        "a=%ED%A0%80",      // UTF-16 surrogate
        "a=%E2%82",         // truncated 3-byte sequence
        "n=%F4%90%80%80",   // above U+10FFFF
        "a=%80",            // lone continuation byte
        "a=\xFF",           // raw invalid byte, not escaped
    };
    for (const auto& input : bad) {
        BOOST_TEST_CONTEXT("input: " << printable(input)) {
            BOOST_CHECK_EXCEPTION(http::parse_urlencoded(input), http::Error, has_status(400));
        }
    }
}

BOOST_AUTO_TEST_CASE(parse_urlencoded_accepts_multi_byte_utf8) {
    const auto fields = http::parse_urlencoded("name=%C3%A9t%C3%A9&e=%F0%9F%98%80");
    BOOST_TEST(http::find_field(fields, "name").value() == "\xC3\xA9t\xC3\xA9");
    BOOST_TEST(http::find_field(fields, "e").value() == "\xF0\x9F\x98\x80");
}

BOOST_AUTO_TEST_CASE(parse_cookies_trims_spaces_and_tabs_around_names_and_values) {
    BOOST_TEST(show(http::parse_cookies("a=1; b = 2 ;\tc=3\t;  d=4")) == "[a=1][b=2][c=3][d=4]");
}

BOOST_AUTO_TEST_CASE(parse_cookies_strips_one_pair_of_surrounding_double_quotes) {
    BOOST_TEST(show(http::parse_cookies("a=\"x y\"; b=\"\"; c=\"; d=\"\"q\"\"")) ==
               "[a=x y][b=][c=\"][d=\"q\"]");
}

BOOST_AUTO_TEST_CASE(parse_cookies_skips_malformed_pieces) {
    BOOST_TEST(show(http::parse_cookies("novalue; =anonymous; ;; ; good=1;")) == "[good=1]");
}

BOOST_AUTO_TEST_CASE(parse_cookies_value_may_contain_equals_signs) {
    BOOST_TEST(show(http::parse_cookies("t=a=b==")) == "[t=a=b==]");
}

BOOST_AUTO_TEST_CASE(parse_cookies_of_an_empty_header_is_empty) {
    BOOST_TEST(http::parse_cookies("").empty());
    BOOST_TEST(http::parse_cookies("   ").empty());
}

BOOST_AUTO_TEST_CASE(parse_cookies_keeps_duplicates_and_find_field_returns_the_first) {
    const auto cookies = http::parse_cookies("sid=first; other=x; sid=second");
    BOOST_TEST(cookies.size() == 3u);
    BOOST_TEST(http::find_field(cookies, "sid").value() == "first");
}

BOOST_AUTO_TEST_CASE(parse_cookies_keeps_at_most_64_cookies) {
    std::string header;
    for (int i = 0; i < 100; ++i) header += "c" + std::to_string(i) + "=v; ";
    const auto cookies = http::parse_cookies(header);
    BOOST_TEST(cookies.size() == 64u);
    BOOST_TEST(cookies.back().first == "c63");
}

BOOST_AUTO_TEST_CASE(find_field_is_nullopt_for_a_missing_name) {
    const http::Fields fields = {{"a", "1"}};
    BOOST_TEST(!http::find_field(fields, "b").has_value());
    BOOST_TEST(!http::find_field({}, "a").has_value());
}

BOOST_AUTO_TEST_CASE(find_field_matches_names_case_sensitively) {
    const http::Fields fields = {{"SID", "upper"}, {"sid", "lower"}};
    BOOST_TEST(http::find_field(fields, "sid").value() == "lower");
    BOOST_TEST(!http::find_field(fields, "Sid").has_value());
}

BOOST_AUTO_TEST_CASE(find_field_returns_an_empty_value_rather_than_nullopt) {
    const http::Fields fields = {{"a", ""}};
    const auto v = http::find_field(fields, "a");
    BOOST_TEST_REQUIRE(v.has_value());
    BOOST_TEST(v->empty());
}
