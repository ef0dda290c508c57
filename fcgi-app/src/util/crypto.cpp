// Randomness from the kernel and SHA-256, for session ids and token fingerprints.
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

}  // namespace util
