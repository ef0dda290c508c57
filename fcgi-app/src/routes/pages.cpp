// The HTML pages the workers render, in English or Brazilian Portuguese.
#include "routes/pages.hpp"

#include <cctype>

#include "http/error.hpp"
#include "http/response.hpp"
#include "routes/account_text.hpp"
#include "util/html.hpp"
#include "util/text.hpp"

namespace routes {
namespace {

// One layout for every page: the header with the language switch, the stylesheet and the
// optional script (progressive enhancement only: every page works without it).
const util::Template& layout() {
    static const util::Template t(R"(<!doctype html>
<html lang="{{lang}}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{{title}} · Acme</title>
<link rel="icon" href="/static/favicon.1.svg" type="image/svg+xml">
<link rel="stylesheet" href="/static/app.3.css">
<script src="/static/app.1.js" defer></script>
</head>
<body>
<a class="skip-link" href="#main">{{skip}}</a>
<header class="site-header">
<a class="brand" href="/home"><span class="brand-mark" aria-hidden="true">A</span>Acme</a>
<nav class="lang-switch" aria-label="{{language}}"><a href="/lang/{{other_tag}}?next={{next}}" hreflang="{{other_tag}}" lang="{{other_tag}}">{{other_name}}</a></nav>
</header>
<main class="page" id="main">
{{{content}}}
</main>
</body>
</html>
)");
    return t;
}

// next: the page the language switch returns to (one of the paths nginx accepts for it).
std::string page(Lang lang, std::string_view title, std::string_view next,
                 const std::string& content) {
    const Strings& s = strings(lang);
    const Lang other = lang == Lang::en ? Lang::pt_br : Lang::en;
    return layout().render({{"lang", lang_tag(lang)},
                            {"title", title},
                            {"skip", s.skip_to_content},
                            {"language", s.language},
                            {"other_tag", lang_tag(other)},
                            {"other_name", s.other_language_name},
                            {"next", next},
                            {"content", content}});
}

std::optional<model::Message> error_for(const service::FieldErrors& errors,
                                        std::string_view field) {
    for (const auto& [name, message] : errors)
        if (name == field) return message;
    return std::nullopt;
}

// One labelled input with its error, tied together for screen readers (aria-describedby), the
// error written in the page's language. `attrs` is trusted markup from this file only.
std::string field(Lang lang, std::string_view name, std::string_view label, std::string_view type,
                  std::string_view value, std::string_view attrs,
                  const std::optional<model::Message>& error) {
    static const util::Template t(R"(<div class="field">
<label for="{{name}}">{{label}}</label>
<input id="{{name}}" name="{{name}}" type="{{type}}" value="{{value}}" {{{attrs}}}{{{described}}}>
{{{error}}}</div>
)");
    static const util::Template error_line(
        R"(<p class="field-error" id="{{name}}-error" role="alert">{{message}}</p>
)");
    std::string described, error_html;
    if (error) {
        described = " aria-invalid=\"true\" aria-describedby=\"" + std::string(name) + "-error\"";
        error_html = error_line.render({{"name", name}, {"message", text(lang, *error)}});
    }
    return t.render({{"name", name},
                     {"label", label},
                     {"type", type},
                     {"value", value},
                     {"attrs", attrs},
                     {"described", described},
                     {"error", error_html}});
}

// The first character of a display name, for the avatar (a whole UTF-8 sequence).
std::string initial_of(std::string_view name) {
    if (name.empty()) return "?";
    const auto lead = static_cast<unsigned char>(name[0]);
    const size_t len = lead < 0x80 ? 1 : lead >= 0xF0 ? 4 : lead >= 0xE0 ? 3 : 2;
    std::string out(name.substr(0, len));
    if (len == 1) out[0] = static_cast<char>(std::toupper(lead));
    return out;
}

constexpr std::string_view kCsrfField =
    R"(<input type="hidden" name="csrf_token" value="{{csrf_token}}">)";

}  // namespace

std::string render_page(Lang lang, std::string_view title, std::string_view next,
                        const std::string& content) {
    return page(lang, title, next, content);
}

std::string render_field(Lang lang, std::string_view name, std::string_view label,
                         std::string_view type, std::string_view value, std::string_view attrs,
                         const service::FieldErrors& errors) {
    return field(lang, name, label, type, value, attrs, error_for(errors, name));
}

std::string render_home(Lang lang, const model::User& user, std::string_view csrf_token,
                        std::string_view banner) {
    static const util::Template t(R"(<section class="card" aria-labelledby="greeting">
{{{banner}}}<div class="card-head">
<span class="avatar" aria-hidden="true">{{initial}}</span>
<div><h1 id="greeting">{{greeting}}, {{display_name}}</h1>
<p class="muted">{{subtitle}}</p></div>
</div>
<h2 class="section-title">{{profile_heading}}</h2>
<dl class="profile">
<dt>{{username_label}}</dt><dd>{{username}}</dd>
<dt>{{email_label}}</dt><dd>{{email}}</dd>
<dt>{{roles_label}}</dt><dd class="roles">{{{roles}}}</dd>
<dt>{{last_login_label}}</dt><dd>{{{last_login}}}</dd>
</dl>
<p class="actions"><a class="btn btn-secondary" href="/profile">{{edit_profile}}</a> <a class="btn btn-secondary" href="/password">{{change_password}}</a> <a class="btn btn-secondary" href="/sessions">{{sessions}}</a> <a class="btn btn-secondary" href="/mfa">{{mfa}}</a>{{{admin_link}}}</p>
<form class="logout" method="post" action="/logout">
)" + std::string(kCsrfField) + R"(
<button class="btn btn-quiet" type="submit">{{log_out}}</button>
</form>
</section>)");
    static const util::Template role(R"(<span class="role">{{name}}</span> )");
    static const util::Template time(R"(<time datetime="{{iso}}">{{text}}</time>)");
    static const util::Template admin(
        R"( <a class="btn btn-secondary" href="/admin">{{label}}</a>)");
    const Strings& s = strings(lang);
    std::string roles;
    for (const auto& r : user.roles) roles += role.render({{"name", role_name(lang, r)}});
    std::string last;
    if (user.last_login_at) {
        const std::string text = format_time(lang, *user.last_login_at);
        last = time.render({{"iso", *user.last_login_at}, {"text", text}});
    } else {
        last = util::html_escape(s.never);
    }
    const std::string admin_link = user.has_role("admin") ? admin.render({{"label", s.admin}}) : "";
    const std::string initial = initial_of(user.display_name);
    return page(lang, s.home_title, "/home",
                t.render({{"initial", initial},
                          {"greeting", s.greeting},
                          {"display_name", user.display_name},
                          {"subtitle", s.home_subtitle},
                          {"profile_heading", s.profile_heading},
                          {"username_label", s.username},
                          {"username", user.username},
                          {"email_label", s.email},
                          {"email", user.email ? std::string_view(*user.email) : s.no_email},
                          {"roles_label", s.roles},
                          {"roles", roles},
                          {"last_login_label", s.last_login},
                          {"last_login", last},
                          {"edit_profile", s.edit_profile},
                          {"change_password", s.change_password},
                          {"sessions", s.sessions},
                          {"admin_link", admin_link},
                          {"log_out", s.log_out},
                          {"banner", banner},
                          {"mfa", tr(lang, "mfa_link")},
                          {"csrf_token", csrf_token}}));
}

std::string render_profile_form(Lang lang, std::string_view display_name, std::string_view email,
                                const service::FieldErrors& errors, std::string_view csrf_token) {
    static const util::Template t(R"(<section class="card">
<h1>{{title}}</h1>
<form method="post" action="/profile">
)" + std::string(kCsrfField) + R"(
{{{fields}}}<button class="btn" type="submit">{{save}}</button>
</form>
<p class="card-foot"><a href="/home">{{back}}</a></p>
</section>)");
    const Strings& s = strings(lang);
    const std::string fields =
        field(lang, "display_name", s.display_name, "text", display_name,
              R"(required maxlength="100" autocomplete="name")",
              error_for(errors, "display_name")) +
        field(lang, "email", s.email_optional, "email", email,
              R"(maxlength="254" autocomplete="email")", error_for(errors, "email")) +
        field(lang, "current_password", s.current_password_for_email, "password", "",
              R"(autocomplete="current-password")", error_for(errors, "current_password"));
    return page(lang, s.edit_profile, "/profile",
                t.render({{"title", s.edit_profile},
                          {"fields", fields},
                          {"save", s.save},
                          {"back", s.back_home},
                          {"csrf_token", csrf_token}}));
}

std::string render_register_form(Lang lang, std::string_view username,
                                 std::string_view display_name, std::string_view email,
                                 const service::FieldErrors& errors) {
    static const util::Template t(R"(<section class="card">
<h1>{{title}}</h1>
<form method="post" action="/register">
)" + std::string(kCsrfField) + R"(
{{{fields}}}<button class="btn" type="submit">{{submit}}</button>
</form>
<p class="card-foot">{{have_account}} <a href="/login">{{log_in}}</a></p>
</section>)");
    const Strings& s = strings(lang);
    const std::string fields =
        field(
            lang, "username", s.username, "text", username,
            R"(required minlength="3" maxlength="32" autocomplete="username" autocapitalize="none" spellcheck="false")",
            error_for(errors, "username")) +
        field(lang, "display_name", s.display_name, "text", display_name,
              R"(required maxlength="100" autocomplete="name")",
              error_for(errors, "display_name")) +
        field(lang, "email", s.email, "email", email,
              R"(required maxlength="254" autocomplete="email")", error_for(errors, "email")) +
        field(lang, "password", s.password_hint, "password", "",
              R"(required minlength="12" maxlength="128" autocomplete="new-password")",
              error_for(errors, "password"));
    return page(lang, s.register_title, "/register",
                t.render({{"title", s.register_title},
                          {"fields", fields},
                          {"submit", s.create_account},
                          {"have_account", s.have_account},
                          {"log_in", s.log_in}}));
}

std::string render_password_form(Lang lang, const service::FieldErrors& errors, std::string_view csrf_token) {
    static const util::Template t(R"(<section class="card">
<h1>{{title}}</h1>
<p class="muted">{{notice}}</p>
<form method="post" action="/password">
)" + std::string(kCsrfField) + R"(
{{{fields}}}<button class="btn" type="submit">{{title}}</button>
</form>
<p class="card-foot"><a href="/home">{{back}}</a></p>
</section>)");
    const Strings& s = strings(lang);
    const std::string fields =
        field(lang, "current_password", s.current_password, "password", "",
              R"(required autocomplete="current-password")",
              error_for(errors, "current_password")) +
        field(lang, "new_password", s.new_password_hint, "password", "",
              R"(required minlength="12" maxlength="128" autocomplete="new-password")",
              error_for(errors, "new_password"));
    return page(lang, s.password_title, "/password",
                t.render({{"title", s.password_title},
                          {"notice", s.password_notice},
                          {"fields", fields},
                          {"back", s.back_home},
                          {"csrf_token", csrf_token}}));
}

std::string render_sessions(Lang lang, const std::vector<service::SessionInfo>& sessions,
                            std::string_view csrf_token) {
    static const util::Template t(R"(<section class="card wide">
<h1>{{title}}</h1>
<p class="muted">{{intro}}</p>
<div class="table-scroll" tabindex="0" role="region" aria-label="{{title}}">
<table>
<thead><tr><th scope="col">{{started}}</th><th scope="col">{{last_seen}}</th><th scope="col">{{network}}</th><th scope="col">{{browser}}</th><th scope="col"><span class="visually-hidden">{{action}}</span></th></tr></thead>
<tbody>
{{{rows}}}</tbody>
</table>
</div>
<form method="post" action="/sessions/end-others">
)" + std::string(kCsrfField) + R"(
<button class="btn" type="submit">{{end_others}}</button>
</form>
<p class="card-foot"><a href="/home">{{back}}</a></p>
</section>)");
    static const util::Template row(
        "<tr><td><time datetime=\"{{created}}\">{{created_text}}</time></td>"
        "<td><time datetime=\"{{seen}}\">{{seen_text}}</time></td><td>{{network}}</td>"
        "<td class=\"agent\">{{agent}}</td><td>{{{action}}}</td></tr>\n");
    static const util::Template end_form(
        R"(<form class="inline" method="post" action="/sessions/end">)" + std::string(kCsrfField) +
        R"(<input type="hidden" name="id" value="{{id}}"><button class="btn btn-quiet btn-small" type="submit">{{end}}</button></form>)");
    static const util::Template current(R"(<span class="role">{{label}}</span>)");
    const Strings& s = strings(lang);
    std::string rows;
    for (const auto& info : sessions) {
        const std::string created = util::rfc3339_utc(info.created_at);
        const std::string seen = util::rfc3339_utc(info.last_seen_at);
        const std::string created_text = format_time(lang, created);
        const std::string seen_text = format_time(lang, seen);
        const std::string action =
            info.current
                ? current.render({{"label", s.this_session}})
                : end_form.render(
                      {{"csrf_token", csrf_token}, {"id", info.id}, {"end", s.end_session}});
        rows += row.render({{"created", created},
                            {"created_text", created_text},
                            {"seen", seen},
                            {"seen_text", seen_text},
                            {"network", info.origin.network},
                            {"agent", info.origin.user_agent},
                            {"action", action}});
    }
    return page(lang, s.sessions_title, "/sessions",
                t.render({{"title", s.sessions_title},
                          {"intro", s.sessions_intro},
                          {"started", s.started},
                          {"last_seen", s.last_seen},
                          {"network", s.network},
                          {"browser", s.browser},
                          {"action", s.action},
                          {"rows", rows},
                          {"end_others", s.end_other_sessions},
                          {"csrf_token", csrf_token},
                          {"back", s.back_home}}));
}

std::string render_admin(Lang lang, const std::vector<model::User>& users,
                         std::optional<int64_t> older_than, std::string_view query) {
    static const util::Template t(R"(<section class="card wide">
<h1>{{title}}</h1>
<form class="search" method="get" action="/admin" role="search">
<label for="q">{{search_label}}</label>
<input id="q" name="q" type="search" value="{{query}}" maxlength="254" autocapitalize="none" spellcheck="false">
<button class="btn btn-secondary" type="submit">{{search}}</button>
</form>
<p class="muted">{{newest_first}}</p>
<div class="table-scroll" tabindex="0" role="region" aria-label="{{title}}">
<table>
<thead><tr><th scope="col">{{id}}</th><th scope="col">{{username}}</th><th scope="col">{{display_name}}</th><th scope="col">{{email}}</th><th scope="col">{{roles}}</th><th scope="col">{{enabled}}</th><th scope="col">{{created}}</th></tr></thead>
<tbody>
{{{rows}}}</tbody>
</table>
</div>
{{{empty}}}{{{more}}}
<p class="card-foot"><a href="/home">{{back}}</a></p>
</section>)");
    static const util::Template row(
        "<tr><td>{{id}}</td><td><a href=\"/admin/users/{{id}}\">{{username}}</a></td><td>{{display_name}}</td><td>{{email}}</td>"
        "<td>{{roles}}</td><td>{{enabled}}</td><td><time "
        "datetime=\"{{created_iso}}\">{{created}}</time></td></tr>\n");
    static const util::Template more(
        R"(<p><a class="btn btn-secondary" href="/admin?before={{id}}{{q}}">{{label}}</a></p>)");
    static const util::Template empty(R"(<p role="status">{{text}}</p>
)");
    const Strings& s = strings(lang);
    std::string rows;
    for (const auto& u : users) {
        std::string roles;
        for (const auto& r : u.roles)
            roles += (roles.empty() ? "" : ", ") + std::string(role_name(lang, r));
        const std::string id = std::to_string(u.id);
        const std::string created = format_time(lang, u.created_at);
        rows += row.render({{"id", id},
                            {"username", u.username},
                            {"display_name", u.display_name},
                            {"email", u.email.value_or("")},
                            {"roles", roles},
                            {"enabled", u.enabled ? s.yes : s.no},
                            {"created_iso", u.created_at},
                            {"created", created}});
    }
    const std::string older = older_than ? std::to_string(*older_than) : "";
    const std::string q = query.empty() ? "" : "&q=" + util::url_encode(query);
    const std::string more_html =
        older_than ? more.render({{"id", older}, {"q", q}, {"label", s.older_users}}) : "";
    const std::string empty_html = users.empty() ? empty.render({{"text", tr(lang, "no_users")}}) : "";
    return page(lang, s.users_title, "/admin",
                t.render({{"title", s.users_title},
                          {"search_label", tr(lang, "search_label")},
                          {"search", tr(lang, "search")},
                          {"query", query},
                          {"newest_first", s.newest_first},
                          {"id", s.id},
                          {"username", s.username},
                          {"display_name", s.display_name},
                          {"email", s.email},
                          {"roles", s.roles},
                          {"enabled", s.enabled},
                          {"created", s.created},
                          {"rows", rows},
                          {"empty", empty_html},
                          {"more", more_html},
                          {"back", s.back_home}}));
}

std::string render_error_page(Lang lang, int status, const std::optional<model::Message>& message,
                              std::string_view english_detail) {
    static const util::Template t(R"(<section class="card error-page">
<p class="status-code">{{error_word}} {{status}}</p>
<h1>{{title}}</h1>
<p>{{explanation}}</p>
{{{detail}}}<p class="card-foot"><a class="btn" href="/home">{{go_home}}</a></p>
</section>)");
    static const util::Template detail(R"(<p class="muted">{{message}}</p>
)");
    const Strings& s = strings(lang);
    const StatusText heading = status_text(lang, status);
    const std::string code = std::to_string(status);
    // The detail only when it says more than the explanation and is in the page's language:
    // a message in either language, an English-only detail on English pages.
    std::string shown;
    if (message && message->id != model::MessageId::not_found) shown = text(lang, *message);
    else if (!message && lang == Lang::en) shown = english_detail;
    const std::string detail_html = shown.empty() ? "" : detail.render({{"message", shown}});
    return page(lang, heading.title, "/home",
                t.render({{"error_word", s.error_word},
                          {"status", code},
                          {"title", heading.title},
                          {"explanation", heading.explanation},
                          {"detail", detail_html},
                          {"go_home", s.go_home}}));
}

}  // namespace routes
