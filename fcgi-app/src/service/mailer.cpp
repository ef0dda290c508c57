// The mailer's job handling.
#include "service/mailer.hpp"

#include <chrono>
#include <ctime>
#include <vector>

#include "service/mime.hpp"
#include "service/outbox.hpp"
#include "util/json.hpp"
#include "util/log.hpp"

namespace service {
namespace {

int64_t now_ms() {
    return std::chrono::duration_cast<std::chrono::milliseconds>(
               std::chrono::system_clock::now().time_since_epoch())
        .count();
}

std::string string_at(const json_t* obj, const char* key) {
    const json_t* v = json_object_get(obj, key);
    return json_is_string(v) ? std::string(json_string_value(v), json_string_length(v)) : "";
}

std::optional<MailKind> kind_of(const std::string& name) {
    for (const MailKind k : {MailKind::password_reset, MailKind::password_changed,
                             MailKind::verify_email, MailKind::email_change_notice,
                             MailKind::mfa_reset})
        if (job_name(k) == name) return k;
    return std::nullopt;
}

// One mail a job turned into.
struct Outgoing {
    std::string to;
    int64_t user_id = 0;
    MailContent content;
    std::string lang;
};

// A job that can never be sent (malformed); it goes to the dead-letter list at once.
struct BadJob : std::runtime_error {
    using std::runtime_error::runtime_error;
};

// Who a job is about: one user by id, or the accounts a reset request's identifier names.
std::vector<model::User> subjects_of(const json_t* job, MailKind kind, Users& users) {
    std::vector<model::User> found;
    const json_t* uid = json_object_get(job, "user_id");
    if (json_is_integer(uid)) {
        if (auto u = users.get(json_integer_value(uid))) found.push_back(std::move(*u));
    } else if (kind == MailKind::password_reset) {
        const std::string identifier = string_at(job, "identifier");
        if (identifier.find('@') != std::string::npos)
            found = users.find_by_email(identifier);
        else if (auto u = users.find_by_username(identifier))
            found.push_back(std::move(*u));
    } else {
        throw BadJob("job without user_id");
    }
    return found;
}

// The mail one subject of a job gets (with a fresh link token for the kinds that carry one),
// or nullopt: a disabled account (except for the notice of an MFA reset), no address.
std::optional<Outgoing> mail_for(const json_t* job, MailKind kind, const model::User& user,
                                 AccountTokens& tokens, const app::Config& config) {
    if (!user.enabled && kind != MailKind::mfa_reset) return std::nullopt;
    Outgoing out;
    out.user_id = user.id;
    const std::string lang = string_at(job, "lang");
    out.lang = lang.empty() ? (user.lang.empty() ? "en" : user.lang) : lang;
    out.to = string_at(job, "to");
    if (out.to.empty() && user.email) out.to = *user.email;
    if (out.to.empty()) return std::nullopt;  // an account without an address gets no mail
    MailFacts facts;
    facts.username = user.username;
    facts.detail = string_at(job, "detail");
    if (kind == MailKind::password_reset) {
        const int ttl = config.accounts.reset_token_seconds;
        facts.link = config.mail.public_url + "/password/reset?token=" +
                     tokens.issue(TokenPurpose::password_reset, user.id, "", ttl);
        facts.valid_minutes = ttl / 60;
    } else if (kind == MailKind::verify_email) {
        const int ttl = config.accounts.verify_token_seconds;
        facts.link = config.mail.public_url + "/email/verify?token=" +
                     tokens.issue(TokenPurpose::verify_email, user.id, out.to, ttl);
        facts.valid_minutes = ttl / 60;
    }
    out.content = mail_text(kind, out.lang, facts);
    return out;
}

void send(store::Smtp& smtp, const app::Config& config, const Outgoing& mail,
          const std::string& kind_name) {
    MailEnvelope envelope;
    envelope.from = config.mail.from;
    envelope.to = mail.to;
    envelope.lang = mail.lang;
    envelope.message_id = new_message_id(config.mail.from);
    envelope.date = std::time(nullptr);
    smtp.send(store::address_of(config.mail.from), mail.to, build_mime(envelope, mail.content));
    util::log(util::LogLevel::info, "mail_sent",
              {{"kind", kind_name},
               {"user_id", std::to_string(mail.user_id)},
               {"message_id", envelope.message_id}});
}

}  // namespace

Mailer::Mailer(store::MailQueue& queue, store::Smtp& smtp, Users& users, AccountTokens& tokens,
               const app::Config& config)
    : queue_(queue), smtp_(smtp), users_(users), tokens_(tokens), config_(config) {}

int64_t Mailer::retry_delay_ms(int attempt, int base_seconds) {
    const int doublings = std::min(std::max(attempt - 2, 0), 16);
    return int64_t{base_seconds} * 1000 * (int64_t{1} << doublings);
}

void Mailer::recover() {
    if (const int n = queue_.requeue_in_flight(); n > 0)
        util::log(util::LogLevel::warn, "mail_requeued_in_flight", {{"jobs", std::to_string(n)}});
}

bool Mailer::run_once(int timeout_ms) {
    queue_.release_due(now_ms());
    auto job = queue_.take(timeout_ms);
    if (!job) return false;
    handle(*job);
    return true;
}

void Mailer::handle(const std::string& job_text) {
    auto parsed = util::json_parse(job_text, nullptr);
    const json_t* job = parsed ? parsed->get() : nullptr;
    const std::string kind_name = job ? string_at(job, "kind") : "";
    const int attempt =
        job ? static_cast<int>(json_integer_value(json_object_get(job, "attempts"))) + 1 : 1;
    try {
        const auto kind = kind_of(kind_name);
        if (!job || !json_is_object(job) || !kind) throw BadJob("unknown job");
        std::vector<Outgoing> mails;
        for (const auto& user : subjects_of(job, *kind, users_))
            if (auto mail = mail_for(job, *kind, user, tokens_, config_))
                mails.push_back(std::move(*mail));
        if (mails.empty())
            util::log(util::LogLevel::info, "mail_job_without_recipient", {{"kind", kind_name}});
        for (const auto& mail : mails) send(smtp_, config_, mail, kind_name);
        queue_.finish(job_text, !mails.empty());
    } catch (const BadJob& e) {
        util::log(util::LogLevel::error, "mail_job_malformed", {{"reason", e.what()}});
        queue_.bury(job_text, job_text);
    } catch (const std::invalid_argument& e) {  // an address build_mime refuses
        util::log(util::LogLevel::error, "mail_job_malformed",
                  {{"kind", kind_name}, {"reason", e.what()}});
        queue_.bury(job_text, job_text);
    } catch (const store::SmtpError& e) {
        retry_or_bury(job_text, job, attempt, e);
    }
}

void Mailer::retry_or_bury(const std::string& job_text, const json_t* job, int attempt,
                           const store::SmtpError& e) {
    util::Json next{json_deep_copy(job)};
    util::json_set(next, "attempts", util::json_int(attempt));
    util::json_set(next, "last_error", util::json_str(e.what()));
    const std::string next_text = util::json_dump(next.get());
    const bool give_up = e.permanent() || attempt >= config_.mail.max_attempts;
    util::log(util::LogLevel::warn, give_up ? "mail_dead_lettered" : "mail_send_failed",
              {{"kind", string_at(job, "kind")},
               {"attempt", std::to_string(attempt)},
               {"reason", e.what()}});
    if (give_up)
        queue_.bury(job_text, next_text);
    else
        queue_.retry_at(job_text, next_text,
                        now_ms() + retry_delay_ms(attempt + 1, config_.mail.retry_base_seconds));
}

}  // namespace service
