// The HTML pages the workers render.
#include "routes/pages.hpp"

#include "http/response.hpp"
#include "util/html.hpp"
#include "util/text.hpp"

namespace routes {
namespace {

// One layout for every page, so all of them share the header and the stylesheet.
const util::Template& layout() {
    static const util::Template t(R"(<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{{title}} · Acme</title>
<link rel="stylesheet" href="/static/app.1.css">
</head>
<body>
<header class="site-header"><a class="brand" href="/home">Acme</a></header>
<main class="page">
{{{content}}}
</main>
</body>
</html>
)");
    return t;
}

std::string page(std::string_view title, const std::string& content) {
    return layout().render({{"title", title}, {"content", content}});
}

std::string_view error_for(const FormErrors& errors, std::string_view field) {
    for (const auto& [name, message] : errors)
        if (name == field) return message;
    return {};
}

// One labelled input with its error, tied together for screen readers. `attrs` is trusted
// markup from this file only.
std::string field(std::string_view name, std::string_view label, std::string_view type,
                  std::string_view value, std::string_view attrs, std::string_view error) {
    static const util::Template t(R"(<label for="{{name}}">{{label}}</label>
<input id="{{name}}" name="{{name}}" type="{{type}}" value="{{value}}" {{{attrs}}}{{{described}}}>
{{{error}}})");
    static const util::Template error_line(
        R"(<p class="error" id="{{name}}-error" role="alert">{{message}}</p>)");
    std::string described, error_html;
    if (!error.empty()) {
        described = " aria-invalid=\"true\" aria-describedby=\"" + std::string(name) + "-error\"";
        error_html = error_line.render({{"name", name}, {"message", error}});
    }
    return t.render({{"name", name}, {"label", label}, {"type", type}, {"value", value},
                     {"attrs", attrs}, {"described", described}, {"error", error_html}});
}

}  // namespace

std::string render_home(const store::User& user, std::string_view csrf_token) {
    static const util::Template t(R"(<section class="card">
<h1>Welcome, {{display_name}}</h1>
<dl class="profile">
<dt>Username</dt><dd>{{username}}</dd>
<dt>Email</dt><dd>{{email}}</dd>
<dt>Roles</dt><dd class="roles">{{{roles}}}</dd>
<dt>Last login</dt><dd><time datetime="{{last_login}}">{{last_login_text}}</time></dd>
</dl>
<p><a class="btn-link" href="/profile">Edit profile</a> · <a class="btn-link" href="/password">Change password</a> · <a class="btn-link" href="/sessions">Sessions</a>{{{admin_link}}}</p>
<form method="post" action="/logout"><input type="hidden" name="csrf_token" value="{{csrf_token}}"><button class="btn" type="submit">Log out</button></form>
</section>)");
    static const util::Template role(R"(<span class="role">{{name}}</span> )");
    std::string roles;
    for (const auto& r : user.roles) roles += role.render({{"name", r}});
    const std::string last = user.last_login_at.value_or("");
    std::string last_text = last.empty() ? "never" : last;
    if (last_text.size() == 20) last_text = last_text.substr(0, 10) + " " + last_text.substr(11, 5) + " UTC";
    const std::string admin_link =
        user.has_role("admin") ? R"( · <a class="btn-link" href="/admin">Admin</a>)" : "";
    return page("Home", t.render({{"display_name", user.display_name},
                                  {"username", user.username},
                                  {"email", user.email.value_or("—")},
                                  {"roles", roles},
                                  {"last_login", last},
                                  {"last_login_text", last_text},
                                  {"admin_link", admin_link},
                                  {"csrf_token", csrf_token}}));
}

std::string render_profile_form(std::string_view display_name, std::string_view email,
                                const FormErrors& errors, std::string_view csrf_token) {
    static const util::Template t(R"(<section class="card">
<h1>Edit profile</h1>
<form method="post" action="/profile">
<input type="hidden" name="csrf_token" value="{{csrf_token}}">
{{{fields}}}
<button class="btn" type="submit">Save</button>
</form>
<p><a class="btn-link" href="/home">Back to home</a></p>
</section>)");
    const std::string fields =
        field("display_name", "Display name", "text", display_name,
              R"(required maxlength="100" autocomplete="name")", error_for(errors, "display_name")) +
        field("email", "Email", "email", email, R"(maxlength="254" autocomplete="email")",
              error_for(errors, "email")) +
        field("current_password", "Current password (only to change your email)", "password", "",
              R"(autocomplete="current-password")", error_for(errors, "current_password"));
    return page("Edit profile", t.render({{"fields", fields}, {"csrf_token", csrf_token}}));
}

std::string render_register_form(std::string_view username, std::string_view display_name,
                                 std::string_view email, const FormErrors& errors) {
    static const util::Template t(R"(<section class="card">
<h1>Create an account</h1>
<form method="post" action="/register">
{{{fields}}}
<button class="btn" type="submit">Create account</button>
</form>
<p>Already have an account? <a class="btn-link" href="/login">Log in</a></p>
</section>)");
    const std::string fields =
        field("username", "Username", "text", username,
              R"(required minlength="3" maxlength="32" autocomplete="username")",
              error_for(errors, "username")) +
        field("display_name", "Display name", "text", display_name,
              R"(required maxlength="100" autocomplete="name")", error_for(errors, "display_name")) +
        field("email", "Email", "email", email, R"(required maxlength="254" autocomplete="email")",
              error_for(errors, "email")) +
        field("password", "Password (12 characters or more)", "password", "",
              R"(required minlength="12" maxlength="128" autocomplete="new-password")",
              error_for(errors, "password"));
    return page("Create an account", t.render({{"fields", fields}}));
}

std::string render_password_form(const FormErrors& errors, std::string_view csrf_token) {
    static const util::Template t(R"(<section class="card">
<h1>Change password</h1>
<p class="muted">Changing your password logs you out everywhere else.</p>
<form method="post" action="/password">
<input type="hidden" name="csrf_token" value="{{csrf_token}}">
{{{fields}}}
<button class="btn" type="submit">Change password</button>
</form>
<p><a class="btn-link" href="/home">Back to home</a></p>
</section>)");
    const std::string fields =
        field("current_password", "Current password", "password", "",
              R"(required autocomplete="current-password")", error_for(errors, "current_password")) +
        field("new_password", "New password (12 characters or more)", "password", "",
              R"(required minlength="12" maxlength="128" autocomplete="new-password")",
              error_for(errors, "new_password"));
    return page("Change password", t.render({{"fields", fields}, {"csrf_token", csrf_token}}));
}

std::string render_sessions(const std::vector<service::SessionInfo>& sessions,
                            std::string_view csrf_token) {
    static const util::Template t(R"(<section class="card wide">
<h1>Your sessions</h1>
<p class="muted">Every browser and device that is logged in to your account.</p>
<table>
<thead><tr><th scope="col">Started</th><th scope="col">Last seen</th><th scope="col">Network</th><th scope="col">Browser</th><th scope="col"><span class="visually-hidden">Action</span></th></tr></thead>
<tbody>
{{{rows}}}</tbody>
</table>
<form method="post" action="/sessions/end-others">
<input type="hidden" name="csrf_token" value="{{csrf_token}}">
<button class="btn" type="submit">End all other sessions</button>
</form>
<p><a class="btn-link" href="/home">Back to home</a></p>
</section>)");
    static const util::Template row(
        "<tr><td><time datetime=\"{{created}}\">{{created}}</time></td>"
        "<td><time datetime=\"{{seen}}\">{{seen}}</time></td><td>{{network}}</td><td>{{agent}}</td>"
        "<td>{{{action}}}</td></tr>\n");
    static const util::Template end_form(R"(<form method="post" action="/sessions/end"><input type="hidden" name="csrf_token" value="{{csrf_token}}"><input type="hidden" name="id" value="{{id}}"><button class="btn" type="submit">End</button></form>)");
    std::string rows;
    for (const auto& s : sessions) {
        const std::string created = util::rfc3339_utc(s.created_at);
        const std::string seen = util::rfc3339_utc(s.last_seen_at);
        const std::string action = s.current ? "This session"
                                             : end_form.render({{"csrf_token", csrf_token}, {"id", s.id}});
        rows += row.render({{"created", created}, {"seen", seen}, {"network", s.origin.network},
                            {"agent", s.origin.user_agent}, {"action", action}});
    }
    return page("Your sessions", t.render({{"rows", rows}, {"csrf_token", csrf_token}}));
}

std::string render_admin(const std::vector<store::User>& users, std::optional<int64_t> older_than) {
    static const util::Template t(R"(<section class="card wide">
<h1>Users</h1>
<p class="muted">Newest first.</p>
<table>
<thead><tr><th scope="col">ID</th><th scope="col">Username</th><th scope="col">Display name</th><th scope="col">Email</th><th scope="col">Roles</th><th scope="col">Enabled</th><th scope="col">Created</th></tr></thead>
<tbody>
{{{rows}}}</tbody>
</table>
{{{more}}}
<p><a class="btn-link" href="/home">Back to home</a></p>
</section>)");
    static const util::Template row(
        "<tr><td>{{id}}</td><td>{{username}}</td><td>{{display_name}}</td><td>{{email}}</td>"
        "<td>{{roles}}</td><td>{{enabled}}</td><td>{{created}}</td></tr>\n");
    static const util::Template more(R"(<p><a class="btn-link" href="/admin?before={{id}}">Older users</a></p>)");
    std::string rows;
    for (const auto& u : users) {
        std::string roles;
        for (const auto& r : u.roles) roles += (roles.empty() ? "" : ", ") + r;
        const std::string id = std::to_string(u.id);
        rows += row.render({{"id", id}, {"username", u.username}, {"display_name", u.display_name},
                            {"email", u.email.value_or("")}, {"roles", roles},
                            {"enabled", u.enabled ? "yes" : "no"}, {"created", u.created_at}});
    }
    const std::string older = older_than ? std::to_string(*older_than) : "";
    const std::string more_html = older_than ? more.render({{"id", older}}) : "";
    return page("Users", t.render({{"rows", rows}, {"more", more_html}}));
}

std::string render_error_page(int status, std::string_view message) {
    static const util::Template t(R"(<section class="card">
<h1>{{status}} {{reason}}</h1>
<p>{{message}}</p>
<p><a class="btn-link" href="/home">Go to the home page</a></p>
</section>)");
    const std::string code = std::to_string(status);
    const std::string_view reason = http::reason_phrase(status);
    return page(reason, t.render({{"status", code}, {"reason", reason}, {"message", message}}));
}

}  // namespace routes
