// Fuzzes the MCF password hash strings read from the database ($s1$NNrrpp$salt$hash):
// service::parse_mcf, Passwords::needs_rehash and Passwords::verify, and that a hash verifies
// only its own password. verify() runs scrypt with
// the parameters the string names, so it is only called when they are tiny: a target that
// allocates up to 1 GiB or spends seconds per input would find nothing.
#include <libscrypt.h>

#include <cstdint>
#include <stdexcept>

#include "fuzz_support.hpp"
#include "service/passwords.hpp"
#include "util/text.hpp"

namespace {

// A cheap configuration, so the decoy hash (run for a malformed string) is cheap too.
const service::Passwords& passwords() {
    static const service::Passwords instance({16, 1, 1});
    return instance;
}

constexpr uint64_t kMaxFuzzWork = 64 * 4 * 2;  // N · r · p the target will actually compute

std::span<const uint8_t> bytes(std::string_view s) {
    return {reinterpret_cast<const uint8_t*>(s.data()), s.size()};
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    const std::string_view text = fuzz::as_text(data, size);
    const auto mcf = service::parse_mcf(text);
    if (mcf) {
        const auto& p = mcf->params;
        FUZZ_CHECK(p.N >= 2 && p.N <= (uint64_t{1} << 20) && (p.N & (p.N - 1)) == 0);
        FUZZ_CHECK(p.r >= 1 && p.r <= 32 && p.p >= 1 && p.p <= 16);
        FUZZ_CHECK(app::scrypt_memory_bytes(p) <= app::kMaxScryptMemoryBytes);
        FUZZ_CHECK(!mcf->salt.empty() && mcf->salt.size() <= 64);
        FUZZ_CHECK(mcf->hash.size() == 64);
        // Round trip through libscrypt's own formatter.
        char again[SCRYPT_MCF_LEN];
        const std::string salt_b64 = util::base64_encode(bytes(mcf->salt));
        const std::string hash_b64 = util::base64_encode(bytes(mcf->hash));
        if (salt_b64.size() <= 44 &&  // what fits libscrypt's fixed buffer
            libscrypt_mcf(static_cast<uint32_t>(p.N), p.r, p.p, salt_b64.c_str(), hash_b64.c_str(),
                          again) > 0) {
            const auto reparsed = service::parse_mcf(again);
            FUZZ_CHECK(reparsed && reparsed->params == p && reparsed->salt == mcf->salt &&
                       reparsed->hash == mcf->hash);
        }
    }
    FUZZ_CHECK(passwords().needs_rehash(text) == (!mcf || !(mcf->params == passwords().params())));

    // base64 as MCF strings use it: whatever decodes, encoded again, decodes the same.
    if (auto raw = util::base64_decode(text))
        FUZZ_CHECK(util::base64_decode(util::base64_encode(bytes(*raw))) == *raw);
    FUZZ_CHECK(size == 0 || util::base64_decode(util::base64_encode({data, size})) == std::string(text));

    if (!mcf || mcf->params.N * mcf->params.r * mcf->params.p <= kMaxFuzzWork) {
        // A malformed string costs a decoy hash and never verifies.
        const bool ok = passwords().verify("password-0123", text);
        if (!mcf) FUZZ_CHECK(!ok);
        else
            FUZZ_CHECK(ok == (service::scrypt_raw("password-0123", mcf->salt, mcf->params) == mcf->hash));
    }

    // The input read as two passwords (split in the middle): a hash verifies its own password
    // and no other one.
    // Passwords with a NUL byte are refused by hash() and match nothing.
    const std::string_view first = text.substr(0, size / 2), second = text.substr(size / 2);
    if (second.find('\0') != std::string_view::npos) {
        bool refused = false;
        try {
            passwords().hash(second);
        } catch (const std::invalid_argument&) {
            refused = true;
        }
        FUZZ_CHECK(refused);
        return 0;
    }
    const std::string stored = passwords().hash(second);
    FUZZ_CHECK(passwords().verify(second, stored));
    FUZZ_CHECK(passwords().verify(first, stored) == (first == second));
    return 0;
}
