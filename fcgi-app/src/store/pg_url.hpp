// Reading a PostgreSQL connection URL the way libpq will, without connecting: for the
// configuration's fail-fast checks.
#pragma once

#include <optional>
#include <string>
#include <vector>

namespace store {

struct PgUrlParts {
    // libpq's reason when it refuses the URL (it may quote the URL, password included: mask it
    // before showing it); nullopt when libpq accepts it.
    std::optional<std::string> error;
    // The value of each "port" setting, as written (a multi-host URL lists several, by commas).
    std::vector<std::string> ports;
};

// Parses url with libpq's own parser (PQconninfoParse).
PgUrlParts parse_pg_url(const std::string& url);

}  // namespace store
