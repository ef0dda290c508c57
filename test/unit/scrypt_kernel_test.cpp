// The scrypt kernel the service uses (libsodium's) gives byte-identical output to libscrypt,
// the reference, across parameters, salts and passwords.
#define BOOST_TEST_MODULE unit_scrypt_kernel
#include <boost/test/unit_test.hpp>

#include <libscrypt.h>
#include <sodium.h>

#include <string>
#include <vector>

#include "service/passwords.hpp"
#include "util/crypto.hpp"

namespace {

std::string libscrypt_reference(const std::string& password, const std::string& salt,
                                const service::ScryptParams& p) {
    std::string out(64, '\0');
    BOOST_REQUIRE(libscrypt_scrypt(reinterpret_cast<const uint8_t*>(password.data()),
                                   password.size(), reinterpret_cast<const uint8_t*>(salt.data()),
                                   salt.size(), p.N, p.r, p.p,
                                   reinterpret_cast<uint8_t*>(out.data()), out.size()) == 0);
    return out;
}

}  // namespace

BOOST_AUTO_TEST_CASE(sodium_kernel_matches_libscrypt_byte_for_byte) {
    BOOST_REQUIRE(sodium_init() >= 0);
    const std::vector<service::ScryptParams> params = {
        {16384, 8, 1},  // the default
        {1024, 8, 1}, {2048, 1, 1}, {1024, 16, 2}, {4096, 8, 3}, {2, 1, 1},
    };
    const std::vector<std::string> passwords = {
        "demo-pass-123", "", "x", std::string("nul\0inside", 10), "pässwörd ✓ 🔑",
        std::string(128, 'a'), std::string(200, '\xff'),
    };
    for (const auto& p : params) {
        for (size_t i = 0; i < passwords.size(); ++i) {
            const std::string salt = util::random_token(12);  // a fresh random salt per case
            BOOST_TEST_CONTEXT("N=" << p.N << " r=" << p.r << " p=" << p.p << " password #" << i) {
                const std::string ours = service::scrypt_raw(passwords[i], salt, p);
                BOOST_TEST(ours.size() == 64u);
                BOOST_TEST(ours == libscrypt_reference(passwords[i], salt, p));
            }
        }
    }
}

BOOST_AUTO_TEST_CASE(hashes_made_with_the_sodium_kernel_pass_libscrypt_check) {
    const service::Passwords passwords({16384, 8, 1});
    std::string mcf = passwords.hash("correct horse battery staple");
    std::vector<char> writable(mcf.begin(), mcf.end());
    writable.push_back('\0');
    BOOST_TEST(libscrypt_check(writable.data(), "correct horse battery staple") > 0);
}
