// A client application of the REST API, as the routes see it once its token checked out.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace model {

struct ApiClient {
    int64_t id = 0;
    std::string name;
    std::vector<std::string> scopes;
};

// One token of a client, as `login-fcgi client list` shows it (never the token itself).
struct ApiTokenInfo {
    int64_t id = 0;
    std::string client;
    std::string scopes;  // comma-separated
    std::string created_at;
    std::optional<std::string> last_used_at;
    std::optional<std::string> revoked_at;
};

}  // namespace model
