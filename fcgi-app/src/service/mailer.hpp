// The mailer: takes jobs from the mail queue, turns each into mails (finding the account and
// making a link's token where the job needs one), sends them over SMTP, retries a failure with
// a growing delay and buries a job that keeps failing in the dead-letter list.
#pragma once

#include <cstdint>
#include <string>

#include "config.hpp"
#include "service/account_tokens.hpp"
#include "service/users.hpp"
#include "store/mail_queue.hpp"
#include "store/smtp.hpp"
#include "util/json.hpp"

namespace service {

class Mailer {
public:
    Mailer(store::MailQueue& queue, store::Smtp& smtp, Users& users, AccountTokens& tokens,
           const app::Config& config);

    // Puts back the jobs a previous run left in flight. Call once at start-up.
    void recover();
    // Releases due retries, then handles one job if one arrives within timeout_ms. Returns
    // true when it handled one. Throws RedisError / PgError when a store is away (the job
    // stays in flight and comes back at the next start; the caller backs off).
    bool run_once(int timeout_ms);

    // The delay before attempt number `attempt` (2 and later) of a job.
    static int64_t retry_delay_ms(int attempt, int base_seconds);

private:
    void handle(const std::string& job);
    // After a failed send: the job again later with its attempt counted, or, when the failure
    // is permanent or the attempts are used up, the dead-letter list.
    void retry_or_bury(const std::string& job_text, const json_t* job, int attempt,
                       const store::SmtpError& e);

    store::MailQueue& queue_;
    store::Smtp& smtp_;
    Users& users_;
    AccountTokens& tokens_;
    const app::Config& config_;
};

}  // namespace service
