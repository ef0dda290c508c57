// The TOTP second factor.
#include "service/mfa.hpp"

#include "service/account_tokens.hpp"
#include "util/crypto.hpp"
#include "util/text.hpp"
#include "util/totp.hpp"

namespace service {
namespace {

constexpr int kEnrolmentSeconds = 15 * 60;
constexpr std::string_view kCodeAlphabet = "abcdefghjkmnpqrstuvwxyz23456789";  // no 0/o, 1/l/i

// 12 characters from a 31-letter alphabet (59 bits), shown as xxxx-xxxx-xxxx.
std::string new_recovery_code() {
    uint8_t bytes[12];
    std::string code;
    while (code.size() < 12) {
        util::random_bytes(bytes);
        for (const uint8_t b : bytes) {
            // Rejection sampling keeps every letter equally likely.
            if (b >= 248 || code.size() == 12) continue;
            code += kCodeAlphabet[b % kCodeAlphabet.size()];
        }
    }
    return code.substr(0, 4) + "-" + code.substr(4, 4) + "-" + code.substr(8, 4);
}

// Stored hashes name the user too, so equal codes of two users never share a row value.
std::string code_hash(int64_t user_id, std::string_view canonical) {
    return util::sha256_hex("recovery:" + std::to_string(user_id) + ":" + std::string(canonical));
}

}  // namespace

std::string canonical_recovery_code(std::string_view typed) {
    std::string out;
    for (const char c : typed) {
        if (c == '-' || c == ' ') continue;
        const char lower = (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c;
        if (kCodeAlphabet.find(lower) == std::string_view::npos) return "";
        out += lower;
    }
    return out.size() == 12 ? out : "";
}

Mfa::Mfa(store::MfaStore& rows, store::Redis& session_redis, std::string key_prefix,
         Profiles& profiles, RateLimits& limits, const app::AccountSettings& settings)
    : rows_(rows),
      redis_(session_redis),
      keys_(std::move(key_prefix)),
      profiles_(profiles),
      limits_(limits),
      settings_(settings) {}

std::string Mfa::pending_key(std::string_view token) const {
    return keys_.mfa_pending(util::sha256_hex(token));
}

std::string Mfa::start_enrolment(int64_t user_id) {
    const std::string secret = util::new_totp_secret();
    redis_.command(
        {"SET", keys_.mfa_enrolment(user_id), secret, "EX", std::to_string(kEnrolmentSeconds)});
    return secret;
}

std::optional<std::string> Mfa::enrolment_secret(int64_t user_id) {
    return redis_.command({"GET", keys_.mfa_enrolment(user_id)}).string();
}

std::string Mfa::otpauth_uri(std::string_view username, std::string_view secret) const {
    return util::otpauth_uri(settings_.totp_issuer, username, secret);
}

std::optional<std::vector<std::string>> Mfa::confirm_enrolment(int64_t user_id,
                                                               std::string_view code,
                                                               std::time_t now) {
    const auto secret = enrolment_secret(user_id);
    if (!secret) return std::nullopt;
    const auto step = util::totp_matching_step(*secret, code, now);
    if (!step) return std::nullopt;
    std::vector<std::string> codes, hashes;
    for (int i = 0; i < kRecoveryCodes; ++i) {
        codes.push_back(new_recovery_code());
        hashes.push_back(code_hash(user_id, canonical_recovery_code(codes.back())));
    }
    // The confirming code counts as used: it cannot log in a second time.
    if (!rows_.enable(user_id, *secret, *step, hashes)) return std::nullopt;
    redis_.command({"DEL", keys_.mfa_enrolment(user_id)});
    profiles_.invalidate(user_id);
    return codes;
}

bool Mfa::accept_code(int64_t user_id, std::string_view code, std::time_t now) {
    const auto row = rows_.find(user_id);
    if (!row) return false;
    std::string digits;
    for (const char c : code)
        if (c != ' ') digits += c;
    if (const auto step = util::totp_matching_step(row->secret, digits, now))
        return rows_.use_step(user_id, *step);
    const std::string canonical = canonical_recovery_code(code);
    if (canonical.empty()) return false;
    return rows_.use_recovery_code(user_id, code_hash(user_id, canonical));
}

CodeCheck Mfa::check_code(int64_t user_id, const LoginSubject& subject,
                          std::string_view client_ip, std::string_view code, std::time_t now) {
    CodeCheck out;
    out.verdict = limits_.check_login(subject, client_ip);
    if (!out.verdict.allowed) {
        out.result = CodeCheck::Result::limited;
        return out;
    }
    if (accept_code(user_id, code, now)) {
        out.result = CodeCheck::Result::accepted;
        return out;
    }
    limits_.login_failed(subject, client_ip);
    return out;
}

bool Mfa::enabled(int64_t user_id) { return rows_.find(user_id).has_value(); }

bool Mfa::disable(int64_t user_id) {
    const bool was_on = rows_.disable(user_id);
    redis_.command({"DEL", keys_.mfa_enrolment(user_id)});
    profiles_.invalidate(user_id);
    return was_on;
}

// Stored as "user_id|generation|device id|username": none of them can hold a '|'.
std::string Mfa::begin_login(const PendingLogin& login) {
    const std::string token = util::random_token(32);
    const std::string value = std::to_string(login.user_id) + "|" +
                              std::to_string(login.session_generation) + "|" +
                              login.device_id.value_or("") + "|" + login.username;
    redis_.command({"SET", pending_key(token), value, "EX",
                    std::to_string(settings_.mfa_pending_seconds)});
    return token;
}

std::optional<PendingLogin> Mfa::pending(std::string_view token) {
    if (!is_token_shaped(token)) return std::nullopt;
    auto value = redis_.command({"GET", pending_key(token)}).string();
    if (!value) return std::nullopt;
    std::vector<std::string_view> fields;
    std::string_view rest = *value;
    for (size_t bar; fields.size() < 3 && (bar = rest.find('|')) != std::string_view::npos;) {
        fields.push_back(rest.substr(0, bar));
        rest.remove_prefix(bar + 1);
    }
    if (fields.size() != 3) return std::nullopt;
    const auto id = util::parse_uint(fields[0], INT64_MAX);
    const auto generation = util::parse_uint(fields[1], INT32_MAX);
    if (!id || !generation) return std::nullopt;
    PendingLogin login{static_cast<int64_t>(*id), std::string(rest),
                       static_cast<int>(*generation), std::nullopt};
    if (!fields[2].empty()) login.device_id = std::string(fields[2]);
    return login;
}

void Mfa::end_login(std::string_view token) {
    if (is_token_shaped(token)) redis_.command({"DEL", pending_key(token)});
}

}  // namespace service
