// Sliding-window limits in Redis.
#include "service/rate_limits.hpp"

#include <algorithm>
#include <chrono>
#include <cmath>

#include "util/crypto.hpp"
#include "util/net.hpp"
#include "util/text.hpp"

namespace service {
namespace {

constexpr int kHour = 3600;

int64_t now_ms() {
    using namespace std::chrono;
    return duration_cast<milliseconds>(system_clock::now().time_since_epoch()).count();
}

int64_t bucket_of(int64_t now, int window_seconds) { return now / (window_seconds * 1000LL); }

// Seconds until the weighted count drops below limit, for a refused request (at least 1).
int seconds_until_below(const WindowCount& c, int64_t now, int window_seconds, int limit) {
    const double w = window_seconds * 1000.0;
    const double into = static_cast<double>(now % (window_seconds * 1000LL));
    double wait_ms;
    if (c.current < limit) {
        // Only the previous bucket's fading share is over: wait until it has faded enough.
        const double need =
            1.0 - static_cast<double>(limit - c.current) / static_cast<double>(c.previous);
        wait_ms = std::max(0.0, need * w - into);
    } else {
        // The current bucket alone is over: it has to end and then fade.
        wait_ms = (w - into) + (1.0 - static_cast<double>(limit) / static_cast<double>(c.current)) * w;
    }
    // +1 ms: at exactly wait_ms the count equals the limit, which is still refused.
    return std::max(1, static_cast<int>(std::ceil((wait_ms + 1.0) / 1000.0)));
}

// A counter's value; a missing counter is 0.
int64_t reply_int(const store::ReplyView& r) {
    return r.integer().value_or(0);
}

Verdict refuse(std::string reason, int retry_after) {
    return Verdict{false, retry_after, std::move(reason)};
}

}  // namespace

double WindowCount::at(int64_t now, int window_seconds) const {
    const double w = window_seconds * 1000.0;
    const double into = static_cast<double>(now % (window_seconds * 1000LL));
    return static_cast<double>(current) + static_cast<double>(previous) * (1.0 - into / w);
}

Verdict decide_login(const LoginCounts& c, const app::RateLimits& limits, int64_t now) {
    if (c.network_failures.at(now, kHour) >= limits.login_ip_failures_per_hour)
        return refuse("ip_limit", seconds_until_below(c.network_failures, now, kHour,
                                                      limits.login_ip_failures_per_hour));
    const int free =
        c.known_device ? limits.login_device_free_failures : limits.login_free_failures;
    const int per_hour = c.known_device ? limits.login_device_failures_per_hour
                                        : limits.login_account_failures_per_hour;
    const double failures = c.failures.at(now, kHour);
    if (failures >= per_hour)
        return refuse(c.known_device ? "device_limit" : "account_limit",
                      seconds_until_below(c.failures, now, kHour, per_hour));
    if (failures >= free && c.last_failure_ms > 0) {
        // 1 s after the last free failure, then 2, 4, 8 ... up to the configured maximum.
        const int over = static_cast<int>(failures) - free;
        const int64_t delay_ms =
            std::min<int64_t>(int64_t{1000} << std::min(over, 20),
                              limits.login_max_delay_seconds * 1000LL);
        const int64_t wait = c.last_failure_ms + delay_ms - now;
        if (wait > 0) return refuse("delay", static_cast<int>((wait + 999) / 1000));
    }
    return {};
}

std::string client_network(std::string_view client_ip) {
    return util::ip_network(client_ip, 32, 64).value_or(std::string(client_ip.substr(0, 64)));
}

RateLimits::RateLimits(store::Redis& redis, std::string key_prefix, const app::RateLimits& limits)
    : redis_(redis), keys_(std::move(key_prefix)), limits_(limits) {}

RateLimits::SubjectKeys RateLimits::keys_of(const LoginSubject& subject) const {
    // Hashed: keys do not spell out usernames or device ids, and their length is bounded.
    if (subject.device_id) {
        const std::string device = util::sha256_hex(*subject.device_id).substr(0, 32);
        return {"df", device, keys_.last_failed_device(device)};
    }
    const std::string account = util::sha256_hex(subject.username).substr(0, 32);
    return {"lf", account, keys_.last_failed_login(account)};
}

Verdict RateLimits::check_login(const LoginSubject& subject, std::string_view client_ip) {
    const int64_t now = now_ms();
    const int64_t b = bucket_of(now, kHour);
    const SubjectKeys k = keys_of(subject);
    const std::string network = client_network(client_ip);
    const auto r = redis_.pipeline({{"GET", keys_.rate_bucket(k.kind, k.subject, b)},
                                    {"GET", keys_.rate_bucket(k.kind, k.subject, b - 1)},
                                    {"GET", keys_.rate_bucket("nf", network, b)},
                                    {"GET", keys_.rate_bucket("nf", network, b - 1)},
                                    {"GET", k.last}});
    LoginCounts counts;
    counts.failures = {reply_int(r[0]), reply_int(r[1])};
    counts.network_failures = {reply_int(r[2]), reply_int(r[3])};
    counts.last_failure_ms = reply_int(r[4]);
    counts.known_device = subject.device_id.has_value();
    return decide_login(counts, limits_, now);
}

void RateLimits::login_failed(const LoginSubject& subject, std::string_view client_ip) {
    const int64_t now = now_ms();
    const int64_t b = bucket_of(now, kHour);
    const SubjectKeys k = keys_of(subject);
    const std::string a = keys_.rate_bucket(k.kind, k.subject, b);
    const std::string n = keys_.rate_bucket("nf", client_network(client_ip), b);
    const std::string ttl = std::to_string(2 * kHour);
    redis_.pipeline({{"INCR", a},
                     {"EXPIRE", a, ttl},
                     {"INCR", n},
                     {"EXPIRE", n, ttl},
                     {"SET", k.last, std::to_string(now), "EX", ttl}});
}

void RateLimits::login_succeeded(const LoginSubject& subject) {
    const int64_t b = bucket_of(now_ms(), kHour);
    std::vector<std::string> keys;  // owned here: RedisArgs only views them
    for (const auto& k : {keys_of({subject.username, std::nullopt}), keys_of(subject)}) {
        keys.push_back(keys_.rate_bucket(k.kind, k.subject, b));
        keys.push_back(keys_.rate_bucket(k.kind, k.subject, b - 1));
        keys.push_back(k.last);
    }
    store::RedisArgs del = {"DEL"};
    del.insert(del.end(), keys.begin(), keys.end());
    redis_.command(del);
}

std::string RateLimits::reauth_key(std::string_view session_id) const {
    return keys_.reauth_failures(util::sha256_hex(session_id).substr(0, 32));
}

int64_t RateLimits::reauth_failed(std::string_view session_id) {
    const std::string key = reauth_key(session_id);
    // As long as the longest session could live; the count matters only while it does.
    const auto r = redis_.pipeline({{"INCR", key}, {"EXPIRE", key, std::to_string(30 * 86400)}});
    return reply_int(r[0]);
}

void RateLimits::reauth_succeeded(std::string_view session_id) {
    redis_.command({"DEL", reauth_key(session_id)});
}

Verdict RateLimits::hit(std::string_view kind, std::string_view subject, int window_seconds,
                        int limit) {
    const int64_t now = now_ms();
    const int64_t b = bucket_of(now, window_seconds);
    const std::string cur = keys_.rate_bucket(kind, subject, b);
    const auto r = redis_.pipeline({{"INCR", cur},
                                    {"EXPIRE", cur, std::to_string(2 * window_seconds)},
                                    {"GET", keys_.rate_bucket(kind, subject, b - 1)}});
    // The count includes this request, so it is allowed while the count is at most limit.
    const WindowCount c{reply_int(r[0]), reply_int(r[2])};
    if (c.at(now, window_seconds) <= limit) return {};
    return refuse("limit", seconds_until_below(WindowCount{c.current - 1, c.previous}, now,
                                               window_seconds, limit));
}

Verdict RateLimits::hit_registration(std::string_view client_ip) {
    return hit("reg", client_network(client_ip), kHour, limits_.register_per_ip_per_hour);
}

Verdict RateLimits::hit_recovery_network(std::string_view client_ip) {
    return hit("rec-ip", client_network(client_ip), kHour, limits_.recovery_ip_per_hour);
}

Verdict RateLimits::hit_bad_link(std::string_view client_ip) {
    return hit("bad-link", client_network(client_ip), kHour, limits_.bad_link_ip_per_hour);
}

Verdict RateLimits::hit_recovery_account(std::string_view identifier) {
    // Hashed: an email address never appears in a key.
    return hit("rec-acct", util::sha256_hex(util::ascii_lower(identifier)).substr(0, 32), kHour,
               limits_.recovery_account_per_hour);
}

Verdict RateLimits::hit_verify_mail(int64_t user_id) {
    return hit("verify", std::to_string(user_id), kHour, limits_.verify_mail_per_hour);
}

Verdict RateLimits::hit_api(int64_t client_id) {
    return hit("api", std::to_string(client_id), 60, limits_.api_requests_per_minute);
}

}  // namespace service
