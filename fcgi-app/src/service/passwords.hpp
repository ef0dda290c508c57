// Password hashing with scrypt in libscrypt's modular crypt format ($s1$NNrrpp$salt$hash),
// computed with libsodium's faster scrypt kernel.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "config.hpp"

namespace service {

using app::ScryptParams;

// The parts of an MCF string. Parsing bounds N, r and p, so a hostile or corrupt stored hash
// cannot make a login allocate unbounded memory.
struct Mcf {
    ScryptParams params;
    std::string salt;  // raw bytes
    std::string hash;  // raw bytes (64)
};

// Parses "$s1$0e0801$<salt b64>$<hash b64>"; nullopt when malformed or out of bounds.
std::optional<Mcf> parse_mcf(std::string_view mcf);

// The raw 64-byte scrypt output (exposed so a test can compare it with libscrypt's).
std::string scrypt_raw(std::string_view password, std::string_view salt, const ScryptParams& p);

class Passwords {
public:
    // Computes one hash up front (the decoy for unknown users): construct it once per process
    // that checks passwords (each worker builds its own after exec; the supervisor none).
    explicit Passwords(ScryptParams params);

    // A new MCF hash of password with a random 16-byte salt and the configured parameters.
    // Throws std::invalid_argument for a password holding a NUL byte (see verify).
    std::string hash(std::string_view password) const;

    // True when password matches mcf. Compares in constant time; false for a malformed mcf,
    // and false for any password holding a NUL byte, after the same work: scrypt's HMAC pads
    // keys with zeros, so "pw\0" would otherwise match the hash of "pw". A hash made with
    // cheaper parameters than the configured ones (before a cost increase, until its next login
    // re-hashes it) is padded with decoy work up to the configured cost, so that its account
    // answers in the time any other does, and an unknown one does.
    bool verify(std::string_view password, std::string_view mcf) const;

    // Spends the same work as verify() against a decoy hash and always returns false, so an
    // unknown username costs what a wrong password costs.
    bool verify_decoy(std::string_view password) const;

    // True when mcf was made with parameters other than the configured ones.
    bool needs_rehash(std::string_view mcf) const;

    const ScryptParams& params() const { return params_; }

private:
  // Spends, on the decoy, the work the configured parameters cost beyond `stored`'s.
  void pad_to_configured_cost(const ScryptParams& stored) const;

  ScryptParams params_;
  std::string decoy_;
};

}  // namespace service
