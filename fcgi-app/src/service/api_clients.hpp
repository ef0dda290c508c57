// Client applications of the REST API: token authentication with a short Redis cache, and
// the token lifecycle behind `login-fcgi client ...`.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "store/api_clients.hpp"
#include "store/keys.hpp"
#include "store/redis.hpp"

namespace service {

constexpr const char* kScopeUsersRead = "users:read";
constexpr const char* kScopeUsersWrite = "users:write";

// True for a scope this service knows.
bool is_known_scope(std::string_view scope);
// True for a client name the schema accepts: 1-64 of [a-z0-9._-].
bool is_valid_client_name(std::string_view name);
// True for text shaped like a token this service issues or imports: 32-128 characters of
// [A-Za-z0-9_-] (the generated ones are "lgn_" and 43 base64url characters).
bool is_token_shape(std::string_view token);

// True for an imported token that looks as unguessable as a generated one: at least 32
// printable ASCII characters, 10 or more distinct, no run of 5 ascending or descending
// characters ("01234", "abcde"), no character 4 times in a row, and none of the words people
// put in made-up tokens ("dev", "demo", "test", "token", "secret", "password", ...).
bool looks_random_token(std::string_view token);

class ApiClients {
public:
    ApiClients(store::ApiClientStore& store, store::Redis& cache, std::string key_prefix);

    // The client holding `token`, or nullopt for an unknown or revoked token. With the legacy
    // header pair, app_name must also name the token's client. A token of the wrong shape is
    // refused before any lookup. Tokens are never compared byte by byte: their SHA-256 is looked
    // up, which leaks nothing about the token through timing. Results are cached in Redis for
    // 30 s, unknown tokens too (so a client that keeps sending a wrong one costs one query every
    // 30 s); revoke() replaces them with a tombstone at once.
    std::optional<model::ApiClient> authenticate(std::string_view token,
                                                 std::optional<std::string_view> app_name);

    // Creates a client with a first token and returns the token (shown once). `fixed_token`
    // imports a known token instead of generating one (the development demo client); it must
    // have the token shape. Throws std::invalid_argument for a taken or invalid name, an unknown
    // scope or a misshapen token.
    std::string create(const std::string& name, const std::vector<std::string>& scopes,
                       const std::optional<std::string>& fixed_token = std::nullopt);
    // Adds a second token to a client, for rotation without downtime.
    std::string add_token(const std::string& name);
    // Revokes all the client's tokens (or one) and forgets them in the cache; returns how many.
    size_t revoke(const std::string& name, std::optional<int64_t> token_id);
    // Every token of every client, for `login-fcgi client list`.
    std::vector<model::ApiTokenInfo> list() { return store_.list(); }

private:
    // Forgets whatever the cache says about a token that has just been created.
    void forget(const std::string& token_sha256);

    store::ApiClientStore& store_;
    store::Redis& cache_;
    store::Keys keys_;
};

}  // namespace service
