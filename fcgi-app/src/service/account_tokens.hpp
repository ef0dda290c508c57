// The one-time links of mails (password reset, email verification): 256 random bits, stored in
// the session Redis only as their SHA-256 with a lifetime, one live token per user and purpose
// (a newer one replaces it), and redeemed at most once.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "store/keys.hpp"
#include "store/redis.hpp"

namespace service {

enum class TokenPurpose { password_reset, verify_email };

struct TokenGrant {
    int64_t user_id = 0;
    std::string data;  // what the token was issued with (verify_email: the address)
};

class AccountTokens {
public:
    AccountTokens(store::Redis& redis, std::string key_prefix);

    // A new token for the user, valid for ttl_seconds; the user's previous token of this
    // purpose stops working.
    std::string issue(TokenPurpose purpose, int64_t user_id, std::string_view data,
                      int ttl_seconds);
    // What a live token grants, without using it up; nullopt for an unknown, expired,
    // replaced, revoked or malformed token.
    std::optional<TokenGrant> peek(TokenPurpose purpose, std::string_view token);
    // peek(), and the token is gone: a second redeem of the same token finds nothing.
    std::optional<TokenGrant> redeem(TokenPurpose purpose, std::string_view token);
    // The user's live token of this purpose stops working (a login, a password change).
    void revoke(TokenPurpose purpose, int64_t user_id);

private:
    std::optional<TokenGrant> find(TokenPurpose purpose, std::string_view token, bool consume);

    store::Redis& redis_;
    store::Keys keys_;
};

// True for the shape random_token(32) produces: 43 characters of URL-safe base64.
bool is_token_shaped(std::string_view token);

}  // namespace service
