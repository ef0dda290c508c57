// Shared by the store connections: how long to wait before reconnecting, and whether the
// server has closed an idle connection.
#pragma once

#include <chrono>

namespace store {

// The wait after the n-th consecutive failed attempt (n from 0): 50 ms doubling up to 1 s,
// each time a random 50-100 % of that, so that workers which lost the server at the same
// moment do not all come back at the same moment.
std::chrono::milliseconds reconnect_delay(int failures);

// True when the peer of an idle connection has closed it or sent something unasked (a server
// that restarted or shut down): a zero-timeout poll, one cheap system call.
bool peer_closed(int fd);

}  // namespace store
