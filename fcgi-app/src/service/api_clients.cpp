// Client applications of the REST API.
#include "service/api_clients.hpp"

#include <algorithm>
#include <stdexcept>

#include "metrics/metrics.hpp"
#include "store/errors.hpp"
#include "util/crypto.hpp"
#include "util/text.hpp"

namespace service {
namespace {

constexpr const char* kCacheTtl = "30";
constexpr const char* kRejected = "-";  // cached answer for a revoked or unknown token
constexpr size_t kMinTokenChars = 32;
constexpr size_t kMaxTokenChars = 128;

// Cached as "id|name|scope,scope": names and scopes never contain '|'.
std::string encode(const model::ApiClient& c) {
    std::string scopes;
    for (const auto& s : c.scopes) scopes += (scopes.empty() ? "" : ",") + s;
    return std::to_string(c.id) + "|" + c.name + "|" + scopes;
}

std::optional<model::ApiClient> decode(const std::string& text) {
    const size_t a = text.find('|');
    const size_t b = a == std::string::npos ? a : text.find('|', a + 1);
    if (b == std::string::npos) return std::nullopt;
    model::ApiClient c;
    c.id = std::stoll(text.substr(0, a));
    c.name = text.substr(a + 1, b - a - 1);
    size_t pos = b + 1;
    while (pos < text.size()) {
        size_t comma = text.find(',', pos);
        if (comma == std::string::npos) comma = text.size();
        c.scopes.push_back(text.substr(pos, comma - pos));
        pos = comma + 1;
    }
    return c;
}

}  // namespace

bool is_known_scope(std::string_view scope) {
    return scope == kScopeUsersRead || scope == kScopeUsersWrite;
}

bool is_valid_client_name(std::string_view name) {
    return !name.empty() && name.size() <= 64 &&
           std::all_of(name.begin(), name.end(), [](char c) {
               return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '.' || c == '_' ||
                      c == '-';
           });
}

bool is_token_shape(std::string_view token) {
    return token.size() >= kMinTokenChars && token.size() <= kMaxTokenChars &&
           std::all_of(token.begin(), token.end(), [](char c) {
               return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                      c == '_' || c == '-';
           });
}

bool looks_random_token(std::string_view token) {
    if (token.size() < 32) return false;
    bool seen[128] = {};
    size_t distinct = 0;
    int up = 1, down = 1, same = 1;
    for (size_t i = 0; i < token.size(); ++i) {
        const auto c = static_cast<unsigned char>(token[i]);
        if (c <= ' ' || c >= 127) return false;
        if (!seen[c]) ++distinct;
        seen[c] = true;
        if (i > 0) {
            const int step = c - static_cast<unsigned char>(token[i - 1]);
            up = step == 1 ? up + 1 : 1;
            down = step == -1 ? down + 1 : 1;
            same = step == 0 ? same + 1 : 1;
            if (up >= 5 || down >= 5 || same >= 4) return false;
        }
    }
    if (distinct < 10) return false;
    const std::string lower = util::ascii_lower(token);
    for (std::string_view word : {"dev", "demo", "test", "token", "secret", "password", "passwd",
                                  "example", "changeme", "admin", "login", "qwerty"})
        if (lower.find(word) != std::string::npos) return false;
    return true;
}

ApiClients::ApiClients(store::ApiClientStore& store, store::Redis& cache, std::string key_prefix)
    : store_(store), cache_(cache), keys_(std::move(key_prefix)) {}

std::optional<model::ApiClient> ApiClients::authenticate(std::string_view token,
                                                         std::optional<std::string_view> app_name) {
    if (!is_token_shape(token)) return std::nullopt;  // no lookup for what no token looks like
    const std::string hash = util::sha256_hex(token);
    std::optional<model::ApiClient> client;
    try {
        if (auto text = cache_.command({"GET", keys_.api_token(hash)}).string()) {
            if (*text == kRejected) return std::nullopt;
            client = decode(*text);
        }
        client ? metrics::cache_hit(metrics::Cache::token) : metrics::cache_miss(metrics::Cache::token);
    } catch (const store::RedisError&) {
        // Fall through to PostgreSQL.
    }
    if (!client) {
        client = store_.find_by_token_hash(hash);
        try {
            // NX: if a revocation wrote its tombstone since our lookup, it wins. An unknown
            // token is remembered as rejected, so repeating it costs no query for 30 s.
            cache_.command({"SET", keys_.api_token(hash), client ? encode(*client) : kRejected,
                            "EX", kCacheTtl, "NX"});
        } catch (const store::RedisError&) {
        }
    }
    if (client && app_name && *app_name != client->name) return std::nullopt;
    return client;
}

std::string ApiClients::create(const std::string& name, const std::vector<std::string>& scopes,
                               const std::optional<std::string>& fixed_token) {
    if (!is_valid_client_name(name))
        throw std::invalid_argument("client names are 1-64 characters of a-z 0-9 . _ -");
    if (scopes.empty()) throw std::invalid_argument("give at least one --scope");
    for (const auto& s : scopes)
        if (!is_known_scope(s)) throw std::invalid_argument("unknown scope " + s);
    if (fixed_token && !is_token_shape(*fixed_token))
        throw std::invalid_argument("a token is 32-128 characters of A-Z a-z 0-9 _ -");
    const std::string token = fixed_token.value_or("lgn_" + util::random_token(32));
    std::optional<model::ApiClient> client;
    try {
        client = store_.create(name, scopes, util::sha256_hex(token));
    } catch (const store::Error& e) {
        if (e.kind() == store::ErrorKind::conflict)
            throw std::invalid_argument("that token is already in use");
        throw;
    }
    if (!client) throw std::invalid_argument("client " + name + " already exists");
    forget(util::sha256_hex(token));
    return token;
}

std::string ApiClients::add_token(const std::string& name) {
    auto client = store_.find_by_name(name);
    if (!client) throw std::invalid_argument("no client named " + name);
    const std::string token = "lgn_" + util::random_token(32);
    store_.add_token(client->id, util::sha256_hex(token));
    forget(util::sha256_hex(token));
    return token;
}

void ApiClients::forget(const std::string& token_sha256) {
    try {
        cache_.command({"DEL", keys_.api_token(token_sha256)});
    } catch (const store::RedisError&) {
        // An imported token tried within the last 30 s may be refused until its entry expires.
    }
}

size_t ApiClients::revoke(const std::string& name, std::optional<int64_t> token_id) {
    const auto hashes = store_.revoke(name, token_id);
    // A tombstone rather than DEL: a request that read the token from PostgreSQL just before
    // the revocation committed cannot put it back into the cache (it fills with SET NX).
    for (const auto& h : hashes)
        cache_.command({"SET", keys_.api_token(h), kRejected, "EX", kCacheTtl});
    return hashes.size();
}

}  // namespace service
