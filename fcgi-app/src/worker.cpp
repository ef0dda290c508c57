// One worker process: accept loop and the single catch site.
#include "worker.hpp"

#include <fcgiapp.h>
#include <signal.h>

#include <chrono>
#include <csignal>
#include <cstdio>
#include <cstring>
#include <span>
#include <string>
#include <string_view>
#include <utility>

#include "app/services.hpp"
#include "http/error.hpp"
#include "metrics/metrics.hpp"
#include "routes/cookies.hpp"
#include "routes/dispatch.hpp"
#include "routes/pages.hpp"
#include "store/errors.hpp"
#include "util/json.hpp"
#include "util/log.hpp"
#include "util/text.hpp"

namespace app {
namespace {

volatile std::sig_atomic_t g_stop = 0;

void on_term(int) {
    g_stop = 1;
    FCGX_ShutdownPending();
}

void install_signal_handlers() {
    struct sigaction sa{};
    sa.sa_handler = on_term;
    sigemptyset(&sa.sa_mask);
    sa.sa_flags = 0;  // no SA_RESTART: a blocked accept() must return so the loop can end
    sigaction(SIGTERM, &sa, nullptr);
    sigaction(SIGINT, &sa, nullptr);
    signal(SIGHUP, SIG_IGN);
    sigset_t none;
    sigemptyset(&none);
    sigprocmask(SIG_SETMASK, &none, nullptr);
}

// The answer to an error: JSON {"error":{"code","message"}} (in English) for clients that ask
// for JSON, else the error page in the request's language; with the error's own headers.
http::Response error_response(const http::Request& req, const http::Error& e) {
    http::Response resp;
    if (req.wants_json()) {
        util::Json err = util::json_object_value();
        util::json_set(err, "code", util::json_str(e.code()));
        util::json_set(err, "message", util::json_str(e.message()
                                                         ? routes::text(routes::Lang::en, *e.message())
                                                         : e.what()));
        util::Json doc = util::json_object_value();
        util::json_set(doc, "error", std::move(err));
        resp = http::Response::json(e.status(), doc);
    } else {
        resp = http::Response::html(e.status(),
                                    routes::render_error_page(routes::choose_lang(req), e.status(),
                                                              e.message(), e.what()));
    }
    for (const auto& [name, value] : e.headers()) resp.header(name, value);
    return resp;
}

// Reads the body announced by CONTENT_LENGTH, refusing more than max_bytes before reading.
// Returns normally only when the whole body is read.
void read_body(FCGX_Request& fcgx, http::Request& req, size_t max_bytes) {
    auto length = req.header("content-length");
    if (!length || length->empty()) return;
    auto n = util::parse_uint(*length, SIZE_MAX);
    if (!n) throw http::Error::bad_request("Invalid Content-Length.");
    if (*n > max_bytes) throw http::Error::payload_too_large();
    req.body.resize(*n);
    const int got = FCGX_GetStr(req.body.data(), static_cast<int>(*n), fcgx.in);
    if (got < 0 || static_cast<size_t>(got) != *n)
        throw http::Error::bad_request("Request body is shorter than Content-Length.");
}

// Ends the request and closes its connection. libfcgi closes with shutdown() and then waits,
// up to 2 s, until nginx has closed its end, so that request bytes still unread could not turn
// the close into a reset that loses the response. Once stdin has been read to its end (the
// empty record that ends it, which nginx sends with the request), nothing unread is left, and
// a plain close (FCGX_Detach skips the wait) frees the worker at once. A request whose body
// was refused unread keeps the lingering close.
void finish(FCGX_Request& fcgx, bool body_read) {
    if (body_read && FCGX_GetChar(fcgx.in) == EOF && FCGX_GetError(fcgx.in) == 0)
        FCGX_Detach(&fcgx);
    FCGX_Finish_r(&fcgx);
}

// An outage is an error for the operator ("postgres_failed", "redis_failed"), a conflict that no
// service expected is worth a look, a bad value is the client's own and not logged.
void log_store_error(const http::Request& req, const store::Error& e) {
    const std::pair<std::string_view, std::string_view> fields[] = {
        {"request_id", req.request_id}, {"path", req.path}, {"reason", e.what()}};
    switch (e.kind()) {
        case store::ErrorKind::unavailable:
            util::log(util::LogLevel::error, std::string(e.store()) + "_failed", std::span(fields));
            break;
        case store::ErrorKind::conflict:
            util::log(util::LogLevel::warn, "store_conflict", std::span(fields));
            break;
        case store::ErrorKind::bad_value:
            break;
    }
}

}  // namespace

http::Error error_for(store::ErrorKind kind) {
    switch (kind) {
        case store::ErrorKind::bad_value:
            // A value from the request that the database cannot represent: retrying cannot help,
            // so it is the client's 400, not a 503.
            return http::Error(400, "invalid_parameter", "A value in the request is out of range.");
        case store::ErrorKind::conflict:
            // A write that collides with a stored row and that no service turned into its own
            // answer (those say 422 "taken"): retrying the same request cannot help either.
            return http::Error(409, "conflict", "The request conflicts with stored data.");
        case store::ErrorKind::unavailable:
            break;
    }
    return http::Error(503, "unavailable", model::MessageId::unavailable, {{"Retry-After", "2"}});
}

http::Response handle_request(const routes::Dispatcher& dispatcher, http::Request& req) {
    try {
        return dispatcher.dispatch(req);
    } catch (const http::Error& e) {
        return error_response(req, e);
    } catch (const store::Error& e) {
        log_store_error(req, e);
        return error_response(req, error_for(e.kind()));
    } catch (const std::exception& e) {
        util::log(util::LogLevel::error, "unexpected_exception",
                  {{"request_id", req.request_id}, {"path", req.path}, {"reason", e.what()}});
        return error_response(req, http::Error(500, "internal", model::MessageId::internal_error));
    }
}

int run_worker(int listen_fd, const Config& config, const service::Passwords& passwords) {
    install_signal_handlers();
    if (FCGX_Init() != 0) {
        util::log(util::LogLevel::error, "fcgx_init_failed");
        return 1;
    }
    app::Services services(config, passwords);  // connections open lazily, in this process
    const routes::Cookies cookies(config.cookie_secure, config.limits.known_device_days);
    routes::ServiceCallers callers(services);
    const routes::Dispatcher dispatcher(services, callers, cookies);
    FCGX_Request fcgx;
    FCGX_InitRequest(&fcgx, listen_fd, FCGI_FAIL_ACCEPT_ON_INTR);
    util::log(util::LogLevel::info, "worker_started");
    while (!g_stop && FCGX_Accept_r(&fcgx) >= 0) {
        const auto started = std::chrono::steady_clock::now();
        http::Request req = http::request_from_cgi_env(fcgx.envp);
        http::Response resp;
        bool body_read = false;
        try {
            read_body(fcgx, req, config.max_body_bytes);
            body_read = true;
            resp = handle_request(dispatcher, req);
        } catch (const http::Error& e) {
            resp = error_response(req, e);
        }
        const std::string out = resp.serialize(req.method != "HEAD");
        FCGX_PutStr(out.data(), static_cast<int>(out.size()), fcgx.out);
        finish(fcgx, body_read);
        metrics::request(req.route_index, resp.status,
                         std::chrono::duration<double>(std::chrono::steady_clock::now() - started)
                             .count());
    }
    FCGX_Free(&fcgx, 0);
    util::log(util::LogLevel::info, "worker_stopped");
    return 0;
}

}  // namespace app
