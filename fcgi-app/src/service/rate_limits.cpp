// Sliding-window limits in Redis.
#include "service/rate_limits.hpp"

#include <algorithm>
#include <chrono>
#include <cmath>

#include "service/sessions.hpp"
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

int64_t reply_int(const store::RedisReply& r) {
    auto text = store::reply_string(r.get());
    if (!text) return r && r->type == REDIS_REPLY_INTEGER ? r->integer : 0;
    return util::parse_uint(*text, INT64_MAX).value_or(0);
}

std::string account_subject(std::string_view username) {
    // Hashed: keys do not spell out usernames, and their length is bounded.
    return util::sha256_hex(util::ascii_lower(username)).substr(0, 32);
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
    if (c.known_device) return {};
    if (c.network_failures.at(now, kHour) >= limits.login_ip_failures_per_hour)
        return refuse("ip_limit", seconds_until_below(c.network_failures, now, kHour,
                                                      limits.login_ip_failures_per_hour));
    const double failures = c.account_failures.at(now, kHour);
    if (failures >= limits.login_account_failures_per_hour)
        return refuse("account_limit", seconds_until_below(c.account_failures, now, kHour,
                                                           limits.login_account_failures_per_hour));
    if (failures >= limits.login_free_failures && c.last_failure_ms > 0) {
        // 1 s after the last free failure, then 2, 4, 8 ... up to the configured maximum.
        const int over = static_cast<int>(failures) - limits.login_free_failures;
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
    : redis_(redis), prefix_(std::move(key_prefix)), limits_(limits) {}

std::string RateLimits::bucket_key(std::string_view kind, std::string_view subject,
                                   int64_t bucket) const {
    std::string key = prefix_ + "rl:";
    key += kind;
    key += ':';
    key += subject;
    key += ':';
    key += std::to_string(bucket);
    return key;
}

Verdict RateLimits::check_login(std::string_view username, std::string_view client_ip,
                                std::optional<std::string_view> device) {
    const int64_t now = now_ms();
    const int64_t b = bucket_of(now, kHour);
    const std::string account = account_subject(username);
    const std::string network = client_network(client_ip);
    std::vector<store::RedisArgs> cmds;
    const std::string keys[] = {bucket_key("lf", account, b), bucket_key("lf", account, b - 1),
                                bucket_key("nf", network, b), bucket_key("nf", network, b - 1),
                                prefix_ + "rl:last:" + account};
    for (const auto& k : keys) cmds.push_back({"GET", k});
    std::string device_key;
    if (device && is_session_id_shape(*device)) {
        device_key = prefix_ + "dv:" + util::sha256_hex(*device).substr(0, 32) + ":" + account;
        cmds.push_back({"EXISTS", device_key});
    }
    const auto r = redis_.pipeline(cmds);
    LoginCounts counts;
    counts.account_failures = {reply_int(r[0]), reply_int(r[1])};
    counts.network_failures = {reply_int(r[2]), reply_int(r[3])};
    counts.last_failure_ms = reply_int(r[4]);
    counts.known_device = !device_key.empty() && reply_int(r[5]) == 1;
    return decide_login(counts, limits_, now);
}

void RateLimits::login_failed(std::string_view username, std::string_view client_ip) {
    const int64_t now = now_ms();
    const int64_t b = bucket_of(now, kHour);
    const std::string account = account_subject(username);
    const std::string a = bucket_key("lf", account, b);
    const std::string n = bucket_key("nf", client_network(client_ip), b);
    const std::string ttl = std::to_string(2 * kHour);
    redis_.pipeline({{"INCR", a},
                     {"EXPIRE", a, ttl},
                     {"INCR", n},
                     {"EXPIRE", n, ttl},
                     {"SET", prefix_ + "rl:last:" + account, std::to_string(now), "EX", ttl}});
}

std::string RateLimits::login_succeeded(std::string_view username,
                                        std::optional<std::string_view> device) {
    const int64_t b = bucket_of(now_ms(), kHour);
    const std::string account = account_subject(username);
    const std::string token = device && is_session_id_shape(*device) ? std::string(*device)
                                                                     : util::random_token(32);
    redis_.pipeline({{"DEL", bucket_key("lf", account, b), bucket_key("lf", account, b - 1),
                      prefix_ + "rl:last:" + account},
                     {"SET", prefix_ + "dv:" + util::sha256_hex(token).substr(0, 32) + ":" + account,
                      "1", "EX", std::to_string(limits_.known_device_days * 86400)}});
    return token;
}

Verdict RateLimits::hit(std::string_view kind, std::string_view subject, int window_seconds,
                        int limit) {
    const int64_t now = now_ms();
    const int64_t b = bucket_of(now, window_seconds);
    const std::string cur = bucket_key(kind, subject, b);
    const auto r = redis_.pipeline({{"INCR", cur},
                                    {"EXPIRE", cur, std::to_string(2 * window_seconds)},
                                    {"GET", bucket_key(kind, subject, b - 1)}});
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
