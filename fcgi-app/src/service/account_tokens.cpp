// One-time tokens in Redis.
#include "service/account_tokens.hpp"

#include "util/crypto.hpp"

namespace service {
namespace {

// KEYS[1] the token's key; ARGV[1] the prefix of the users' pointers; ARGV[2] the token's hash;
// ARGV[3] "1" to consume. The token counts only while its user's pointer still names it: a newer
// token or a revoke moves the pointer, and the old token is dead at once.
constexpr std::string_view kFind = R"(
local v = redis.call('GET', KEYS[1])
if not v then return false end
local uid = string.match(v, '^(%d+)|')
if not uid then return false end
local ukey = ARGV[1] .. uid
if redis.call('GET', ukey) ~= ARGV[2] then
  redis.call('DEL', KEYS[1])
  return false
end
if ARGV[3] == '1' then redis.call('DEL', KEYS[1], ukey) end
return v)";

// The purpose's part of the keys (store::Keys::account_token).
std::string_view purpose_name(TokenPurpose purpose) {
    return purpose == TokenPurpose::password_reset ? "reset" : "verify";
}

}  // namespace

bool is_token_shaped(std::string_view token) {
    if (token.size() != 43) return false;
    for (const char c : token)
        if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
              c == '-' || c == '_'))
            return false;
    return true;
}

AccountTokens::AccountTokens(store::Redis& redis, std::string key_prefix)
    : redis_(redis), keys_(std::move(key_prefix)) {}

std::string AccountTokens::issue(TokenPurpose purpose, int64_t user_id, std::string_view data,
                                 int ttl_seconds) {
    const std::string token = util::random_token(32);
    const std::string hash = util::sha256_hex(token);
    const std::string ttl = std::to_string(ttl_seconds);
    const std::string value = std::to_string(user_id) + "|" + std::string(data);
    const std::string key = keys_.account_token(purpose_name(purpose), hash);
    const std::string owner = keys_.account_token_owner(purpose_name(purpose), user_id);
    redis_.pipeline({{"SET", key, value, "EX", ttl}, {"SET", owner, hash, "EX", ttl}});
    return token;
}

std::optional<TokenGrant> AccountTokens::find(TokenPurpose purpose, std::string_view token,
                                              bool consume) {
    if (!is_token_shaped(token)) return std::nullopt;
    const std::string hash = util::sha256_hex(token);
    auto value = redis_
                     .eval(kFind, 1,
                           {keys_.account_token(purpose_name(purpose), hash),
                            keys_.account_token_owner_prefix(purpose_name(purpose)), hash,
                            consume ? "1" : "0"})
                     .string();
    if (!value) return std::nullopt;
    const size_t bar = value->find('|');
    return TokenGrant{std::stoll(value->substr(0, bar)), value->substr(bar + 1)};
}

std::optional<TokenGrant> AccountTokens::peek(TokenPurpose purpose, std::string_view token) {
    return find(purpose, token, false);
}

std::optional<TokenGrant> AccountTokens::redeem(TokenPurpose purpose, std::string_view token) {
    return find(purpose, token, true);
}

void AccountTokens::revoke(TokenPurpose purpose, int64_t user_id) {
    redis_.command({"DEL", keys_.account_token_owner(purpose_name(purpose), user_id)});
}

}  // namespace service
