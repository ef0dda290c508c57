// Randomness from the kernel, SHA-256 and HMAC-SHA256, for session ids, token fingerprints and
// signed values.
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

// The raw 32-byte HMAC-SHA256 of message under key (any length).
std::string hmac_sha256(std::string_view key, std::string_view message);

}  // namespace util
