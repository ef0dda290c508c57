// Password hashing with scrypt in libscrypt's modular crypt format.
#include "service/passwords.hpp"

#include <libscrypt.h>
#include <sodium.h>

#include <array>
#include <charconv>
#include <stdexcept>

#include "util/crypto.hpp"
#include "util/text.hpp"

namespace service {
namespace {

constexpr size_t kSaltBytes = 16;
constexpr size_t kHashBytes = SCRYPT_HASH_LEN;
constexpr unsigned kMaxLogN = 20;


std::span<const uint8_t> bytes(std::string_view s) {
    return {reinterpret_cast<const uint8_t*>(s.data()), s.size()};
}

}  // namespace

// scrypt itself. libsodium's kernel computes the same function as libscrypt_scrypt with SIMD,
// in about half the time (the passwords unit test proves the outputs byte-identical, with
// libscrypt as the reference); the stored format stays libscrypt's $s1$. An explicit length
// means a password with a NUL byte is hashed whole, not cut short by strlen().
std::string scrypt_raw(std::string_view password, std::string_view salt, const ScryptParams& p) {
    static const uint8_t kEmpty = 0;
    std::string out(kHashBytes, '\0');
    const auto* pw = password.empty() ? &kEmpty : reinterpret_cast<const uint8_t*>(password.data());
    if (crypto_pwhash_scryptsalsa208sha256_ll(
            pw, password.size(), reinterpret_cast<const uint8_t*>(salt.data()), salt.size(), p.N,
            p.r, p.p, reinterpret_cast<uint8_t*>(out.data()), out.size()) != 0)
        throw std::runtime_error("scrypt failed");
    return out;
}

std::optional<Mcf> parse_mcf(std::string_view mcf) {
    if (!mcf.starts_with("$s1$") || mcf.size() > 200) return std::nullopt;
    mcf.remove_prefix(4);
    const size_t d1 = mcf.find('$');
    if (d1 != 6) return std::nullopt;
    uint32_t work = 0;
    auto [ptr, ec] = std::from_chars(mcf.data(), mcf.data() + 6, work, 16);
    if (ec != std::errc{} || ptr != mcf.data() + 6) return std::nullopt;
    const unsigned log_n = work >> 16;
    Mcf out;
    out.params.r = (work >> 8) & 0xff;
    out.params.p = work & 0xff;
    if (log_n < 1 || log_n > kMaxLogN || out.params.r < 1 || out.params.r > 32 ||
        out.params.p < 1 || out.params.p > 16)
        return std::nullopt;
    out.params.N = uint64_t{1} << log_n;
    // A corrupt or planted hash must not make one login allocate gigabytes.
    if (app::scrypt_memory_bytes(out.params) > app::kMaxScryptMemoryBytes) return std::nullopt;
    std::string_view rest = mcf.substr(7);
    const size_t d2 = rest.find('$');
    if (d2 == std::string_view::npos) return std::nullopt;
    auto salt = util::base64_decode(rest.substr(0, d2));
    auto hash = util::base64_decode(rest.substr(d2 + 1));
    if (!salt || salt->empty() || salt->size() > 64 || !hash || hash->size() != kHashBytes)
        return std::nullopt;
    out.salt = std::move(*salt);
    out.hash = std::move(*hash);
    return out;
}

Passwords::Passwords(ScryptParams params) : params_(params) {
    // Selects libsodium's fastest scrypt implementation for this CPU; safe to call again.
    if (sodium_init() < 0) throw std::runtime_error("libsodium failed to initialise");
    decoy_ = hash(util::random_token(24));
}

std::string Passwords::hash(std::string_view password) const {
    if (password.find('\0') != std::string_view::npos)
        throw std::invalid_argument("a password must not hold a NUL byte");
    std::array<uint8_t, kSaltBytes> salt{};
    util::random_bytes(salt);
    const std::string salt_view(reinterpret_cast<const char*>(salt.data()), salt.size());
    const std::string raw = scrypt_raw(password, salt_view, params_);
    const std::string salt_b64 = util::base64_encode(salt);
    const std::string hash_b64 = util::base64_encode(bytes(raw));
    char mcf[SCRYPT_MCF_LEN];
    if (libscrypt_mcf(static_cast<uint32_t>(params_.N), params_.r, params_.p, salt_b64.c_str(),
                      hash_b64.c_str(), mcf) <= 0)
        throw std::runtime_error("libscrypt_mcf failed");
    return mcf;
}

bool Passwords::verify(std::string_view password, std::string_view mcf) const {
    auto parsed = parse_mcf(mcf);
    // Found by fuzz_mcf: verify("pw", hash("pw\0")) was true, as HMAC-SHA256 pads keys of up
    // to 64 bytes with zeros. No password with a NUL can be set, so none may match either.
    if (!parsed || password.find('\0') != std::string_view::npos) return verify_decoy(password);
    const bool match =
        util::constant_time_equal(scrypt_raw(password, parsed->salt, parsed->params), parsed->hash);
    pad_to_configured_cost(parsed->params);
    return match;
}

void Passwords::pad_to_configured_cost(const ScryptParams& stored) const {
    // scrypt's time grows with N·r·p; the missing share is made up in whole lanes (p) of the
    // configured N and r, so a p=1 hash under p=5 costs four more lanes.
    const uint64_t lane = params_.N * params_.r;
    const uint64_t wanted = lane * params_.p;
    const uint64_t spent = stored.N * stored.r * stored.p;
    if (spent >= wanted) return;
    const auto lanes = static_cast<uint32_t>((wanted - spent + lane / 2) / lane);
    if (lanes == 0) return;
    auto decoy = parse_mcf(decoy_);
    [[maybe_unused]] const std::string wasted =
        scrypt_raw("padding", decoy->salt, ScryptParams{params_.N, params_.r, lanes});
}

bool Passwords::verify_decoy(std::string_view password) const {
    auto parsed = parse_mcf(decoy_);
    [[maybe_unused]] bool ignored = util::constant_time_equal(
        scrypt_raw(password, parsed->salt, parsed->params), parsed->hash);
    return false;
}

bool Passwords::needs_rehash(std::string_view mcf) const {
    auto parsed = parse_mcf(mcf);
    return !parsed || !(parsed->params == params_);
}

}  // namespace service
