#define BOOST_TEST_MODULE unit_sessions_shape
#include <boost/test/unit_test.hpp>
// Covers service::is_session_id_shape: which cookie values may reach Redis as session ids.

#include <string>
#include <vector>

#include "service/sessions.hpp"
#include "util/crypto.hpp"

BOOST_AUTO_TEST_CASE(fresh_random_tokens_have_the_session_id_shape) {
    for (int i = 0; i < 20; ++i) {
        const std::string token = util::random_token();
        BOOST_TEST_CONTEXT("token: " << token) { BOOST_TEST(service::is_session_id_shape(token)); }
    }
}

BOOST_AUTO_TEST_CASE(every_base64url_character_is_allowed) {
    const std::vector<std::string> good = {
        std::string(43, 'A'),
        std::string(43, 'z'),
        std::string(43, '0'),
        std::string(43, '-'),
        std::string(43, '_'),
        "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopq",
        "rstuvwxyz0123456789-_ABCDEFGHIJKLMNOPQRSTUV",
    };
    for (const auto& id : good) {
        BOOST_TEST_CONTEXT("id: " << id) { BOOST_TEST(service::is_session_id_shape(id)); }
    }
}

BOOST_AUTO_TEST_CASE(wrong_length_is_not_a_session_id) {
    for (size_t len : {0u, 1u, 42u, 44u, 64u, 86u}) {
        BOOST_TEST_CONTEXT("length " << len) {
            BOOST_TEST(!service::is_session_id_shape(std::string(len, 'a')));
        }
    }
}

BOOST_AUTO_TEST_CASE(any_character_outside_base64url_is_not_a_session_id) {
    const std::string base = std::string(42, 'a');
    const std::vector<std::string> outsiders = {
        "+", "/", "=", ".", " ", "*", ":", "%", "\"", ";", "\n", std::string(1, '\0'), "\x7f",
        "\xC3",
    };
    for (const auto& c : outsiders) {
        BOOST_TEST_CONTEXT("byte " << static_cast<int>(static_cast<unsigned char>(c[0]))) {
            BOOST_TEST(!service::is_session_id_shape(base + c));
            BOOST_TEST(!service::is_session_id_shape(c + base));
        }
    }
}

BOOST_AUTO_TEST_CASE(a_standard_base64_token_with_padding_is_not_a_session_id) {
    // 32 bytes in padded standard base64 are 44 characters ending in '='.
    BOOST_TEST(!service::is_session_id_shape("q83vEjRWeJq83vEjRWeJq83vEjRWeJq83vEjRWeJq80="));
}
