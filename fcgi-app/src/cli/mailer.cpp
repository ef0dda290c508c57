// The body of `login-fcgi mailer`'s process (main.cpp runs it under the supervisor): sends the
// queued mails until SIGTERM.
#include <signal.h>

#include <chrono>
#include <csignal>
#include <thread>

#include "app/services.hpp"
#include "cli/cli.hpp"
#include "service/mailer.hpp"
#include "store/errors.hpp"
#include "util/log.hpp"

namespace cli {
namespace {

volatile std::sig_atomic_t g_stop = 0;

void on_term(int) { g_stop = 1; }

void install_handlers() {
    struct sigaction sa{};
    sa.sa_handler = on_term;
    sigemptyset(&sa.sa_mask);
    sigaction(SIGTERM, &sa, nullptr);
    sigaction(SIGINT, &sa, nullptr);
    signal(SIGPIPE, SIG_IGN);
    signal(SIGHUP, SIG_IGN);
    // The supervisor forked us with its signals blocked (it waits for them synchronously).
    sigset_t none;
    sigemptyset(&none);
    sigprocmask(SIG_SETMASK, &none, nullptr);
}

// smtp://user:pass@host:port → smtp://host:port, for logs.
std::string without_userinfo(const std::string& url) {
    const size_t scheme = url.find("://");
    const size_t at = url.find('@');
    if (scheme == std::string::npos || at == std::string::npos) return url;
    return url.substr(0, scheme + 3) + url.substr(at + 1);
}

}  // namespace

// One mailer process: sends until SIGTERM. A store that is away pauses it with backoff; the
// job in hand stays in flight and is put back at the next start (at least once, never lost).
int run_mailer_process(const app::Config& config) {
    install_handlers();
    const service::Passwords passwords(config.scrypt);
    app::Services svc(config, passwords);
    const app::MailSettings& m = config.mail;
    store::Smtp smtp({m.smtp_url, m.smtp_starttls, m.smtp_user, m.smtp_password, m.smtp_ca_file,
                      m.smtp_timeout_seconds});
    service::Mailer mailer(svc.mail_queue(), smtp, svc.users, svc.tokens, config);
    util::log(util::LogLevel::info, "mailer_started",
              {{"smtp", without_userinfo(config.mail.smtp_url)},
               {"starttls", config.mail.smtp_starttls ? "on" : "off"}});
    bool recovered = false;
    int failures = 0;
    while (!g_stop) {
        try {
            if (!recovered) {
                mailer.recover();
                recovered = true;
            }
            mailer.run_once(500);
            failures = 0;
        } catch (const store::RedisError& e) {
            ++failures;
            util::log(util::LogLevel::error, "mailer_store_error", {{"reason", e.what()}});
        } catch (const store::PgError& e) {
            ++failures;
            util::log(util::LogLevel::error, "mailer_store_error", {{"reason", e.what()}});
        }
        if (failures > 0)
            std::this_thread::sleep_for(std::chrono::milliseconds(200 * std::min(failures, 25)));
    }
    util::log(util::LogLevel::info, "mailer_stopped");
    return 0;
}

}  // namespace cli
