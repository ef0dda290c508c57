// Client addresses: the network an address belongs to, for rate limits and for showing a
// session's origin without the full address.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace util {

// The network of a textual IPv4 or IPv6 address, keeping v4_bits or v6_bits of it, in
// canonical form with its length ("203.0.113.0/24", "2001:db8:1::/48"). nullopt when ip is
// not an address. An IPv4-mapped IPv6 address counts as IPv4.
std::optional<std::string> ip_network(std::string_view ip, int v4_bits, int v6_bits);

}  // namespace util
