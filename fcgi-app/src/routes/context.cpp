// What a handler receives.
#include "routes/context.hpp"

#include "routes/body.hpp"
#include "routes/csrf.hpp"
#include "util/net.hpp"
#include "util/text.hpp"

namespace routes {

Context::Context(app::Services& services, Callers& caller_lookup, const Cookies& cookie_policy,
                 http::Request& request)
    : svc(services), callers(caller_lookup), cookies(cookie_policy), req(request),
      session_id(cookie_policy.get(request, "sid")) {}

std::string Context::csrf_token() const {
    return session_id ? routes::csrf_token(svc.signer, *session_id) : std::string();
}

const http::Fields& Context::form() {
    if (!form_) form_ = read_form(req);
    return *form_;
}

std::optional<model::User> Context::find_user() {
    if (!session_id) return std::nullopt;
    return callers.session_user(*session_id);
}

std::optional<std::string> Context::known_device(int generation) const {
    const auto did = cookies.get(req, "did");
    if (!did || !user) return std::nullopt;
    return svc.known_devices.device_of(*did, user->id, generation);
}

std::string Context::start_session(int64_t user_id, int generation) {
    if (session_id) svc.sessions.destroy(*session_id);
    service::SessionOrigin origin;
    origin.network = util::ip_network(req.remote_addr, 24, 48).value_or("");
    origin.user_agent = util::printable_prefix(req.header("user-agent").value_or(""), 256);
    session_id = svc.sessions.create(user_id, generation, origin);
    return cookies.session(req, *session_id);
}

}  // namespace routes
