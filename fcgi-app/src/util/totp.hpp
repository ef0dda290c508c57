// TOTP (RFC 6238: HMAC-SHA1, 6 digits, 30-second steps) through liboath, and the otpauth://
// URI authenticator apps read from a QR code.
#pragma once

#include <cstdint>
#include <ctime>
#include <optional>
#include <string>
#include <string_view>

namespace util {

constexpr int kTotpStepSeconds = 30;

// A new secret: 160 random bits (RFC 4226's recommended length), as 32 base32 characters.
std::string new_totp_secret();

// The step number (now / 30) whose code equals code, searching now's step and `window` steps
// on either side (clock drift); nullopt when no step matches, when code is not 6 digits, or the
// secret is not base32.
std::optional<int64_t> totp_matching_step(std::string_view base32_secret, std::string_view code,
                                          std::time_t now, int window = 1);

// The 6-digit code of the step that holds `at` (for tests and the enrolment check).
std::string totp_code(std::string_view base32_secret, std::time_t at);

// otpauth://totp/<issuer>:<account>?secret=…&issuer=…&algorithm=SHA1&digits=6&period=30
std::string otpauth_uri(std::string_view issuer, std::string_view account,
                        std::string_view base32_secret);

// The secret in groups of four for people to type ("ABCD EFGH …").
std::string grouped_secret(std::string_view base32_secret);

}  // namespace util
