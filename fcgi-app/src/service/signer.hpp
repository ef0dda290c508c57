// Values signed with the server key (LOGIN_SECRET_KEY): CSRF form tokens and known-device
// cookies. A rotation keeps the previous key (LOGIN_SECRET_KEY_PREVIOUS) for checking only.
#pragma once

#include <string>
#include <string_view>

namespace service {

class Signer {
  public:
    // key signs and checks; previous, when not empty, only checks.
    Signer(std::string key, std::string previous);

    // The signature of message for one purpose ("csrf", "device"): base64url HMAC-SHA256 of
    // purpose, a NUL and message, under the current key. A signature made for one purpose is
    // never valid for another.
    std::string sign(std::string_view purpose, std::string_view message) const;

    // True when signature is sign(purpose, message) under the current or the previous key,
    // compared in constant time.
    bool verify(std::string_view purpose, std::string_view message,
                std::string_view signature) const;

  private:
    std::string key_;
    std::string previous_;
};

}  // namespace service
