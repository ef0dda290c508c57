// All SQL about API client applications and their tokens.
#include "store/api_clients.hpp"

#include "util/text.hpp"

namespace store {
namespace {

std::optional<ApiClient> first_client(const PgResult& r) {
    if (PQntuples(r.get()) == 0) return std::nullopt;
    return ApiClient{std::stoll(*pg_value(r.get(), 0, 0)), *pg_value(r.get(), 0, 1),
                     util::split_commas(pg_value(r.get(), 0, 2).value_or(""))};
}

}  // namespace

ApiClientStore::ApiClientStore(Pg& pg) : pg_(pg) {
    pg_.define("client_by_token",
               "WITH used AS (UPDATE api_tokens SET last_used_at = now() "
               "  WHERE token_sha256 = $1 AND revoked_at IS NULL "
               "  AND (last_used_at IS NULL OR last_used_at < now() - interval '1 minute')) "
               "SELECT c.id, c.name, array_to_string(c.scopes, ',') FROM api_tokens t "
               "JOIN api_clients c ON c.id = t.client_id "
               "WHERE t.token_sha256 = $1 AND t.revoked_at IS NULL");
    pg_.define("client_by_name",
               "SELECT id, name, array_to_string(scopes, ',') FROM api_clients WHERE name = $1");
    pg_.define("create_client",
               "INSERT INTO api_clients (name, scopes) VALUES ($1, string_to_array($2, ',')) "
               "ON CONFLICT (name) DO NOTHING RETURNING id, name, array_to_string(scopes, ',')");
    pg_.define("add_token",
               "INSERT INTO api_tokens (client_id, token_sha256) VALUES ($1, $2) RETURNING id");
    pg_.define("revoke_tokens",
               "UPDATE api_tokens t SET revoked_at = now() FROM api_clients c "
               "WHERE c.id = t.client_id AND c.name = $1 AND t.revoked_at IS NULL "
               "AND ($2::bigint IS NULL OR t.id = $2) RETURNING t.token_sha256");
    pg_.define("list_tokens",
               "SELECT t.id, c.name, array_to_string(c.scopes, ','), "
               "to_char(t.created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"'), "
               "to_char(t.last_used_at AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"'), "
               "to_char(t.revoked_at AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"') "
               "FROM api_tokens t JOIN api_clients c ON c.id = t.client_id ORDER BY c.name, t.id");
}

std::optional<ApiClient> ApiClientStore::find_by_token_hash(const std::string& token_sha256) {
    return first_client(pg_.exec("client_by_token", {token_sha256}));
}

std::optional<ApiClient> ApiClientStore::find_by_name(const std::string& name) {
    return first_client(pg_.exec("client_by_name", {name}));
}

std::optional<ApiClient> ApiClientStore::create(const std::string& name,
                                                const std::vector<std::string>& scopes,
                                                const std::string& token_sha256) {
    std::string joined;
    for (const auto& s : scopes) joined += (joined.empty() ? "" : ",") + s;
    PgTransaction tx(pg_);
    auto client = first_client(pg_.exec("create_client", {name, joined}));
    if (!client) return client;
    add_token(client->id, token_sha256);
    tx.commit();
    return client;
}

int64_t ApiClientStore::add_token(int64_t client_id, const std::string& token_sha256) {
    auto r = pg_.exec("add_token", {std::to_string(client_id), token_sha256});
    return std::stoll(*pg_value(r.get(), 0, 0));
}

std::vector<std::string> ApiClientStore::revoke(const std::string& name,
                                                std::optional<int64_t> token_id) {
    auto r = pg_.exec("revoke_tokens",
                      {name, token_id ? PgParam(std::to_string(*token_id)) : std::nullopt});
    std::vector<std::string> hashes;
    for (int i = 0; i < PQntuples(r.get()); ++i) hashes.push_back(*pg_value(r.get(), i, 0));
    return hashes;
}

std::vector<ApiTokenInfo> ApiClientStore::list() {
    auto r = pg_.exec("list_tokens", {});
    std::vector<ApiTokenInfo> out;
    for (int i = 0; i < PQntuples(r.get()); ++i)
        out.push_back({std::stoll(*pg_value(r.get(), i, 0)), *pg_value(r.get(), i, 1),
                       pg_value(r.get(), i, 2).value_or(""), *pg_value(r.get(), i, 3),
                       pg_value(r.get(), i, 4), pg_value(r.get(), i, 5)});
    return out;
}

}  // namespace store
