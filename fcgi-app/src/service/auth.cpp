// Login with one generic outcome and constant work.
#include "service/auth.hpp"

#include <string>

#include "store/errors.hpp"

namespace service {

Auth::Auth(store::UserStore& users, Profiles& profiles, const Passwords& passwords)
    : users_(users), profiles_(profiles), passwords_(passwords) {}

std::optional<Auth::LoggedIn> Auth::login(std::string_view username, std::string_view password,
                                          std::string_view lang) {
    auto creds = users_.find_credentials(std::string(username));
    if (!creds) {
        passwords_.verify_decoy(password);
        return std::nullopt;
    }
    // Verify before looking at `enabled`, so a disabled account costs the same time.
    const bool match = passwords_.verify(password, creds->password_hash);
    if (!match || !creds->enabled) return std::nullopt;
    std::optional<std::string> new_hash;
    if (passwords_.needs_rehash(creds->password_hash)) new_hash = passwords_.hash(password);
    // Nothing is written before the second step (an outdated hash of such an account is
    // upgraded by a later login without one).
    if (creds->mfa) return LoggedIn{creds->id, 0, true};
    const std::optional<std::string> language =
        lang.empty() ? std::nullopt : std::optional<std::string>(lang);
    const int generation = users_.record_login(creds->id, new_hash, language);
    profiles_.invalidate(creds->id);  // the profile shows last_login_at
    return LoggedIn{creds->id, generation};
}

std::optional<int> Auth::complete_login(int64_t user_id, std::string_view lang) {
    try {
        const int generation = users_.record_login(user_id, std::nullopt, std::string(lang));
        profiles_.invalidate(user_id);
        return generation;
    } catch (const store::PgError&) {
        if (!users_.find_by_id(user_id)) return std::nullopt;
        throw;
    }
}

}  // namespace service
