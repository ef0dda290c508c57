// POST /register: a new account, logged in at once. GET /register is a static page.
#include "http/error.hpp"
#include "routes/api.hpp"
#include "routes/body.hpp"
#include "routes/pages.hpp"
#include "routes/routes.hpp"
#include "routes/throttle.hpp"
#include "service/attempts.hpp"
#include "service/user_json.hpp"
#include "util/log.hpp"

namespace routes {

namespace {

// The registration itself, once the request is read: every outcome is counted once.
http::Response register_account(Context& ctx, service::Registration form, bool json) {
    const http::Request& req = ctx.req;
    refuse_if_limited(ctx.svc.rate_limits.hit_registration(req.remote_addr), req, "registration",
                      metrics::Attempt::registration);
    const std::string typed_username = form.username;
    // Validation runs before any hashing, so an oversized password costs nothing.
    auto result = ctx.svc.accounts.register_user(form);
    if (auto* errors = std::get_if<service::FieldErrors>(&result)) {
        metrics::attempt(metrics::Attempt::registration, metrics::AttemptResult::failure);
        if (json) return validation_error_json(*errors);
        return http::Response::html(
            422, render_register_form(ctx.lang(), typed_username, form.display_name,
                                      form.email, *errors));
    }
    const auto& user = std::get<model::User>(result);
    util::log(util::LogLevel::info, "user_registered",
              {{"request_id", req.request_id}, {"user_id", std::to_string(user.id)}});
    const std::string cookie = ctx.start_session(user.id, user.session_generation);
    auto resp = json ? http::Response::json(201, service::user_to_json(user))
                     : http::Response::redirect("/home");
    resp.header("Set-Cookie", cookie);
    metrics::attempt(metrics::Attempt::registration, metrics::AttemptResult::success);
    return resp;
}

}  // namespace

http::Response post_register(Context& ctx) {
    const http::Request& req = ctx.req;
    const bool json = !is_form_body(req);
    service::Registration form;
    if (json) {
        auto doc = read_json_object(req, {"username", "display_name", "email", "password"});
        form.username = json_string_field(doc.get(), "username").value_or("");
        form.display_name = json_string_field(doc.get(), "display_name").value_or("");
        form.email = json_string_field(doc.get(), "email").value_or("");
        form.password = json_string_field(doc.get(), "password").value_or("");
    } else {
        const auto fields = read_form(req);
        form.username = http::find_field(fields, "username").value_or("");
        form.display_name = http::find_field(fields, "display_name").value_or("");
        form.email = http::find_field(fields, "email").value_or("");
        form.password = http::find_field(fields, "password").value_or("");
    }
    form.lang = std::string(lang_tag(ctx.lang()));
    http::Response resp;
    service::count_unavailable(metrics::Attempt::registration,
                               [&] { resp = register_account(ctx, std::move(form), json); });
    return resp;
}

}  // namespace routes
