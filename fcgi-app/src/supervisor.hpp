// The prefork supervisor: opens the listening socket, forks N workers, replaces any that
// die (throttling one that keeps crashing), and stops them all on SIGTERM.
#pragma once

#include <functional>

#include "config.hpp"

namespace app {

// Runs until SIGTERM/SIGINT; worker_main(listen_fd) is the body of each child. Returns the
// process exit code.
int run_supervisor(const Config& config, const std::function<int(int listen_fd)>& worker_main);

// Opens the FastCGI listening socket named by config.socket with config.backlog; -1 on failure.
int open_listen_socket(const Config& config);

}  // namespace app
