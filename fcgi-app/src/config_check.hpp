// Checks a Configuration before anything forks or connects, and shows it with every secret
// masked (`login-fcgi config check`).
#pragma once

#include <string>
#include <utility>
#include <vector>

#include "config.hpp"

namespace app {

// Parses what config_from_env leaves unchecked, the way the workers will: the PostgreSQL URLs
// (libpq's own parser, and their ports), the listening socket's host:port, the key prefix
// (config_from_env parses the Redis URLs). Throws std::invalid_argument naming the variable and
// what is wrong; connects to nothing.
void validate_config(const Config& config);

// What `serve` and `worker` need beyond a valid configuration: the server key, which every
// worker signs and checks CSRF tokens and known-device cookies with (production refuses to parse
// without it already). Throws std::invalid_argument naming the variable.
void validate_for_serving(const Config& config);

// Every setting as (variable, effective value), defaults included, in the order of the table in
// docs/CONFIGURATION.md; passwords inside URLs and secret values are replaced by "***".
std::vector<std::pair<std::string, std::string>> effective_settings(const Config& config);

// A URL or conninfo string with its password (user:PASSWORD@, password=PASSWORD) masked.
std::string mask_secrets(const std::string& url);

}  // namespace app
