#define BOOST_TEST_MODULE unit_text
#include <boost/test/unit_test.hpp>
// Covers util/text (UTF-8, base64, hex, constant-time compare, parse_uint, RFC 3339, Unicode
// controls) and util/crypto.

#include <cstdint>
#include <limits>
#include <set>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "util/crypto.hpp"
#include "util/text.hpp"

namespace {

std::span<const uint8_t> bytes(std::string_view s) {
    return {reinterpret_cast<const uint8_t*>(s.data()), s.size()};
}

// Shows bytes as hex in failure messages.
std::string hex(std::string_view s) { return util::hex_encode(bytes(s)); }

}  // namespace

BOOST_AUTO_TEST_CASE(is_valid_utf8_accepts_well_formed_text) {
    const std::vector<std::string> good = {
        "",
        "plain ASCII",
        std::string("nul\0inside", 10),
        "\x7F",
        "\xC2\x80",               // U+0080, smallest 2-byte
        "\xC3\xA9",               // é
        "\xDF\xBF",               // U+07FF, largest 2-byte
        "\xE0\xA0\x80",           // U+0800, smallest 3-byte
        "\xE2\x82\xAC",           // €
        "\xED\x9F\xBF",           // U+D7FF, just below the surrogates
        "\xEE\x80\x80",           // U+E000, just above the surrogates
        "\xEF\xBF\xBF",           // U+FFFF
        "\xF0\x90\x80\x80",       // U+10000, smallest 4-byte
        "\xF0\x9F\x98\x80",       // 😀
        "\xF4\x8F\xBF\xBF",       // U+10FFFF, the largest code point
        "a\xC3\xA9\xE2\x82\xAC\xF0\x9F\x98\x80z",
    };
    for (const auto& text : good) {
        BOOST_TEST_CONTEXT("bytes: " << hex(text)) { BOOST_TEST(util::is_valid_utf8(text)); }
    }
}

BOOST_AUTO_TEST_CASE(is_valid_utf8_rejects_malformed_text) {
    const std::vector<std::string> bad = {
        "\x80",                   // lone continuation byte
        "\xBF",
        "\xC0\x80",               // overlong NUL
        "\xC1\xBF",               // overlong 2-byte
        "\xE0\x80\x80",           // overlong 3-byte
        "\xE0\x9F\xBF",           // overlong U+07FF
        "\xF0\x80\x80\x80",       // overlong 4-byte
        "\xF0\x8F\xBF\xBF",       // overlong U+FFFF
        "\xED\xA0\x80",           // U+D800, high surrogate
        "\xED\xBF\xBF",           // U+DFFF, low surrogate
        "\xF4\x90\x80\x80",       // U+110000, above the maximum
        "\xF7\xBF\xBF\xBF",
        "\xF8\x88\x80\x80\x80",   // 5-byte form
        "\xFC\x84\x80\x80\x80\x80",
        "\xFE",
        "\xFF",
        "\xC3",                   // truncated 2-byte
        "\xE2\x82",               // truncated 3-byte
        "\xF0\x9F\x98",           // truncated 4-byte
        "abc\xE2\x82",            // truncated at the end
        "\xC3" "A",               // continuation byte missing
        "\xE2\x28\xA1",
        "\xF0\x9F\x98\x28",
    };
    for (const auto& text : bad) {
        BOOST_TEST_CONTEXT("bytes: " << hex(text)) { BOOST_TEST(!util::is_valid_utf8(text)); }
    }
}

BOOST_AUTO_TEST_CASE(is_valid_utf8_stops_at_the_end_of_its_view) {
    // The bytes after the view would complete the sequence; they must not be read.
    const std::string text = "a\xC3\xA9\xE2\x82\xAC\xF0\x9F\x98\x80";
    const std::string_view view(text);
    BOOST_TEST(!util::is_valid_utf8(view.substr(0, 2)));
    BOOST_TEST(!util::is_valid_utf8(view.substr(0, 5)));
    BOOST_TEST(!util::is_valid_utf8(view.substr(0, 9)));
    BOOST_TEST(util::is_valid_utf8(view.substr(0, 3)));
    BOOST_TEST(util::is_valid_utf8(view));
}

BOOST_AUTO_TEST_CASE(utf8_length_counts_code_points_not_bytes) {
    BOOST_TEST(util::utf8_length("") == 0u);
    BOOST_TEST(util::utf8_length("abc") == 3u);
    BOOST_TEST(util::utf8_length("\xC3\xA9t\xC3\xA9") == 3u);
    BOOST_TEST(util::utf8_length("\xE2\x82\xAC\xF0\x9F\x98\x80") == 2u);
}

BOOST_AUTO_TEST_CASE(has_control_chars_finds_c0_controls_and_del) {
    for (int c = 0; c < 0x20; ++c) {
        BOOST_TEST_CONTEXT("byte " << c) {
            BOOST_TEST(util::has_control_chars("a" + std::string(1, static_cast<char>(c)) + "b"));
        }
    }
    BOOST_TEST(util::has_control_chars("x\x7F"));
    BOOST_TEST(util::has_control_chars("tab\there"));
    BOOST_TEST(util::has_control_chars("line\n"));
}

BOOST_AUTO_TEST_CASE(has_control_chars_is_false_for_printable_and_multi_byte_text) {
    BOOST_TEST(!util::has_control_chars(""));
    BOOST_TEST(!util::has_control_chars(" !~ printable ASCII"));
    BOOST_TEST(!util::has_control_chars("\xC3\xA9\xE2\x82\xAC\xF0\x9F\x98\x80"));
    BOOST_TEST(!util::has_control_chars("\xC2\x85"));  // U+0085 (C1), bytes above 0x7F
}

BOOST_AUTO_TEST_CASE(base64_encode_matches_rfc_4648_vectors) {
    const std::vector<std::pair<std::string, std::string>> vectors = {
        {"", ""},         {"f", "Zg=="},         {"fo", "Zm8="},         {"foo", "Zm9v"},
        {"foob", "Zm9vYg=="}, {"fooba", "Zm9vYmE="}, {"foobar", "Zm9vYmFy"},
    };
    for (const auto& [plain, encoded] : vectors) {
        BOOST_TEST_CONTEXT("plain: " << plain) {
            BOOST_TEST(util::base64_encode(bytes(plain)) == encoded);
        }
    }
}

BOOST_AUTO_TEST_CASE(base64_decode_matches_rfc_4648_vectors) {
    const std::vector<std::pair<std::string, std::string>> vectors = {
        {"f", "Zg=="},         {"fo", "Zm8="},         {"foo", "Zm9v"},
        {"foob", "Zm9vYg=="}, {"fooba", "Zm9vYmE="}, {"foobar", "Zm9vYmFy"},
    };
    for (const auto& [plain, encoded] : vectors) {
        BOOST_TEST_CONTEXT("encoded: " << encoded) {
            BOOST_TEST(util::base64_decode(encoded).value() == plain);
        }
    }
}

BOOST_AUTO_TEST_CASE(base64_uses_plus_and_slash) {
    const std::string raw = "\xFB\xFF\xBF";
    BOOST_TEST(util::base64_encode(bytes(raw)) == "+/+/");
    BOOST_TEST(util::base64_decode("+/+/").value() == raw);
}

BOOST_AUTO_TEST_CASE(base64_round_trips_every_length_and_byte) {
    std::string all;
    for (int b = 0; b < 256; ++b) all += static_cast<char>(b);
    for (size_t len = 1; len <= 70; ++len) {
        BOOST_TEST_CONTEXT("length " << len) {
            const std::string plain = all.substr(len, len);
            BOOST_TEST(util::base64_decode(util::base64_encode(bytes(plain))).value() == plain);
        }
    }
    BOOST_TEST(util::base64_decode(util::base64_encode(bytes(all))).value() == all);
}

BOOST_AUTO_TEST_CASE(base64_decode_rejects_invalid_text) {
    const std::vector<std::string> bad = {
        "Z",           // bad lengths
        "Zg",
        "Zg=",
        "Zm9vY",
        "Zm9vYg=",
        "Zm9vYg===",
        "Zm9v\n",
        "Zm9-",        // URL-safe alphabet is not standard base64
        "Zm9_",
        "Zm 9",        // space
        "Zm9\x80",     // non-ASCII
        "Zm.v",
        "=Zm9",        // misplaced '='
        "Z=m9",
        "Zm=9",
        "Zg==Zm9v",    // padding before the last quantum
        "Zm8=Zm9v",
        "====",
        "Z===",
        "A=A=",
    };
    for (const auto& text : bad) {
        BOOST_TEST_CONTEXT("text: " << hex(text)) {
            BOOST_TEST(!util::base64_decode(text).has_value());
        }
    }
}

BOOST_AUTO_TEST_CASE(base64url_encode_has_no_padding_and_no_plus_or_slash) {
    const std::string raw = "\xFB\xFF\xBF";
    BOOST_TEST(util::base64url_encode(bytes(raw)) == "-_-_");
    BOOST_TEST(util::base64url_encode(bytes("f")) == "Zg");
    BOOST_TEST(util::base64url_encode(bytes("fo")) == "Zm8");
    BOOST_TEST(util::base64url_encode(bytes("foo")) == "Zm9v");
    BOOST_TEST(util::base64url_encode(bytes("")) == "");
    std::string all;
    for (int b = 0; b < 256; ++b) all += static_cast<char>(b);
    const std::string encoded = util::base64url_encode(bytes(all));
    BOOST_TEST(encoded.find_first_of("+/=") == std::string::npos);
    BOOST_TEST(encoded.size() == 342u);  // ceil(256 * 4 / 3)
}

BOOST_AUTO_TEST_CASE(hex_encode_is_lower_case_two_digits_per_byte) {
    BOOST_TEST(util::hex_encode(bytes("")) == "");
    BOOST_TEST(util::hex_encode(bytes(std::string("\x00\x01\x0A\x7F\x80\xAB\xFF", 7))) ==
               "00010a7f80abff");
}

BOOST_AUTO_TEST_CASE(constant_time_equal_compares_content_and_length) {
    BOOST_TEST(util::constant_time_equal("", ""));
    BOOST_TEST(util::constant_time_equal("secret", "secret"));
    BOOST_TEST(!util::constant_time_equal("secret", "secreT"));
    BOOST_TEST(!util::constant_time_equal("secret", "Secret"));
    BOOST_TEST(!util::constant_time_equal("secret", "secret2"));
    BOOST_TEST(!util::constant_time_equal("secret", "secre"));
    BOOST_TEST(!util::constant_time_equal("", "a"));
    BOOST_TEST(!util::constant_time_equal(std::string("a\0b", 3), std::string("a\0c", 3)));
    BOOST_TEST(util::constant_time_equal(std::string("a\0b", 3), std::string("a\0b", 3)));
}

BOOST_AUTO_TEST_CASE(ascii_lower_changes_only_ascii_capitals) {
    BOOST_TEST(util::ascii_lower("Content-TYPE @[`{") == "content-type @[`{");
    BOOST_TEST(util::ascii_lower("\xC3\x89") == "\xC3\x89");
}

BOOST_AUTO_TEST_CASE(parse_uint_accepts_whole_decimal_numbers_up_to_max) {
    BOOST_TEST(util::parse_uint("0", 10).value() == 0u);
    BOOST_TEST(util::parse_uint("10", 10).value() == 10u);
    BOOST_TEST(util::parse_uint("007", 10).value() == 7u);
    BOOST_TEST(util::parse_uint("18446744073709551615", std::numeric_limits<uint64_t>::max())
                   .value() == std::numeric_limits<uint64_t>::max());
}

BOOST_AUTO_TEST_CASE(parse_uint_rejects_everything_else) {
    const uint64_t big = std::numeric_limits<uint64_t>::max();
    const std::vector<std::pair<std::string, uint64_t>> bad = {
        {"", big},
        {"11", 10},                      // above max
        {"18446744073709551616", big},   // overflows uint64
        {"99999999999999999999999", big},
        {"-1", big},
        {"+1", big},
        {" 1", big},
        {"1 ", big},
        {"12abc", big},
        {"1.0", big},
        {"0x10", big},
        {"1e3", big},
        {"abc", big},
    };
    for (const auto& [text, max] : bad) {
        BOOST_TEST_CONTEXT("text: '" << text << "' max " << max) {
            BOOST_TEST(!util::parse_uint(text, max).has_value());
        }
    }
}

BOOST_AUTO_TEST_CASE(sha256_hex_matches_the_known_vectors) {
    BOOST_TEST(util::sha256_hex("abc") ==
               "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    BOOST_TEST(util::sha256_hex("") ==
               "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
}

BOOST_AUTO_TEST_CASE(random_token_is_43_url_safe_characters) {
    const std::string token = util::random_token();
    BOOST_TEST(token.size() == 43u);
    BOOST_TEST(token.find_first_not_of(
                   "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_") ==
               std::string::npos);
}

BOOST_AUTO_TEST_CASE(random_token_length_follows_the_byte_count) {
    BOOST_TEST(util::random_token(24).size() == 32u);
    BOOST_TEST(util::random_token(16).size() == 22u);
}

BOOST_AUTO_TEST_CASE(two_random_tokens_differ) {
    std::set<std::string> tokens;
    for (int i = 0; i < 100; ++i) tokens.insert(util::random_token());
    BOOST_TEST(tokens.size() == 100u);
}

BOOST_AUTO_TEST_CASE(random_bytes_fills_the_whole_buffer) {
    // 4096 zero bytes staying all zero has probability 2^-32768.
    std::vector<uint8_t> buf(4096, 0);
    util::random_bytes(buf);
    size_t zeros_in_last_quarter = 0;
    for (size_t i = 3072; i < buf.size(); ++i) zeros_in_last_quarter += buf[i] == 0;
    BOOST_TEST(zeros_in_last_quarter < 100u);  // expected 4 of 1024
}

// Length 0 is left out: base64url_decode("") is nullopt although base64url_encode gives "".
BOOST_AUTO_TEST_CASE(base64url_decode_round_trips_every_length_from_1_to_40) {
    std::string all;
    for (int b = 0; b < 256; ++b) all += static_cast<char>(255 - b);
    for (size_t len = 1; len <= 40; ++len) {
        BOOST_TEST_CONTEXT("length " << len) {
            const std::string plain = all.substr(len * 3, len);
            const std::string encoded = util::base64url_encode(bytes(plain));
            const auto decoded = util::base64url_decode(encoded);
            BOOST_TEST_REQUIRE(decoded.has_value(), "encoded: " << encoded);
            BOOST_TEST(hex(*decoded) == hex(plain));
        }
    }
}

BOOST_AUTO_TEST_CASE(base64url_decode_reads_the_url_safe_alphabet) {
    BOOST_TEST(hex(util::base64url_decode("-_-_").value()) == "fbffbf");
    BOOST_TEST(util::base64url_decode("Zm9vYmFy").value() == "foobar");
    BOOST_TEST(util::base64url_decode("Zm9vYg").value() == "foob");
    BOOST_TEST(util::base64url_decode("Zm9vYmE").value() == "fooba");
}

BOOST_AUTO_TEST_CASE(base64url_decode_rejects_standard_alphabet_padding_and_impossible_lengths) {
    const std::vector<std::string> bad = {
        "+/+/",       // the standard alphabet's two extra characters
        "Zm9+",
        "Zm9/",
        "Zg==",       // padding
        "Zm8=",
        "Zg=",
        "=",
        "Z",          // length % 4 == 1 cannot come from any byte string
        "Zm9vY",
        "Zm9vYmFyZ",
        "Zm 9",       // outside the alphabet
        "Zm.v",
        "Zm9\x80",
    };
    for (const auto& text : bad) {
        BOOST_TEST_CONTEXT("text: " << hex(text)) {
            BOOST_TEST(!util::base64url_decode(text).has_value());
        }
    }
}

BOOST_AUTO_TEST_CASE(has_unicode_controls_finds_c1_controls_and_line_separators) {
    const std::vector<std::string> found = {
        "\xC2\x85",               // U+0085 NEXT LINE
        "name\xC2\x85",           // at the very end
        "a\xC2\x80z",             // U+0080, first C1 control
        "a\xC2\x9Fz",             // U+009F, last C1 control
        "\xE2\x80\xA8",           // U+2028 LINE SEPARATOR
        "line\xE2\x80\xA8two",
        "para\xE2\x80\xA9",       // U+2029 PARAGRAPH SEPARATOR
        "\xC3\xA9\xE2\x80\xA9",   // after a multi-byte character
    };
    for (const auto& text : found) {
        BOOST_TEST_CONTEXT("bytes: " << hex(text)) { BOOST_TEST(util::has_unicode_controls(text)); }
    }
}

BOOST_AUTO_TEST_CASE(has_unicode_controls_is_false_for_ordinary_text) {
    const std::vector<std::string> clean = {
        "",
        "plain ASCII, even with\ttabs",  // C0 controls are has_control_chars' job
        "\xC3\xA9",                      // é
        "Ren\xC3\xA9\x65",
        "\xF0\x9F\x98\x80",              // 😀
        "\xF0\x9F\x91\xA9\xE2\x80\x8D\xF0\x9F\x92\xBB",  // 👩‍💻 (a ZWJ sequence)
        "\xC2\xA0",                      // U+00A0, just above the C1 range
        "\xC2\x7F",                      // not a C1 sequence (and not UTF-8 either)
        "\xE2\x80\xA7",                  // U+2027, just below U+2028
        "\xE2\x80\xAA",                  // U+202A, just above U+2029
        "\xE2\x82\xAC",                  // €
        "\xE2\x80",                      // a truncated prefix of U+2028
    };
    for (const auto& text : clean) {
        BOOST_TEST_CONTEXT("bytes: " << hex(text)) {
            BOOST_TEST(!util::has_unicode_controls(text));
        }
    }
}

BOOST_AUTO_TEST_CASE(is_rfc3339_accepts_date_times_with_any_zone_and_fraction) {
    const std::vector<std::string> good = {
        "2026-01-31T12:00:00Z",
        "2026-01-31t12:00:00z",            // RFC 3339 allows lower-case T and Z
        "2026-01-31T12:00:00+00:00",
        "2026-01-31T12:00:00-00:00",
        "2026-01-31T12:00:00+05:30",
        "2026-01-31T12:00:00-11:45",
        "2026-01-31T00:00:00+14:00",       // the largest offset in use (Kiribati)
        "2026-01-31T00:00:00-15:59",       // the largest PostgreSQL accepts
        "2026-01-31T23:59:59.1Z",
        "2026-01-31T23:59:59.123456Z",     // PostgreSQL's precision
        "2026-01-31T23:59:59.123456789Z",  // nanoseconds: 9 digits
        "2026-01-31T23:59:59.000000001+01:00",
        "2024-02-29T00:00:00Z",            // leap year
        "2000-02-29T00:00:00Z",            // divisible by 400: leap year
        "2026-12-31T23:59:60Z",            // leap second
        "2026-06-30T23:59:60+02:00",
        "2026-04-30T10:00:00Z",
        "2026-12-31T10:00:00Z",
    };
    for (const auto& text : good) {
        BOOST_TEST_CONTEXT("text: " << text) { BOOST_TEST(util::is_rfc3339(text)); }
    }
}

BOOST_AUTO_TEST_CASE(is_rfc3339_rejects_impossible_dates_and_malformed_text) {
    const std::vector<std::string> bad = {
        "",
        "0000-01-01T00:00:00Z",            // year 0: PostgreSQL has no year zero
        "2026-01-31T00:00:00+16:00",       // offsets PostgreSQL refuses
        "2026-01-31T00:00:00-23:59",
        "2026-02-29T00:00:00Z",            // 2026 is not a leap year
        "1900-02-29T00:00:00Z",            // divisible by 100, not by 400
        "2026-02-30T00:00:00Z",
        "2024-02-30T00:00:00Z",
        "2026-04-31T00:00:00Z",
        "2026-13-01T00:00:00Z",            // month 13
        "2026-00-10T00:00:00Z",
        "2026-01-00T00:00:00Z",
        "2026-01-32T00:00:00Z",
        "2026-01-01T24:00:00Z",            // hour 24
        "2026-01-01T12:60:00Z",
        "2026-01-01T12:00:61Z",
        "2026-01-01 12:00:00Z",            // space instead of T
        "2026-01-0112:00:00Z",             // missing T
        "2026-01-01T12:00:00",             // no zone
        "2026-01-01T12:00:00.123",
        "2026-01-01T12:00:00.1234567890Z", // 10 fraction digits
        "2026-01-01T12:00:00.Z",           // empty fraction
        "2026-01-01T12:00:00,5Z",
        "2026-01-01T12:00:00Zjunk",        // trailing junk
        "2026-01-01T12:00:00Z ",
        "2026-01-01T12:00:00+01:00x",
        "2026-01-01T12:00:00+01:00Z",
        "2026-01-01T12:00:00+0100",
        "2026-01-01T12:00:00+01",
        "2026-01-01T12:00:00+24:00",
        "2026-01-01T12:00:00+01:60",
        "2026-01-01T12:00Z",               // no seconds
        "2026-1-01T12:00:00Z",
        "2026-01-1T12:00:00Z",
        "26-01-01T12:00:00Z",
        "2026/01/01T12:00:00Z",
        "2026-01-01T12.00.00Z",
        " 2026-01-01T12:00:00Z",
        "2026-01-01",
        "2026-0a-01T12:00:00Z",
    };
    for (const auto& text : bad) {
        BOOST_TEST_CONTEXT("text: '" << text << "'") { BOOST_TEST(!util::is_rfc3339(text)); }
    }
}

BOOST_AUTO_TEST_CASE(is_rfc3339_reads_only_its_view) {
    // The bytes after the view would complete the zone; they must not be read.
    const std::string text = "2026-01-31T12:00:00Z";
    const std::string_view view(text);
    BOOST_TEST(!util::is_rfc3339(view.substr(0, 19)));
    BOOST_TEST(util::is_rfc3339(view));
}
