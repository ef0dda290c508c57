// HMAC signatures under the server key, with the previous key accepted during a rotation.
#include "service/signer.hpp"

#include "util/crypto.hpp"
#include "util/text.hpp"

namespace service {
namespace {

std::string signature_under(std::string_view key, std::string_view purpose,
                            std::string_view message) {
    std::string labelled(purpose);
    labelled += '\0';
    labelled += message;
    const std::string mac = util::hmac_sha256(key, labelled);
    return util::base64url_encode({reinterpret_cast<const uint8_t*>(mac.data()), mac.size()});
}

}  // namespace

Signer::Signer(std::string key, std::string previous)
    : key_(std::move(key)), previous_(std::move(previous)) {}

std::string Signer::sign(std::string_view purpose, std::string_view message) const {
    return signature_under(key_, purpose, message);
}

bool Signer::verify(std::string_view purpose, std::string_view message,
                    std::string_view signature) const {
    if (util::constant_time_equal(signature, signature_under(key_, purpose, message))) return true;
    return !previous_.empty() &&
           util::constant_time_equal(signature, signature_under(previous_, purpose, message));
}

}  // namespace service
