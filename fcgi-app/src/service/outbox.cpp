// Jobs for the mailer.
#include "service/outbox.hpp"

#include "util/crypto.hpp"
#include "util/json.hpp"

namespace service {
namespace {

util::Json new_job(std::string_view kind, std::string_view lang) {
    util::Json job = util::json_object_value();
    // An id of its own: two equal jobs must stay two list entries (LREM removes by value).
    util::json_set(job, "id", util::json_str(util::random_token(12)));
    util::json_set(job, "kind", util::json_str(kind));
    util::json_set(job, "lang", util::json_str(lang));
    util::json_set(job, "attempts", util::json_int(0));
    return job;
}

}  // namespace

std::string_view job_name(MailKind kind) {
    switch (kind) {
        case MailKind::password_reset: return "password_reset";
        case MailKind::password_changed: return "password_changed";
        case MailKind::verify_email: return "verify_email";
        case MailKind::email_change_notice: return "email_change_notice";
        case MailKind::mfa_reset: return "mfa_reset";
    }
    return "unknown";
}

Outbox::Outbox(store::MailQueue& queue) : queue_(queue) {}

void Outbox::password_reset(std::string_view identifier, std::string_view lang) {
    auto job = new_job("password_reset", lang);
    util::json_set(job, "identifier", util::json_str(identifier));
    queue_.push(util::json_dump(job.get()));
}

void Outbox::password_reset_for(int64_t user_id, std::string_view lang) {
    auto job = new_job("password_reset", lang);
    util::json_set(job, "user_id", util::json_int(user_id));
    queue_.push(util::json_dump(job.get()));
}

void Outbox::verify_email(int64_t user_id, std::string_view address, std::string_view lang) {
    auto job = new_job("verify_email", lang);
    util::json_set(job, "user_id", util::json_int(user_id));
    util::json_set(job, "to", util::json_str(address));
    queue_.push(util::json_dump(job.get()));
}

void Outbox::notice(MailKind kind, int64_t user_id, std::string_view lang, std::string_view to,
                    std::string_view detail) {
    auto job = new_job(job_name(kind), lang);
    util::json_set(job, "user_id", util::json_int(user_id));
    if (!to.empty()) util::json_set(job, "to", util::json_str(to));
    if (!detail.empty()) util::json_set(job, "detail", util::json_str(detail));
    queue_.push(util::json_dump(job.get()));
}

}  // namespace service
