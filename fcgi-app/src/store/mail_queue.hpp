// The mail queue in the session Redis: workers push jobs, the mailer takes them one at a time,
// retries failures later and keeps the ones that never went out in a dead-letter list. Its keys
// are named in store/keys.hpp.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "store/keys.hpp"
#include "store/redis.hpp"

namespace store {

class MailQueue {
public:
    // consumer names this mailer's in-flight list (one per mailer process).
    MailQueue(Redis& redis, std::string key_prefix, std::string_view consumer = "mailer");

    // Appends a job (a JSON document). Throws RedisError.
    void push(const std::string& job);

    // The oldest job, moved to this consumer's in-flight list; nullopt when none arrived
    // within timeout_ms (at most 900: the connection times out at one second).
    std::optional<std::string> take(int timeout_ms);
    // The job was handled (sent, or nothing to send): off the in-flight list. sent counts it.
    void finish(const std::string& job, bool sent);
    // The attempt failed: off the in-flight list, and next_job (the job with its attempt
    // count) due again at due_ms. Counts a failure.
    void retry_at(const std::string& job, const std::string& next_job, int64_t due_ms);
    // The last attempt failed: off the in-flight list onto the dead-letter list (the newest
    // 10000 are kept). Counts a failure.
    void bury(const std::string& job, const std::string& dead_job);
    // Moves the retries due at now_ms back to the queue; returns how many.
    int release_due(int64_t now_ms);
    // Puts back what a mailer that stopped half-way had in flight (at start-up).
    int requeue_in_flight();

    struct Stats {
        int64_t queued = 0, in_flight = 0, retrying = 0, dead = 0, sent = 0, failed = 0;
    };
    // One round trip.
    Stats stats();

private:
    MailQueue(Redis& redis, const Keys& keys, std::string_view consumer);

    Redis& redis_;
    std::string queue_, in_flight_, retry_, dead_, sent_, failed_;
};

}  // namespace store
