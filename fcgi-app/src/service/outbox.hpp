// What workers ask the mailer to send. A request only appends a small job to the mail queue
// (one Redis command): the mailer finds the account, makes any link's token and talks SMTP,
// so no request waits for a mail server, and a recovery request costs the same whether or not
// an account matches.
#pragma once

#include <cstdint>
#include <string_view>

#include "service/mail_texts.hpp"
#include "store/mail_queue.hpp"

namespace service {

using MailQueueStats = store::MailQueue::Stats;

class Outbox {
public:
    explicit Outbox(store::MailQueue& queue);

    // A reset link to every enabled account whose username is identifier (any letter case),
    // or whose email address is identifier when it holds '@'; nothing when none matches.
    void password_reset(std::string_view identifier, std::string_view lang);
    // A reset link for one account (an admin's "send a recovery mail").
    void password_reset_for(int64_t user_id, std::string_view lang);
    // A verification link to address, which becomes the user's address once opened.
    void verify_email(int64_t user_id, std::string_view address, std::string_view lang);
    // A notice without a link (password_changed, email_change_notice, mfa_reset) to the
    // user's current address, or to `to` when given; detail as in MailFacts. An empty lang
    // means the user's own (that of their last login).
    void notice(MailKind kind, int64_t user_id, std::string_view lang, std::string_view to = {},
                std::string_view detail = {});

    // The queue's counts, for the metrics (one round trip to the session Redis).
    MailQueueStats queue_stats() { return queue_.stats(); }

private:
    store::MailQueue& queue_;
};

// The job kinds, as the queue's documents name them.
std::string_view job_name(MailKind kind);

}  // namespace service
