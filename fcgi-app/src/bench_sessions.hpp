// `login-fcgi bench-sessions create|end`: many sessions at once for `make bench`, made by the
// program's own session store, so the bench never copies the session format.
#pragma once

#include <iosfwd>
#include <string>
#include <vector>

#include "config.hpp"

namespace app {

// create: reads "user_id generation" lines on stdin and starts one session for each, printing
// "cookie_id public_id" lines in the same order. end: reads "user_id public_id" lines and ends
// those sessions. Refuses to run when LOGIN_PRODUCTION is on (a session is a login). Returns the
// process exit code; errors go to stderr.
int run_bench_sessions_command(const Config& config, const std::vector<std::string>& args,
                               std::istream& in, std::ostream& out);

}  // namespace app
