// All SQL about second factors: the TOTP columns of users and the recovery_codes table.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "store/pg.hpp"

namespace store {

struct TotpRow {
    std::string secret;  // base32
    int64_t last_step = 0;  // the last 30-second step whose code was accepted (0: none yet)
};

class MfaStore {
public:
    explicit MfaStore(Pg& primary);

    // The user's confirmed TOTP secret, or nullopt when the second factor is off.
    std::optional<TotpRow> find(int64_t user_id);
    // Turns the second factor on with secret (its code of `step` was just accepted) and
    // replaces the recovery codes with these SHA-256 hashes, in one transaction. False when
    // the user is gone.
    bool enable(int64_t user_id, const std::string& secret, int64_t step,
                const std::vector<std::string>& code_hashes);
    // Records that step's code was used: true only when step is later than any code accepted
    // before (so a code is never accepted twice, even by two workers at once).
    bool use_step(int64_t user_id, int64_t step);
    // Uses up one unused recovery code by its hash; false when there is no such unused code.
    bool use_recovery_code(int64_t user_id, const std::string& code_hash);
    // Unused recovery codes left.
    int recovery_codes_left(int64_t user_id);
    // Turns the second factor off and deletes the recovery codes; false when it was off.
    bool disable(int64_t user_id);

private:
    Pg& pg_;
};

}  // namespace store
