// All SQL about API client applications and their tokens. Tokens are stored as SHA-256 only.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "model/api_client.hpp"
#include "store/pg.hpp"

namespace store {

using model::ApiClient;
using model::ApiTokenInfo;


class ApiClientStore {
public:
    explicit ApiClientStore(Pg& pg);

    // The client owning a live (unrevoked) token with this SHA-256, or nullopt. Stamps the
    // token's last_used_at, at most once a minute.
    std::optional<ApiClient> find_by_token_hash(const std::string& token_sha256);
    std::optional<ApiClient> find_by_name(const std::string& name);
    // Creates a client with its first token (by SHA-256) in one transaction; nullopt when the
    // name is taken. Throws PgError with SQLSTATE 23505 when the token is already in use.
    std::optional<ApiClient> create(const std::string& name, const std::vector<std::string>& scopes,
                                    const std::string& token_sha256);
    // Adds a token (by its SHA-256) to a client and returns the token's id.
    int64_t add_token(int64_t client_id, const std::string& token_sha256);
    // Revokes the client's live tokens (or the one with token_id) and returns the SHA-256 of
    // each, so caches can forget them.
    std::vector<std::string> revoke(const std::string& name, std::optional<int64_t> token_id);
    // Every token of every client, for `login-fcgi client list`.
    std::vector<ApiTokenInfo> list();

private:
    Pg& pg_;
};

}  // namespace store
