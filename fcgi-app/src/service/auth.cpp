// Login with one generic outcome and constant work.
#include "service/auth.hpp"

#include <string>

namespace service {

Auth::Auth(store::UserStore& users, Profiles& profiles, const Passwords& passwords)
    : users_(users), profiles_(profiles), passwords_(passwords) {}

std::optional<Auth::LoggedIn> Auth::login(std::string_view username, std::string_view password) {
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
    const int generation = users_.record_login(creds->id, new_hash);
    profiles_.invalidate(creds->id);  // the profile shows last_login_at
    return LoggedIn{creds->id, generation};
}

}  // namespace service
