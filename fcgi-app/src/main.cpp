// login-fcgi: the FastCGI login and profile service, and its operator commands. `serve` runs
// the prefork supervisor; `worker` (the default) is one worker on an inherited socket
// (spawn-fcgi -F N); the other commands are for operators (login-fcgi help).
#include <algorithm>
#include <csignal>
#include <cstdlib>
#include <iostream>
#include <optional>
#include <string>
#include <vector>

#include "cli/args.hpp"
#include "cli/cli.hpp"
#include "config.hpp"
#include "config_check.hpp"
#include "metrics/metrics.hpp"
#include "service/passwords.hpp"
#include "supervisor.hpp"
#include "util/log.hpp"
#include "worker.hpp"

namespace {

constexpr const char* kUsage =
    "usage: login-fcgi [serve | worker | mailer | user ... | client ... | demo-seed | routes |\n"
    "                   hash-password | bench-sessions ... | config check | version | help]\n"
    "  serve          open LOGIN_SOCKET and run LOGIN_WORKERS workers under a supervisor\n"
    "  worker         serve one worker on the socket inherited as fd 0 (spawn-fcgi); default\n"
    "  mailer         send the queued mails to LOGIN_SMTP_URL, under a supervisor\n"
    "  user ...       create, disable, enable users, set roles and passwords, end sessions,\n"
    "                 list (login-fcgi user help)\n"
    "  client ...     manage API client applications and tokens (login-fcgi client help)\n"
    "  demo-seed      create the development demo users (password on stdin) and API client;\n"
    "                 refused when LOGIN_PROFILE=production\n"
    "  routes         print the route table: method, path, pool, who may call it, CSRF\n"
    "  hash-password  read a password on stdin and print its scrypt MCF hash\n"
    "  bench-sessions create|end   sessions in bulk for make bench; refused in production\n"
    "  config check   validate every setting and print them, secrets masked; exit 2 on an error\n"
    "  version        print the version this binary was built from (git describe)\n"
    "Settings come from LOGIN_* environment variables; see docs/CONFIGURATION.md.\n";

util::LogLevel parse_level(const std::string& name) {
    if (name == "debug") return util::LogLevel::debug;
    if (name == "warn") return util::LogLevel::warn;
    if (name == "error") return util::LogLevel::error;
    return util::LogLevel::info;
}

// The password on stdin for hash-password and demo-seed; exits 2 without one.
std::string password_from_stdin() {
    try {
        std::string password = cli::read_secret_line();
        if (password.find('\0') == std::string::npos) return password;
    } catch (const std::exception&) {
    }
    std::cerr << "login-fcgi: no password on stdin, or one with a NUL byte\n";
    std::exit(2);
}

// Prints a configuration error as every command does; returns the exit code 2.
int configuration_error(const std::exception& e) {
    std::cerr << "login-fcgi: configuration error: " << e.what() << "\n";
    return 2;
}

// Every setting parsed and checked, before anything forks or connects; nullopt after printing
// the error (a bad value stops every command with exit code 2 and a message naming it).
std::optional<app::Config> load_config() {
    try {
        app::Config config = app::config_from_process_env();
        app::validate_config(config);
        return config;
    } catch (const std::exception& e) {
        configuration_error(e);
        return std::nullopt;
    }
}

// `config check`: prints every setting (secrets masked), then whether it may serve.
int run_config_check(const app::Config& config, const std::vector<std::string>& rest) {
    if (rest != std::vector<std::string>{"check"}) {
        std::cerr << "usage: login-fcgi config check\n";
        return 2;
    }
    for (const auto& [name, value] : app::effective_settings(config))
        std::cout << name << "=" << value << "\n";
    try {
        app::validate_for_serving(config);
    } catch (const std::exception& e) {
        return configuration_error(e);
    }
    std::cerr << "login-fcgi: configuration ok\n";
    return 0;
}

// `serve` (the supervisor and its workers) and `worker` (one worker on fd 0).
int run_server(const std::string& command, const app::Config& config,
               const std::vector<std::string>& rest) {
    try {
        app::validate_for_serving(config);
    } catch (const std::exception& e) {
        return configuration_error(e);
    }
    // A worker the supervisor exec'd: its counters go to the supervisor's shared segment.
    if (command == "worker" && !rest.empty()) {
        const std::string& arg = rest.front();
        if (arg.starts_with("--metrics-fd=") && arg != "--metrics-fd=none" &&
            !metrics::attach_shared(std::atoi(arg.c_str() + 13)))
            util::log(util::LogLevel::warn, "metrics_segment_not_attached", {{"arg", arg}});
    }
    // Each worker builds its password hasher (and its decoy hash) itself: the supervisor execs
    // its workers, so anything it computed before the fork would be thrown away.
    auto worker_main = [&config](int fd) {
        const service::Passwords passwords(config.scrypt);
        return app::run_worker(fd, config, passwords);
    };
    // Workers exec the binary's path, so that after it is replaced a SIGHUP (rolling restart)
    // brings up workers running the new one.
    if (command == "serve")
        return app::run_supervisor(config, worker_main, app::self_executable());
    return worker_main(0);
}

// The commands that need the configuration and run once (or, for the mailer, supervised);
// nullopt when command is none of them.
std::optional<int> run_tool(const std::string& command, const app::Config& config,
                            const std::vector<std::string>& rest) {
    if (command == "hash-password") {
        std::cout << service::Passwords(config.scrypt).hash(password_from_stdin()) << "\n";
        return 0;
    }
    if (command == "client") return cli::run_client(config, rest);
    if (command == "user") return cli::run_user(config, rest);
    if (command == "mailer") {
        // One sending process, restarted with a growing delay when it dies; no socket.
        app::Config one = config;
        one.socket.clear();
        one.workers = 1;
        return app::run_supervisor(one, [&config](int) { return cli::run_mailer_process(config); });
    }
    if (command == "demo-seed") return cli::run_demo_seed(config, password_from_stdin());
    if (command == "bench-sessions") return cli::run_bench_sessions(config, rest, std::cin, std::cout);
    return std::nullopt;
}

}  // namespace

int main(int argc, char** argv) {
    // A write to a connection its peer has closed must fail with EPIPE, not kill the process:
    // store::Redis learns that way that a server closed a kept connection, and reconnects.
    std::signal(SIGPIPE, SIG_IGN);
    const std::string command = argc > 1 ? argv[1] : "worker";
    const std::vector<std::string> rest(argv + std::min(argc, 2), argv + argc);
    if (command == "help" || command == "--help" || command == "-h") {
        std::cout << kUsage;
        return 0;
    }
    if (command == "version" || command == "--version") {
        std::cout << metrics::build_version() << "\n";
        return 0;
    }
    if (command == "routes") return cli::run_routes();
    const auto config = load_config();
    if (!config) return 2;
    if (command == "config") return run_config_check(*config, rest);
    util::set_log_level(parse_level(config->log_level));
    if (auto status = run_tool(command, *config, rest)) return *status;
    if (command != "serve" && command != "worker") {
        std::cerr << kUsage;
        return 2;
    }
    return run_server(command, *config, rest);
}
