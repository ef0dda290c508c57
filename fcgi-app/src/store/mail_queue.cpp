// The mail queue's Redis commands.
#include "store/mail_queue.hpp"

#include "store/errors.hpp"
#include "store/keys.hpp"

namespace store {
namespace {

constexpr int kDeadLetterKeep = 10000;

int64_t integer_of(const ReplyView& r) {
    return r.integer().value_or(0);
}

}  // namespace

MailQueue::MailQueue(Redis& redis, std::string key_prefix, std::string_view consumer)
    : MailQueue(redis, Keys(std::move(key_prefix)), consumer) {}

MailQueue::MailQueue(Redis& redis, const Keys& keys, std::string_view consumer)
    : redis_(redis),
      queue_(keys.mail_queue()),
      in_flight_(keys.mail_in_flight(consumer)),
      retry_(keys.mail_retry()),
      dead_(keys.mail_dead()),
      sent_(keys.mail_sent()),
      failed_(keys.mail_failed()) {}

void MailQueue::push(const std::string& job) { redis_.command({"LPUSH", queue_, job}); }

std::optional<std::string> MailQueue::take(int timeout_ms) {
    const std::string timeout = std::to_string(timeout_ms / 1000.0);
    auto r = redis_.command({"BLMOVE", queue_, in_flight_, "RIGHT", "LEFT", timeout});
    return r.string();
}

void MailQueue::finish(const std::string& job, bool sent) {
    if (sent)
        redis_.pipeline({{"LREM", in_flight_, "1", job}, {"INCR", sent_}});
    else
        redis_.command({"LREM", in_flight_, "1", job});
}

void MailQueue::retry_at(const std::string& job, const std::string& next_job, int64_t due_ms) {
    redis_.pipeline({{"MULTI"},
                     {"ZADD", retry_, std::to_string(due_ms), next_job},
                     {"LREM", in_flight_, "1", job},
                     {"INCR", failed_},
                     {"EXEC"}});
}

void MailQueue::bury(const std::string& job, const std::string& dead_job) {
    const std::string last = std::to_string(kDeadLetterKeep - 1);
    redis_.pipeline({{"MULTI"},
                     {"LPUSH", dead_, dead_job},
                     {"LTRIM", dead_, "0", last},
                     {"LREM", in_flight_, "1", job},
                     {"INCR", failed_},
                     {"EXEC"}});
}

int MailQueue::release_due(int64_t now_ms) {
    // One script, so that a job is never both in the retry set and in the queue.
    static constexpr std::string_view kRelease = R"(
local due = redis.call('ZRANGEBYSCORE', KEYS[1], '-inf', ARGV[1], 'LIMIT', 0, 100)
for _, job in ipairs(due) do
  redis.call('LPUSH', KEYS[2], job)
  redis.call('ZREM', KEYS[1], job)
end
return #due)";
    return static_cast<int>(
        integer_of(redis_.eval(kRelease, 2, {retry_, queue_, std::to_string(now_ms)})));
}

int MailQueue::requeue_in_flight() {
    int moved = 0;
    while (redis_.command({"LMOVE", in_flight_, queue_, "RIGHT", "RIGHT"}).string()) ++moved;
    return moved;
}

MailQueue::Stats MailQueue::stats() {
    auto r = redis_.pipeline({{"LLEN", queue_},
                              {"LLEN", in_flight_},
                              {"ZCARD", retry_},
                              {"LLEN", dead_},
                              {"GET", sent_},
                              {"GET", failed_}});
    return Stats{integer_of(r[0]), integer_of(r[1]), integer_of(r[2]),
                 integer_of(r[3]), integer_of(r[4]), integer_of(r[5])};
}

}  // namespace store
