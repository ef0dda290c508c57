// Reconnect delays and idle-connection checks for the store connections.
#include "store/backoff.hpp"

#include <poll.h>

#include <algorithm>
#include <random>

namespace store {

std::chrono::milliseconds reconnect_delay(int failures) {
    const int64_t full = std::min<int64_t>(1000, int64_t{50} << std::clamp(failures, 0, 5));
    thread_local std::minstd_rand rng{std::random_device{}()};
    std::uniform_int_distribution<int64_t> jitter(full / 2, full);
    return std::chrono::milliseconds(jitter(rng));
}

bool peer_closed(int fd) {
    if (fd < 0) return true;
    pollfd p{fd, POLLIN, 0};
    // Between requests nothing is due from the server, so readable means EOF, a reset or an
    // unsolicited message (PostgreSQL's "terminating connection"): either way, start over.
    return poll(&p, 1, 0) != 0;
}

}  // namespace store
