// GET /healthz: the worker is alive and answering (liveness, not readiness).
#include "routes/routes.hpp"

namespace routes {

http::Response get_healthz(App&, http::Request&) {
    http::Response r;
    r.header("Content-Type", "text/plain");
    r.header("Cache-Control", "no-store");
    r.body = "ok\n";
    return r;
}

}  // namespace routes
