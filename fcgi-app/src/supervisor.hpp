// The prefork supervisor: opens the listening socket, forks N workers, replaces any that
// die (throttling one that keeps crashing), and stops them all on SIGTERM.
#pragma once

#include <functional>
#include <string>

#include "config.hpp"

namespace app {

// Runs until SIGTERM/SIGINT; worker_main(listen_fd) is the body of each child. When worker_exe
// names a binary, each child instead execs `worker_exe worker --metrics-fd=3` with the socket
// as fd 0, so that workers started after the file was replaced (SIGHUP) run the new binary;
// worker_main remains the fallback if that exec fails. An empty config.socket opens no socket:
// worker_main gets -1 (a process with work of its own, such as the mailer). Returns the
// process exit code.
int run_supervisor(const Config& config, const std::function<int(int listen_fd)>& worker_main,
                   const std::string& worker_exe = "");

// The path of the running binary (/proc/self/exe), read while it still names this file; ""
// when it cannot be read.
std::string self_executable();

// Opens the FastCGI listening socket named by config.socket with config.backlog; -1 on failure.
int open_listen_socket(const Config& config);

}  // namespace app
