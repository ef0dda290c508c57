// The Redis key schema.
#include "store/keys.hpp"

namespace store {

std::string Keys::join(std::string_view a, std::string_view b) const {
    std::string key;
    key.reserve(prefix_.size() + a.size() + b.size());
    key += prefix_;
    key += a;
    key += b;
    return key;
}

std::string Keys::session(std::string_view public_id) const {
    return join("s:", public_id);
}

std::string Keys::session_meta(std::string_view public_id) const {
    return join("sm:", public_id);
}

std::string Keys::user_sessions(int64_t user_id) const {
    return join("us:", std::to_string(user_id));
}

std::string Keys::profile(int64_t user_id) const {
    return join("p:", std::to_string(user_id));
}

std::string Keys::profile_prefix() const {
    return join("p:", "");
}

std::string Keys::profile_fill_lock(int64_t user_id) const {
    return join("pl:", std::to_string(user_id));
}

std::string Keys::api_token(std::string_view token_sha256) const {
    return join("t:", token_sha256);
}

std::string Keys::rate_bucket(std::string_view kind, std::string_view subject,
                              int64_t bucket) const {
    std::string key = join("rl:", kind);
    key += ':';
    key += subject;
    key += ':';
    key += std::to_string(bucket);
    return key;
}

std::string Keys::last_failed_login(std::string_view account_hash) const {
    return join("rl:last:", account_hash);
}

std::string Keys::last_failed_device(std::string_view device_hash) const {
    return join("rl:dlast:", device_hash);
}

std::string Keys::reauth_failures(std::string_view session_hash) const {
    return join("rl:rf:", session_hash);
}

std::string Keys::account_token(std::string_view purpose, std::string_view token_sha256) const {
    std::string key = join("tok:", purpose);
    key += ':';
    key += token_sha256;
    return key;
}

std::string Keys::account_token_owner_prefix(std::string_view purpose) const {
    std::string key = join("tok:", purpose);
    key += ":u:";
    return key;
}

std::string Keys::account_token_owner(std::string_view purpose, int64_t user_id) const {
    return account_token_owner_prefix(purpose) + std::to_string(user_id);
}

std::string Keys::mfa_enrolment(int64_t user_id) const {
    return join("mfa:enrol:", std::to_string(user_id));
}

std::string Keys::mfa_pending(std::string_view token_sha256) const {
    return join("mfa:pending:", token_sha256);
}

std::string Keys::mail_queue() const {
    return join("mail:queue", "");
}

std::string Keys::mail_in_flight(std::string_view consumer) const {
    return join("mail:in-flight:", consumer);
}

std::string Keys::mail_retry() const {
    return join("mail:retry", "");
}
std::string Keys::mail_dead() const {
    return join("mail:dead", "");
}
std::string Keys::mail_sent() const {
    return join("mail:sent", "");
}
std::string Keys::mail_failed() const {
    return join("mail:failed", "");
}

}  // namespace store
