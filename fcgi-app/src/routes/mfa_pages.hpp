// The pages of two-step verification: the second step of a login, the settings page (set up,
// confirm, turn off) and the recovery codes shown once.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "routes/i18n.hpp"
#include "service/validation.hpp"

namespace routes {

// The code form of a login waiting for its second factor; wrong: the last code was refused.
std::string render_login_mfa(Lang lang, bool wrong);

struct MfaState {
    bool enabled = false;
    std::optional<std::string> pending_secret;  // enrolment started, not confirmed
    int codes_left = 0;
};

// GET /mfa: off (a button to set it up), set-up in progress (the QR image, the key as text and
// the confirm form), or on (the form that turns it off).
std::string render_mfa_page(Lang lang, const MfaState& state, const service::FieldErrors& errors,
                            std::string_view csrf_token);

// The ten recovery codes, shown once after the set-up is confirmed.
std::string render_recovery_codes(Lang lang, const std::vector<std::string>& codes);

}  // namespace routes
