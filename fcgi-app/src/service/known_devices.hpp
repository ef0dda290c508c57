// Known devices: the browsers an account has logged in from, remembered in a cookie (did) that
// only the server can issue. It softens the login limits for its holder and nothing else.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "service/signer.hpp"

namespace service {

class KnownDevices {
  public:
    KnownDevices(const Signer& signer, int lifetime_days);
    // It keeps a reference to the signer: a temporary one would dangle.
    KnownDevices(Signer&&, int) = delete;

    // A new cookie value that names a device of user_id under its session generation
    // ("<device id>.<issued unix seconds>.<signature>"), valid for lifetime_days. keep_id
    // re-issues an existing device (its own failure count goes on) instead of a new one. The
    // user and generation are signed, not written: the cookie tells its holder nothing.
    std::string issue(int64_t user_id, int generation,
                      std::optional<std::string_view> keep_id = std::nullopt) const;

    // The device id the cookie names, when the server issued it for this user under this
    // session generation and it has not expired; nullopt for anything else (a made-up value,
    // another account's device, one from before a password change, a disabled account or
    // "end all sessions", or an expired one).
    std::optional<std::string> device_of(std::string_view cookie, int64_t user_id,
                                         int generation) const;

  private:
    static std::string signed_part(std::string_view id, std::string_view issued, int64_t user_id,
                                   int generation);

    const Signer& signer_;
    int64_t lifetime_seconds_;
};

}  // namespace service
