// The HTML pages the workers render.
#include "routes/pages.hpp"

#include "http/response.hpp"
#include "util/html.hpp"

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
<header class="site-header"><a href="/home">Acme</a></header>
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

}  // namespace

std::string render_home(const store::User& user) {
    static const util::Template t(R"(<section class="card">
<h1>Welcome, {{display_name}}</h1>
<dl class="profile">
<dt>Username</dt><dd>{{username}}</dd>
<dt>Email</dt><dd>{{email}}</dd>
<dt>Roles</dt><dd class="roles">{{{roles}}}</dd>
<dt>Last login</dt><dd><time datetime="{{last_login}}">{{last_login_text}}</time></dd>
</dl>
<p><a class="btn-link" href="/profile">Edit profile</a></p>
<form method="post" action="/logout"><button class="btn" type="submit">Log out</button></form>
</section>)");
    static const util::Template role(R"(<span class="role">{{name}}</span> )");
    std::string roles;
    for (const auto& r : user.roles) roles += role.render({{"name", r}});
    const std::string last = user.last_login_at.value_or("");
    std::string last_text = last.empty() ? "never" : last;
    if (last_text.size() == 20) last_text = last_text.substr(0, 10) + " " + last_text.substr(11, 5) + " UTC";
    return page("Home", t.render({{"display_name", user.display_name},
                                  {"username", user.username},
                                  {"email", user.email.value_or("—")},
                                  {"roles", roles},
                                  {"last_login", last},
                                  {"last_login_text", last_text}}));
}

std::string render_profile_form(std::string_view display_name, std::string_view email,
                                std::optional<std::string_view> error) {
    static const util::Template t(R"(<section class="card">
<h1>Edit profile</h1>
{{{error}}}
<form method="post" action="/profile">
<label for="display_name">Display name</label>
<input id="display_name" name="display_name" value="{{display_name}}" required maxlength="100" autocomplete="name">
<label for="email">Email</label>
<input id="email" name="email" type="email" value="{{email}}" maxlength="254" autocomplete="email">
<button class="btn" type="submit">Save</button>
</form>
<p><a class="btn-link" href="/home">Back to home</a></p>
</section>)");
    static const util::Template error_box(R"(<p class="error" role="alert">{{message}}</p>)");
    const std::string error_html = error ? error_box.render({{"message", *error}}) : "";
    return page("Edit profile", t.render({{"display_name", display_name},
                                          {"email", email},
                                          {"error", error_html}}));
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
