// GET /healthz: the worker is alive and answering (liveness). GET /readyz: its stores answer
// (readiness). GET /metrics: the pool's counters in Prometheus text format (nginx lets only
// the configured network reach /readyz and /metrics). POST /internal/hash-queue-rejected:
// nginx reports a request its hashing queue refused (reachable from nginx only).
#include "metrics/exposition.hpp"
#include "metrics/metrics.hpp"
#include "routes/routes.hpp"
#include "service/readiness.hpp"
#include "util/json.hpp"

namespace routes {

http::Response get_healthz(Context&) {
    http::Response r;
    r.header("Content-Type", "text/plain");
    r.header("Cache-Control", "no-store");
    r.body = "ok\n";
    return r;
}

http::Response get_readyz(Context& ctx) {
    const auto ready = ctx.svc.readiness();
    auto up = [](bool ok) { return util::json_str(ok ? "up" : "down"); };
    util::Json checks = util::json_object_value();
    util::json_set(checks, "postgres", up(ready.postgres));
    util::json_set(checks, "session_redis", up(ready.session_redis));
    util::json_set(checks, "cache_redis", up(ready.cache_redis));
    util::Json doc = util::json_object_value();
    util::json_set(doc, "status", util::json_str(ready.status()));
    util::json_set(doc, "checks", std::move(checks));
    // Degraded is still ready: taking the pool out of rotation would turn slower into down.
    auto r = http::Response::json(ready.serving() ? 200 : 503, doc);
    r.header("Cache-Control", "no-store");
    if (!ready.serving()) r.header("Retry-After", "2");
    return r;
}

http::Response post_hash_queue_rejected(Context&) {
    metrics::hash_queue_rejected();
    http::Response r;
    r.status = 204;
    return r;
}

namespace {

// The mail queue's state, read from the session Redis: the same numbers from every worker and
// host, since the queue is shared. Nothing when Redis is away (the rest still renders).
std::string mail_metrics(Context& ctx) {
    service::MailQueueStats s;
    try {
        s = ctx.svc.outbox.queue_stats();
    } catch (const std::exception&) {
        return "";
    }
    std::string out;
    auto one = [&out](const char* name, const char* type, const char* help, int64_t value) {
        out += metrics::single(name, type, help, static_cast<double>(value));
    };
    one("login_mail_queued", "gauge", "Mail jobs waiting for the mailer.", s.queued + s.in_flight);
    one("login_mail_retrying", "gauge", "Mail jobs waiting to be tried again after a failure.",
        s.retrying);
    one("login_mail_dead_letters", "gauge", "Mail jobs given up on (the dead-letter list).", s.dead);
    one("login_mail_sent_total", "counter", "Mail jobs sent.", s.sent);
    one("login_mail_failed_total", "counter", "Failed attempts to send a mail job.", s.failed);
    return out;
}

}  // namespace

http::Response get_metrics(Context& ctx) {
    http::Response r;
    r.header("Content-Type", "text/plain; version=0.0.4; charset=utf-8");
    r.header("Cache-Control", "no-store");
    // The labels of the route table's rows, in table order (req.route_index counts in it).
    static const std::vector<metrics::RouteLabel> labels = [] {
        std::vector<metrics::RouteLabel> out;
        for (const auto& row : route_table()) out.push_back({row.method, row.pattern});
        return out;
    }();
    r.body = metrics::render(labels) + mail_metrics(ctx);
    return r;
}

}  // namespace routes
