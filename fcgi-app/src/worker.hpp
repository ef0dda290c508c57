// One worker process: connects its stores after fork, then accepts and answers FastCGI
// requests one at a time until SIGTERM.
#pragma once

#include "config.hpp"
#include "http/request.hpp"
#include "http/response.hpp"
#include "routes/dispatch.hpp"
#include "service/passwords.hpp"

namespace app {

// Serves requests on listen_fd (an inherited socket; 0 under spawn-fcgi) until SIGTERM,
// finishing the request in flight. Returns the process exit code.
int run_worker(int listen_fd, const Config& config, const service::Passwords& passwords);

// Dispatches req and turns every failure into a response: the single catch site. An
// http::Error becomes its status; a store failure becomes 503 with Retry-After; anything
// else becomes a logged 500.
http::Response handle_request(const routes::Dispatcher& dispatcher, http::Request& req);

}  // namespace app
