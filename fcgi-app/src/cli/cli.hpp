// The operator's commands of login-fcgi. Each returns the process exit code: 0 on success,
// 1 on a failure (with a message on stderr), 2 on a usage error.
#pragma once

#include <iosfwd>
#include <string>
#include <vector>

#include "config.hpp"

namespace cli {

// `login-fcgi client ...`: create, rotate, revoke and list API client applications.
int run_client(const app::Config& config, const std::vector<std::string>& args);

// `login-fcgi user ...`: create users, enable and disable them, set their roles and
// passwords, end their sessions, list them. Passwords are read from standard input.
int run_user(const app::Config& config, const std::vector<std::string>& args);

// `login-fcgi demo-seed`: the development demo users (admin1, user1, with this password) and
// API client (reporting), created when missing; refused in production.
int run_demo_seed(const app::Config& config, const std::string& password);

// The process behind `login-fcgi mailer` (which main runs under a supervisor that restarts it
// when it dies): sends the queued mails to LOGIN_SMTP_URL until SIGTERM.
int run_mailer_process(const app::Config& config);

// `login-fcgi routes`: the route table with each row's pool, access and CSRF policy.
int run_routes();

// `login-fcgi bench-sessions create|end`, for `make bench`: create reads "user_id generation"
// lines from in and starts one session for each with the session store, writing
// "cookie_id public_id" lines to out in the same order; end reads "user_id public_id" lines and
// ends those sessions. Refused in production (a session is a login).
int run_bench_sessions(const app::Config& config, const std::vector<std::string>& args,
                       std::istream& in, std::ostream& out);

}  // namespace cli
