// Randomness from the kernel, SHA-256 and HMAC-SHA256.
#include "util/crypto.hpp"

#include <sodium.h>
#include <sys/random.h>

#include <array>
#include <cerrno>
#include <stdexcept>
#include <vector>

#include "util/text.hpp"

namespace util {

void random_bytes(std::span<uint8_t> out) {
    size_t filled = 0;
    while (filled < out.size()) {
        const ssize_t n = getrandom(out.data() + filled, out.size() - filled, 0);
        if (n < 0) {
            if (errno == EINTR) continue;
            throw std::runtime_error("getrandom failed");
        }
        filled += static_cast<size_t>(n);
    }
}

std::string random_token(size_t bytes) {
    std::vector<uint8_t> buf(bytes);
    random_bytes(buf);
    return base64url_encode(buf);
}

std::string sha256_hex(std::string_view data) {
    std::array<uint8_t, crypto_hash_sha256_BYTES> digest{};
    crypto_hash_sha256(digest.data(), reinterpret_cast<const unsigned char*>(data.data()),
                       data.size());
    return hex_encode(digest);
}

std::string hmac_sha256(std::string_view key, std::string_view message) {
    crypto_auth_hmacsha256_state state;
    crypto_auth_hmacsha256_init(&state, reinterpret_cast<const unsigned char*>(key.data()),
                                key.size());
    crypto_auth_hmacsha256_update(&state, reinterpret_cast<const unsigned char*>(message.data()),
                                  message.size());
    std::string mac(crypto_auth_hmacsha256_BYTES, '\0');
    crypto_auth_hmacsha256_final(&state, reinterpret_cast<unsigned char*>(mac.data()));
    return mac;
}

}  // namespace util
