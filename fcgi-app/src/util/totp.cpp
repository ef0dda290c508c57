// TOTP through liboath.
#include "util/totp.hpp"

#include <liboath/oath.h>

#include <cstdlib>
#include <memory>
#include <stdexcept>
#include <vector>

#include "util/crypto.hpp"
#include "util/text.hpp"

namespace util {
namespace {

struct FreeDeleter {
    void operator()(char* p) const noexcept { std::free(p); }
};
using CString = std::unique_ptr<char, FreeDeleter>;

void init_oath_once() {
    static const int rc = oath_init();
    if (rc != OATH_OK) throw std::runtime_error("oath_init failed");
}

// The raw key of a base32 secret; nullopt when it is not base32.
std::optional<std::string> decode(std::string_view base32) {
    init_oath_once();
    char* out = nullptr;
    size_t len = 0;
    if (oath_base32_decode(base32.data(), base32.size(), &out, &len) != OATH_OK) return std::nullopt;
    CString owned(out);
    return std::string(out, len);
}

bool six_digits(std::string_view code) {
    if (code.size() != 6) return false;
    for (const char c : code)
        if (c < '0' || c > '9') return false;
    return true;
}

}  // namespace

std::string new_totp_secret() {
    init_oath_once();
    std::vector<uint8_t> key(20);
    random_bytes(key);
    char* out = nullptr;
    size_t len = 0;
    if (oath_base32_encode(reinterpret_cast<const char*>(key.data()), key.size(), &out, &len) !=
        OATH_OK)
        throw std::runtime_error("oath_base32_encode failed");
    CString owned(out);
    return std::string(out, len);
}

std::optional<int64_t> totp_matching_step(std::string_view base32_secret, std::string_view code,
                                          std::time_t now, int window) {
    if (!six_digits(code)) return std::nullopt;
    const auto key = decode(base32_secret);
    if (!key || key->empty()) return std::nullopt;
    const std::string otp(code);
    int position = 0;
    uint64_t counter = 0;
    const int rc = oath_totp_validate3(key->data(), key->size(), now, kTotpStepSeconds, 0,
                                       static_cast<size_t>(window), &position, &counter,
                                       otp.c_str());
    if (rc < 0) return std::nullopt;
    return static_cast<int64_t>(counter);
}

std::string totp_code(std::string_view base32_secret, std::time_t at) {
    const auto key = decode(base32_secret);
    if (!key) throw std::invalid_argument("not a base32 secret");
    char otp[7] = {0};
    if (oath_totp_generate(key->data(), key->size(), at, kTotpStepSeconds, 0, 6, otp) != OATH_OK)
        throw std::runtime_error("oath_totp_generate failed");
    return otp;
}

std::string otpauth_uri(std::string_view issuer, std::string_view account,
                        std::string_view base32_secret) {
    const std::string label = url_encode(issuer) + ":" + url_encode(account);
    return "otpauth://totp/" + label + "?secret=" + std::string(base32_secret) +
           "&issuer=" + url_encode(issuer) + "&algorithm=SHA1&digits=6&period=30";
}

std::string grouped_secret(std::string_view base32_secret) {
    std::string out;
    for (size_t i = 0; i < base32_secret.size(); ++i) {
        if (i > 0 && i % 4 == 0) out += ' ';
        out += base32_secret[i];
    }
    return out;
}

}  // namespace util
