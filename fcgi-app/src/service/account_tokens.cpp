// One-time tokens in Redis.
#include "service/account_tokens.hpp"

#include "util/crypto.hpp"

namespace service {
namespace {

// KEYS[1] the token's key; ARGV[1] the users' key base; ARGV[2] the token's hash; ARGV[3] "1" to
// consume. The token counts only while its user's pointer still names it: a newer token or a
// revoke moves the pointer, and the old token is dead at once.
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
    : redis_(redis), prefix_(std::move(key_prefix)) {}

std::string AccountTokens::key_base(TokenPurpose purpose) const {
    return prefix_ + (purpose == TokenPurpose::password_reset ? "tok:reset:" : "tok:verify:");
}

std::string AccountTokens::issue(TokenPurpose purpose, int64_t user_id, std::string_view data,
                                 int ttl_seconds) {
    const std::string token = util::random_token(32);
    const std::string hash = util::sha256_hex(token);
    const std::string base = key_base(purpose);
    const std::string ttl = std::to_string(ttl_seconds);
    const std::string value = std::to_string(user_id) + "|" + std::string(data);
    redis_.pipeline({{"SET", base + hash, value, "EX", ttl},
                     {"SET", base + "u:" + std::to_string(user_id), hash, "EX", ttl}});
    return token;
}

std::optional<TokenGrant> AccountTokens::find(TokenPurpose purpose, std::string_view token,
                                              bool consume) {
    if (!is_token_shaped(token)) return std::nullopt;
    const std::string hash = util::sha256_hex(token);
    const std::string base = key_base(purpose);
    auto r = redis_.eval(kFind, 1, {base + hash, base + "u:", hash, consume ? "1" : "0"});
    auto value = store::reply_string(r.get());
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
    redis_.command({"DEL", key_base(purpose) + "u:" + std::to_string(user_id)});
}

}  // namespace service
