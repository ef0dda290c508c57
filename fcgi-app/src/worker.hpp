// One worker process: connects its stores after fork, then accepts and answers FastCGI
// requests one at a time until SIGTERM.
#pragma once

#include "config.hpp"
#include "http/error.hpp"
#include "http/request.hpp"
#include "http/response.hpp"
#include "routes/dispatch.hpp"
#include "service/passwords.hpp"
#include "store/errors.hpp"

namespace app {

// Serves requests on listen_fd (an inherited socket; 0 under spawn-fcgi) until SIGTERM,
// finishing the request in flight. Returns the process exit code.
int run_worker(int listen_fd, const Config& config, const service::Passwords& passwords);

// What a store failure of this kind answers: unavailable is 503 with Retry-After, conflict
// 409, bad_value 400.
http::Error error_for(store::ErrorKind kind);

// Dispatches req and turns every failure into a response: the single catch site. An
// http::Error becomes its status; a store failure the answer error_for gives its kind (an
// unavailable store is logged); anything else becomes a logged 500.
http::Response handle_request(const routes::Dispatcher& dispatcher, http::Request& req);

}  // namespace app
