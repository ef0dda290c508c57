// Known-device cookies signed with the server key, bound to a user and a session generation.
#include "service/known_devices.hpp"

#include <chrono>

#include "util/crypto.hpp"
#include "util/text.hpp"

namespace service {
namespace {

constexpr size_t kIdBytes = 16;
constexpr size_t kIdChars = 22;  // 16 bytes in base64url
constexpr size_t kMaxCookieChars = 128;

int64_t now_seconds() {
    using namespace std::chrono;
    return duration_cast<seconds>(system_clock::now().time_since_epoch()).count();
}

bool is_base64url(std::string_view s) {
    for (char c : s)
        if (!((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
              c == '-' || c == '_'))
            return false;
    return true;
}

}  // namespace

KnownDevices::KnownDevices(const Signer& signer, int lifetime_days)
    : signer_(signer), lifetime_seconds_(int64_t{lifetime_days} * 86400) {}

std::string KnownDevices::signed_part(std::string_view id, std::string_view issued, int64_t user_id,
                                      int generation) {
    std::string text(id);
    text += '.';
    text += issued;
    text += '.';
    text += std::to_string(user_id);
    text += '.';
    text += std::to_string(generation);
    return text;
}

std::string KnownDevices::issue(int64_t user_id, int generation,
                                std::optional<std::string_view> keep_id) const {
    const std::string id = keep_id ? std::string(*keep_id) : util::random_token(kIdBytes);
    const std::string issued = std::to_string(now_seconds());
    return id + "." + issued + "." +
           signer_.sign("device", signed_part(id, issued, user_id, generation));
}

std::optional<std::string> KnownDevices::device_of(std::string_view cookie, int64_t user_id,
                                                   int generation) const {
    if (cookie.size() > kMaxCookieChars) return std::nullopt;
    const size_t dot1 = cookie.find('.');
    const size_t dot2 = dot1 == std::string_view::npos ? dot1 : cookie.find('.', dot1 + 1);
    if (dot2 == std::string_view::npos) return std::nullopt;
    const std::string_view id = cookie.substr(0, dot1);
    const std::string_view issued = cookie.substr(dot1 + 1, dot2 - dot1 - 1);
    const std::string_view signature = cookie.substr(dot2 + 1);
    if (id.size() != kIdChars || !is_base64url(id)) return std::nullopt;
    const auto issued_at = util::parse_uint(issued, INT64_MAX);
    if (!issued_at) return std::nullopt;
    if (!signer_.verify("device", signed_part(id, issued, user_id, generation), signature))
        return std::nullopt;
    const int64_t now = now_seconds();
    if (static_cast<int64_t>(*issued_at) > now + 300 ||
        static_cast<int64_t>(*issued_at) + lifetime_seconds_ < now)
        return std::nullopt;
    return std::string(id);
}

}  // namespace service
