// Randomness from the kernel and SHA-256, for session ids and token fingerprints.
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <string_view>

namespace util {

// Fills out with bytes from getrandom(2); throws std::runtime_error if the kernel refuses.
void random_bytes(std::span<uint8_t> out);

// A fresh URL-safe token carrying `bytes` random bytes (32 bytes = 256 bits by default).
std::string random_token(size_t bytes = 32);

// Lower-case hex SHA-256 of data.
std::string sha256_hex(std::string_view data);

}  // namespace util
