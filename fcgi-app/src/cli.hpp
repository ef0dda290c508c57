// `login-fcgi client ...`: create, rotate, revoke and list the API's client applications.
#pragma once

#include <string>
#include <vector>

#include "config.hpp"

namespace app {

// Runs one client subcommand (args exclude "client"); prints results on stdout and errors on
// stderr, and returns the process exit code.
int run_client_command(const Config& config, const std::vector<std::string>& args);

}  // namespace app
