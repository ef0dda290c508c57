// Client address networks.
#include "util/net.hpp"

#include <arpa/inet.h>

#include <algorithm>
#include <array>
#include <cstdint>
#include <cstring>

namespace util {
namespace {

void keep_bits(uint8_t* bytes, size_t size, int bits) {
    for (size_t i = 0; i < size; ++i) {
        const int left = bits - static_cast<int>(i) * 8;
        if (left >= 8) continue;
        bytes[i] &= left <= 0 ? 0 : static_cast<uint8_t>(0xff << (8 - left));
    }
}

}  // namespace

std::optional<std::string> ip_network(std::string_view ip, int v4_bits, int v6_bits) {
    if (ip.empty() || ip.size() >= INET6_ADDRSTRLEN) return std::nullopt;
    char text[INET6_ADDRSTRLEN] = {};
    std::memcpy(text, ip.data(), ip.size());
    std::array<uint8_t, 16> bytes{};
    char out[INET6_ADDRSTRLEN] = {};
    if (inet_pton(AF_INET, text, bytes.data()) == 1) {
        keep_bits(bytes.data(), 4, std::clamp(v4_bits, 0, 32));
        inet_ntop(AF_INET, bytes.data(), out, sizeof out);
        return std::string(out) + "/" + std::to_string(std::clamp(v4_bits, 0, 32));
    }
    if (inet_pton(AF_INET6, text, bytes.data()) != 1) return std::nullopt;
    static constexpr uint8_t kMapped[12] = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff};
    if (std::memcmp(bytes.data(), kMapped, 12) == 0) {
        keep_bits(bytes.data() + 12, 4, std::clamp(v4_bits, 0, 32));
        inet_ntop(AF_INET, bytes.data() + 12, out, sizeof out);
        return std::string(out) + "/" + std::to_string(std::clamp(v4_bits, 0, 32));
    }
    keep_bits(bytes.data(), 16, std::clamp(v6_bits, 0, 128));
    inet_ntop(AF_INET6, bytes.data(), out, sizeof out);
    return std::string(out) + "/" + std::to_string(std::clamp(v6_bits, 0, 128));
}

}  // namespace util
