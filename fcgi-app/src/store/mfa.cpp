// Second factors in PostgreSQL.
#include "store/mfa.hpp"

namespace store {
namespace {

// {"a","b"}: a text[] literal of hex hashes (no quoting needed).
std::string array_literal(const std::vector<std::string>& items) {
    std::string out = "{";
    for (const auto& item : items) out += (out.size() > 1 ? "," : "") + item;
    return out + "}";
}

}  // namespace

MfaStore::MfaStore(Pg& primary) : pg_(primary) {
    pg_.define("mfa_find",
               "SELECT totp_secret, COALESCE(totp_last_step, 0) FROM users "
               "WHERE id = $1 AND totp_enabled_at IS NOT NULL");
    pg_.define("mfa_enable",
               "UPDATE users SET totp_secret = $2, totp_enabled_at = now(), totp_last_step = $3, "
               "updated_at = now() WHERE id = $1 RETURNING id");
    pg_.define("mfa_codes_delete", "DELETE FROM recovery_codes WHERE user_id = $1");
    pg_.define("mfa_codes_insert",
               "INSERT INTO recovery_codes (user_id, code_sha256) "
               "SELECT $1, unnest($2::text[])");
    pg_.define("mfa_use_step",
               "UPDATE users SET totp_last_step = $2 WHERE id = $1 AND totp_enabled_at IS NOT NULL "
               "AND COALESCE(totp_last_step, 0) < $2 RETURNING id");
    pg_.define("mfa_use_code",
               "UPDATE recovery_codes SET used_at = now() WHERE user_id = $1 AND code_sha256 = $2 "
               "AND used_at IS NULL RETURNING user_id");
    pg_.define("mfa_codes_left",
               "SELECT count(*) FROM recovery_codes WHERE user_id = $1 AND used_at IS NULL");
    pg_.define("mfa_disable",
               "UPDATE users SET totp_secret = NULL, totp_enabled_at = NULL, totp_last_step = NULL, "
               "updated_at = now() WHERE id = $1 AND totp_enabled_at IS NOT NULL RETURNING id");
}

std::optional<TotpRow> MfaStore::find(int64_t user_id) {
    auto r = pg_.exec("mfa_find", {std::to_string(user_id)});
    if (PQntuples(r.get()) == 0) return std::nullopt;
    return TotpRow{*pg_value(r.get(), 0, 0), std::stoll(*pg_value(r.get(), 0, 1))};
}

bool MfaStore::enable(int64_t user_id, const std::string& secret, int64_t step,
                      const std::vector<std::string>& code_hashes) {
    const std::string id = std::to_string(user_id);
    PgTransaction tx(pg_);
    if (PQntuples(pg_.exec("mfa_enable", {id, secret, std::to_string(step)}).get()) == 0)
        return false;
    pg_.exec("mfa_codes_delete", {id});
    pg_.exec("mfa_codes_insert", {id, array_literal(code_hashes)});
    tx.commit();
    return true;
}

bool MfaStore::use_step(int64_t user_id, int64_t step) {
    return PQntuples(
               pg_.exec("mfa_use_step", {std::to_string(user_id), std::to_string(step)}).get()) == 1;
}

bool MfaStore::use_recovery_code(int64_t user_id, const std::string& code_hash) {
    return PQntuples(pg_.exec("mfa_use_code", {std::to_string(user_id), code_hash}).get()) == 1;
}

int MfaStore::recovery_codes_left(int64_t user_id) {
    auto r = pg_.exec("mfa_codes_left", {std::to_string(user_id)});
    return std::stoi(*pg_value(r.get(), 0, 0));
}

bool MfaStore::disable(int64_t user_id) {
    const std::string id = std::to_string(user_id);
    PgTransaction tx(pg_);
    const bool was_on = PQntuples(pg_.exec("mfa_disable", {id}).get()) == 1;
    pg_.exec("mfa_codes_delete", {id});
    tx.commit();
    return was_on;
}

}  // namespace store
