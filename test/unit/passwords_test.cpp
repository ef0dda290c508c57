#define BOOST_TEST_MODULE unit_passwords
#include <boost/test/unit_test.hpp>
// Covers service/passwords: MCF shape, verify, malformed hashes, parse_mcf bounds, rehash, decoy, libscrypt interop.

#include <libscrypt.h>

#include <set>
#include <stdexcept>
#include <string>
#include <vector>

#include "service/passwords.hpp"
#include "util/text.hpp"

namespace {

// Small parameters keep the suite fast; the interop cases use the defaults on purpose.
constexpr service::ScryptParams kSmall{1024, 8, 1};

const service::Passwords& small() {
    static const service::Passwords passwords(kSmall);
    return passwords;
}

// The four '$'-separated fields after the leading '$' ("s1", params, salt, hash).
std::vector<std::string> mcf_fields(const std::string& mcf) {
    std::vector<std::string> out;
    size_t pos = 1;
    while (true) {
        const size_t next = mcf.find('$', pos);
        out.push_back(mcf.substr(pos, next == std::string::npos ? std::string::npos : next - pos));
        if (next == std::string::npos) break;
        pos = next + 1;
    }
    return out;
}

std::string b64_of_zeros(size_t n) {
    const std::vector<uint8_t> zeros(n, 0);
    return util::base64_encode(zeros);
}

// A well-formed MCF string with the given parameter field, salt and hash lengths.
std::string mcf_with(const std::string& params, size_t salt_bytes = 16, size_t hash_bytes = 64) {
    return "$s1$" + params + "$" + b64_of_zeros(salt_bytes) + "$" + b64_of_zeros(hash_bytes);
}

// libscrypt_check with a writable copy, since it cuts its first argument up with strtok.
int libscrypt_check_copy(const std::string& mcf, const char* password) {
    std::vector<char> copy(mcf.begin(), mcf.end());
    copy.push_back('\0');
    return libscrypt_check(copy.data(), password);
}

std::string libscrypt_hash_of(const char* password, uint32_t N, uint8_t r, uint8_t p) {
    char buf[SCRYPT_MCF_LEN] = {};
    BOOST_TEST_REQUIRE(libscrypt_hash(buf, password, N, r, p) > 0);
    return buf;
}

}  // namespace

BOOST_AUTO_TEST_CASE(hash_has_the_mcf_shape_with_the_configured_parameters) {
    const std::string mcf = small().hash("correct horse");
    BOOST_TEST(mcf.starts_with("$s1$0a0801$"));
    const auto fields = mcf_fields(mcf);
    BOOST_TEST_REQUIRE(fields.size() == 4u);
    BOOST_TEST(fields[0] == "s1");
    BOOST_TEST(fields[1] == "0a0801");
    BOOST_TEST(fields[2].size() == 24u);  // 16 salt bytes
    BOOST_TEST(util::base64_decode(fields[2]).value().size() == 16u);
    BOOST_TEST(fields[3].size() == 88u);  // 64 hash bytes
    BOOST_TEST(util::base64_decode(fields[3]).value().size() == 64u);
}

BOOST_AUTO_TEST_CASE(hash_parses_back_to_the_configured_parameters) {
    const auto parsed = service::parse_mcf(small().hash("pw"));
    BOOST_TEST_REQUIRE(parsed.has_value());
    BOOST_TEST(parsed->params.N == 1024u);
    BOOST_TEST(parsed->params.r == 8u);
    BOOST_TEST(parsed->params.p == 1u);
    BOOST_TEST(parsed->salt.size() == 16u);
    BOOST_TEST(parsed->hash.size() == 64u);
}

BOOST_AUTO_TEST_CASE(hashing_the_same_password_twice_uses_different_salts) {
    std::set<std::string> hashes;
    for (int i = 0; i < 5; ++i) hashes.insert(small().hash("same"));
    BOOST_TEST(hashes.size() == 5u);
}

BOOST_AUTO_TEST_CASE(verify_is_true_for_the_right_password) {
    const std::vector<std::string> passwords = {
        "correct horse battery staple", "", "x", "p\xC3\xA4ssw\xC3\xB6rd \xF0\x9F\x94\x91",
        std::string(128, 'a'),
    };
    for (const auto& pw : passwords) {
        BOOST_TEST_CONTEXT("password of " << pw.size() << " bytes") {
            BOOST_TEST(small().verify(pw, small().hash(pw)));
        }
    }
}

BOOST_AUTO_TEST_CASE(verify_is_false_for_a_wrong_password) {
    const std::string mcf = small().hash("Secret1");
    const std::vector<std::string> wrong = {"secret1", "Secret", "Secret1 ", " Secret1", "Secret2",
                                            ""};
    for (const auto& pw : wrong) {
        BOOST_TEST_CONTEXT("password: '" << pw << "'") { BOOST_TEST(!small().verify(pw, mcf)); }
    }
}

// Regression (found by fuzz_mcf): scrypt's HMAC pads keys of up to 64 bytes with zeros, so
// verify("5\xde" "9", hash("5\xde" "9\0")) was true. A password with a NUL is never hashed and
// never matches.
BOOST_AUTO_TEST_CASE(password_with_a_trailing_nul_does_not_match_the_hash_of_its_prefix) {
    const std::string mcf = small().hash("5\xde" "9");
    BOOST_TEST(small().verify("5\xde" "9", mcf));
    BOOST_TEST(!small().verify(std::string("5\xde" "9\0", 4), mcf));
    BOOST_TEST(!small().verify(std::string("5\xde" "9\0\0\0", 6), mcf));
    const std::string ab = small().hash("ab");
    BOOST_TEST(!small().verify(std::string("ab\0", 3), ab));
    BOOST_TEST(!small().verify(std::string("ab\0cd", 5), ab));
}

BOOST_AUTO_TEST_CASE(hash_refuses_a_password_with_a_nul_byte) {
    BOOST_CHECK_THROW(small().hash(std::string("ab\0", 3)), std::invalid_argument);
    BOOST_CHECK_THROW(small().hash(std::string("ab\0cd", 5)), std::invalid_argument);
    BOOST_CHECK_THROW(small().hash(std::string(1, '\0')), std::invalid_argument);
}

BOOST_AUTO_TEST_CASE(verify_uses_the_parameters_stored_in_the_hash) {
    const service::Passwords other({2048, 4, 2});
    const std::string mcf = small().hash("pw");
    BOOST_TEST(other.verify("pw", mcf));
    BOOST_TEST(!other.verify("pW", mcf));
    BOOST_TEST(small().verify("pw", other.hash("pw")));
}

BOOST_AUTO_TEST_CASE(verify_of_a_malformed_hash_is_false_and_does_not_throw) {
    const std::string good = small().hash("pw");
    const auto f = mcf_fields(good);
    const std::string salt = f[2];
    const std::string hash = f[3];
    const std::vector<std::pair<std::string, std::string>> cases = {
        {"empty", ""},
        {"prefix only", "$s1$"},
        {"prefix and params", "$s1$0a0801$"},
        {"no hash field", "$s1$0a0801$" + salt},
        {"no hash after $", "$s1$0a0801$" + salt + "$"},
        {"bcrypt id", "$2b$10$N9qo8uLOickgx2ZMRZoMyeIjZAgcfl7p92ldGxad68LJZdL17lhWy"},
        {"wrong id", "$s2$0a0801$" + salt + "$" + hash},
        {"no leading $", "s1$0a0801$" + salt + "$" + hash},
        {"bad hex", "$s1$0g0801$" + salt + "$" + hash},
        {"signed hex", "$s1$-a0801$" + salt + "$" + hash},
        {"space in params", "$s1$ a0801$" + salt + "$" + hash},
        {"params too short", "$s1$a0801$" + salt + "$" + hash},
        {"params too long", "$s1$00a0801$" + salt + "$" + hash},
        {"log N 0", "$s1$000801$" + salt + "$" + hash},
        {"log N 21", "$s1$150801$" + salt + "$" + hash},
        {"log N 31", "$s1$1f0801$" + salt + "$" + hash},
        {"log N 255", "$s1$ff0801$" + salt + "$" + hash},
        {"r 0", "$s1$0a0001$" + salt + "$" + hash},
        {"r 33", "$s1$0a2101$" + salt + "$" + hash},
        {"p 0", "$s1$0a0800$" + salt + "$" + hash},
        {"p 17", "$s1$0a0811$" + salt + "$" + hash},
        {"4 GiB per hash (N 2^20, r 32)", "$s1$142001$" + salt + "$" + hash},
        {"2 GiB per hash (N 2^20, r 16)", "$s1$141001$" + salt + "$" + hash},
        {"bad base64 salt", "$s1$0a0801$!!!!!!!!!!!!!!!!!!!!!!!!$" + hash},
        {"empty salt", "$s1$0a0801$$" + hash},
        {"bad base64 hash", "$s1$0a0801$" + salt + "$" + hash.substr(0, 84) + "*AA="},
        {"unpadded hash", "$s1$0a0801$" + salt + "$" + hash.substr(0, 86)},
        {"short hash", mcf_with("0a0801", 16, 32)},
        {"hash of 63 bytes", mcf_with("0a0801", 16, 63)},
        {"hash of 65 bytes", mcf_with("0a0801", 16, 65)},
        {"salt of 65 bytes", mcf_with("0a0801", 65, 64)},
        {"trailing field", good + "$"},
        {"too long", good + std::string(200, 'A')},
        {"truncated", good.substr(0, good.size() - 1)},
    };
    for (const auto& [what, mcf] : cases) {
        BOOST_TEST_CONTEXT(what << ": " << mcf) {
            bool ok = true;
            BOOST_CHECK_NO_THROW(ok = small().verify("pw", mcf));
            BOOST_TEST(!ok);
            BOOST_TEST(!service::parse_mcf(mcf).has_value());
        }
    }
}

BOOST_AUTO_TEST_CASE(parse_mcf_accepts_parameters_at_its_bounds) {
    const std::vector<std::pair<std::string, service::ScryptParams>> cases = {
        {"010101", {2, 1, 1}},
        {"140801", {1u << 20, 8, 1}},
        {"0e2001", {16384, 32, 1}},
        {"0e0810", {16384, 8, 16}},
        {"0E0801", {16384, 8, 1}},  // upper-case hex digits
    };
    for (const auto& [params, expected] : cases) {
        BOOST_TEST_CONTEXT("params: " << params) {
            const auto parsed = service::parse_mcf(mcf_with(params));
            BOOST_TEST_REQUIRE(parsed.has_value());
            BOOST_TEST(parsed->params.N == expected.N);
            BOOST_TEST(parsed->params.r == expected.r);
            BOOST_TEST(parsed->params.p == expected.p);
        }
    }
}

BOOST_AUTO_TEST_CASE(parse_mcf_accepts_salts_from_1_to_64_bytes) {
    BOOST_TEST(service::parse_mcf(mcf_with("0a0801", 1)).value().salt.size() == 1u);
    BOOST_TEST(service::parse_mcf(mcf_with("0a0801", 32)).value().salt.size() == 32u);
    BOOST_TEST(service::parse_mcf(mcf_with("0a0801", 64)).value().salt.size() == 64u);
}

BOOST_AUTO_TEST_CASE(needs_rehash_is_false_for_a_hash_with_the_current_parameters) {
    BOOST_TEST(!small().needs_rehash(small().hash("pw")));
}

BOOST_AUTO_TEST_CASE(needs_rehash_is_true_for_a_hash_made_with_other_parameters) {
    const std::string mcf = small().hash("pw");
    const std::vector<service::ScryptParams> others = {{2048, 8, 1}, {512, 8, 1}, {1024, 4, 1},
                                                       {1024, 8, 2}};
    for (const auto& params : others) {
        BOOST_TEST_CONTEXT("N=" << params.N << " r=" << params.r << " p=" << params.p) {
            BOOST_TEST(service::Passwords(params).needs_rehash(mcf));
        }
    }
}

BOOST_AUTO_TEST_CASE(needs_rehash_is_true_for_a_malformed_hash) {
    BOOST_TEST(small().needs_rehash(""));
    BOOST_TEST(small().needs_rehash("$2b$10$abc"));
    BOOST_TEST(small().needs_rehash(mcf_with("0a0801", 16, 32)));
}

BOOST_AUTO_TEST_CASE(verify_decoy_is_always_false) {
    const std::vector<std::string> passwords = {"", "pw", "decoy", std::string(64, 'x'),
                                                std::string("a\0b", 3)};
    for (const auto& pw : passwords) {
        BOOST_TEST_CONTEXT("password of " << pw.size() << " bytes") {
            BOOST_TEST(!small().verify_decoy(pw));
        }
    }
}

BOOST_AUTO_TEST_CASE(params_returns_the_configured_parameters) {
    BOOST_TEST((small().params() == kSmall));
}

BOOST_AUTO_TEST_CASE(libscrypt_hash_verifies_with_passwords_verify) {
    const std::string mcf = libscrypt_hash_of("from libscrypt", 1024, 8, 1);
    BOOST_TEST(mcf.starts_with("$s1$0a0801$"));
    BOOST_TEST(small().verify("from libscrypt", mcf));
    BOOST_TEST(!small().verify("from libscrypT", mcf));
    BOOST_TEST(!small().needs_rehash(mcf));
}

BOOST_AUTO_TEST_CASE(passwords_hash_passes_libscrypt_check) {
    const std::string mcf = small().hash("to libscrypt");
    BOOST_TEST(libscrypt_check_copy(mcf, "to libscrypt") > 0);
    BOOST_TEST(libscrypt_check_copy(mcf, "to libscrypT") == 0);
}

BOOST_AUTO_TEST_CASE(default_parameters_interoperate_with_libscrypt_both_ways) {
    const service::ScryptParams defaults{};
    BOOST_TEST_REQUIRE(defaults.N == 16384u);
    BOOST_TEST_REQUIRE(defaults.r == 8u);
    BOOST_TEST_REQUIRE(defaults.p == 5u);  // OWASP's minimum at 16 MiB (finding 8 of issue #14)
    const service::Passwords passwords(defaults);

    const std::string ours = passwords.hash("default params \xC3\xA9");
    BOOST_TEST(ours.starts_with("$s1$0e0805$"));
    BOOST_TEST(libscrypt_check_copy(ours, "default params \xC3\xA9") > 0);
    BOOST_TEST(libscrypt_check_copy(ours, "default params e") == 0);

    const std::string theirs = libscrypt_hash_of("made by libscrypt", 16384, 8, 5);
    BOOST_TEST(theirs.starts_with("$s1$0e0805$"));
    BOOST_TEST(passwords.verify("made by libscrypt", theirs));
    BOOST_TEST(!passwords.verify("made by libscrypt!", theirs));
    BOOST_TEST(!passwords.needs_rehash(theirs));

    // A hash from before the cost went up (p=1) still verifies (padded with decoy work to the
    // new cost, which make bench times) and is marked for re-hashing at the next login.
    const std::string older = libscrypt_hash_of("hashed at p=1", 16384, 8, 1);
    BOOST_TEST(passwords.verify("hashed at p=1", older));
    BOOST_TEST(!passwords.verify("hashed at p=2", older));
    BOOST_TEST(passwords.needs_rehash(older));
}
