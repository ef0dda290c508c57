// Small text helpers: encodings, UTF-8 validation, constant-time comparison.
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace util {

// Lower-case hexadecimal encoding of bytes.
std::string hex_encode(std::span<const uint8_t> bytes);

// Standard base64 with padding (the alphabet libscrypt's MCF strings use).
std::string base64_encode(std::span<const uint8_t> bytes);
// Decodes standard padded base64; nullopt when the input is not valid base64.
std::optional<std::string> base64_decode(std::string_view text);

// URL-safe base64 without padding, for tokens that travel in cookies and URLs.
std::string base64url_encode(std::span<const uint8_t> bytes);

// Decodes URL-safe base64 without padding; nullopt when malformed.
std::optional<std::string> base64url_decode(std::string_view text);

// Percent-decodes text ('+' becomes a space when plus_is_space); nullopt on a bad escape.
std::optional<std::string> url_decode(std::string_view text, bool plus_is_space);

// Percent-encodes everything but unreserved characters (RFC 3986).
std::string url_encode(std::string_view text);

// True when text is well-formed UTF-8 (no overlongs, no surrogates, nothing above U+10FFFF).
bool is_valid_utf8(std::string_view text);

// Number of code points in text, which must be valid UTF-8.
size_t utf8_length(std::string_view text);

// The code points of text, which must be valid UTF-8.
std::u32string utf8_code_points(std::string_view text);

// True when text holds a C0 control character or DEL (tab and newline included).
bool has_control_chars(std::string_view text);

// True when UTF-8 text holds a C1 control (U+0080-U+009F) or a line/paragraph separator
// (U+2028, U+2029): invisible characters that break lines in logs and pages.
bool has_unicode_controls(std::string_view text);

// Compares two strings in time that depends only on their lengths.
bool constant_time_equal(std::string_view a, std::string_view b);

// The non-empty pieces of text between commas ("a,,b" gives a and b).
std::vector<std::string> split_commas(std::string_view text);

// text without the spaces and tabs at either end.
std::string_view trim(std::string_view text);

// ASCII lower-casing; other bytes are left alone.
std::string ascii_lower(std::string_view text);

// True for an RFC 3339 date-time: YYYY-MM-DDTHH:MM:SS[.fraction](Z|+HH:MM|-HH:MM), with
// real calendar dates (leap years included), a year from 0001 and offsets up to ±15:59.
bool is_rfc3339(std::string_view text);

// Unix seconds as RFC 3339 in UTC ("2026-11-30T12:00:00Z").
std::string rfc3339_utc(int64_t unix_seconds);

// At most max_bytes of text, cut at a UTF-8 character boundary; "" when text is not valid
// UTF-8 or holds control characters (for client-supplied strings that are stored and shown).
std::string printable_prefix(std::string_view text, size_t max_bytes);

// Parses a whole string as a non-negative decimal integer no larger than max.
std::optional<uint64_t> parse_uint(std::string_view text, uint64_t max);

}  // namespace util
