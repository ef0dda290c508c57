// The admin's user page.
#include "routes/admin_pages.hpp"

#include "routes/account_text.hpp"
#include "routes/pages.hpp"
#include "util/html.hpp"

namespace routes {

std::string render_admin_user(Lang lang, const AdminUserView& view, std::string_view csrf_token) {
    static const util::Template t(R"(<section class="card wide">
<h1>{{title}}</h1>
{{{notice}}}<dl class="profile">
<dt>{{username_label}}</dt><dd>{{username}}</dd>
<dt>{{display_name_label}}</dt><dd>{{display_name}}</dd>
<dt>{{email_label}}</dt><dd>{{email}}</dd>
<dt>{{verified_label}}</dt><dd>{{verified}}</dd>
<dt>{{roles_label}}</dt><dd>{{roles}}</dd>
<dt>{{enabled_label}}</dt><dd>{{enabled}}</dd>
<dt>{{mfa_label}}</dt><dd>{{mfa}}</dd>
<dt>{{last_login_label}}</dt><dd>{{{last_login}}}</dd>
<dt>{{sessions_label}}</dt><dd>{{sessions}}</dd>
</dl>
<h2 class="section-title">{{actions}}</h2>
<div class="admin-actions">
{{{enable_form}}}<form method="post" action="/admin/users/{{id}}/roles">
<input type="hidden" name="csrf_token" value="{{csrf_token}}">
<fieldset><legend>{{roles_label}}</legend>
<label><input type="checkbox" name="role" value="user"{{{user_checked}}}> {{role_user}}</label>
<label><input type="checkbox" name="role" value="admin"{{{admin_checked}}}> {{role_admin}}</label>
</fieldset>
<button class="btn btn-secondary" type="submit">{{set_roles}}</button>
</form>
<form method="post" action="/admin/users/{{id}}/sessions/end">
<input type="hidden" name="csrf_token" value="{{csrf_token}}">
<button class="btn btn-secondary" type="submit">{{end_sessions}}</button>
</form>
{{{mfa_form}}}<form method="post" action="/admin/users/{{id}}/recovery-mail">
<input type="hidden" name="csrf_token" value="{{csrf_token}}">
<button class="btn btn-secondary" type="submit">{{send_recovery}}</button>
</form>
</div>
<p class="card-foot"><a href="/admin">{{all_users}}</a></p>
</section>)");
    static const util::Template enable_form(R"(<form method="post" action="/admin/users/{{id}}/enabled">
<input type="hidden" name="csrf_token" value="{{csrf_token}}">
<input type="hidden" name="enabled" value="{{value}}">
<button class="btn {{style}}" type="submit">{{label}}</button>
</form>
)");
    static const util::Template mfa_form(R"(<form method="post" action="/admin/users/{{id}}/mfa/reset">
<input type="hidden" name="csrf_token" value="{{csrf_token}}">
<button class="btn btn-secondary" type="submit">{{label}}</button>
</form>
)");
    static const util::Template notice(R"(<div class="banner{{error}}" role="{{role}}"><p>{{text}}</p></div>
)");
    static const util::Template time(R"(<time datetime="{{iso}}">{{text}}</time>)");
    const model::User& u = view.user;
    const Strings& s = strings(lang);
    const std::string id = std::to_string(u.id);
    std::string roles;
    for (const auto& r : u.roles) roles += (roles.empty() ? "" : ", ") + std::string(role_name(lang, r));
    std::string last = util::html_escape(tr(lang, "never"));
    if (u.last_login_at)
        last = time.render({{"iso", *u.last_login_at}, {"text", format_time(lang, *u.last_login_at)}});
    // No button to disable oneself (the service refuses it too).
    std::string enable_html;
    if (!u.enabled || !view.is_self)
        enable_html = enable_form.render({{"id", id},
                                          {"csrf_token", csrf_token},
                                          {"value", u.enabled ? "0" : "1"},
                                          {"style", u.enabled ? "btn-danger" : ""},
                                          {"label", tr(lang, u.enabled ? "disable_user" : "enable_user")}});
    const std::string mfa_html =
        u.mfa_enabled ? mfa_form.render({{"id", id}, {"csrf_token", csrf_token}, {"label", tr(lang, "reset_mfa")}})
                      : "";
    const std::string notice_html =
        view.notice.empty() ? ""
                            : notice.render({{"error", view.notice_is_error ? " banner-error" : ""},
                                             {"role", view.notice_is_error ? "alert" : "status"},
                                             {"text", view.notice}});
    std::string title(tr(lang, "user_title"));
    if (const size_t at = title.find("%s"); at != std::string::npos) title.replace(at, 2, u.username);
    const std::string sessions = std::to_string(view.active_sessions);
    const auto yes_no = [lang](bool b) { return tr(lang, b ? "yes" : "no"); };
    return render_page(lang, title, "/admin/users/" + id,
                       t.render({{"title", title},
                                 {"notice", notice_html},
                                 {"username_label", s.username},
                                 {"username", u.username},
                                 {"display_name_label", s.display_name},
                                 {"display_name", u.display_name},
                                 {"email_label", s.email},
                                 {"email", u.email ? std::string_view(*u.email) : s.no_email},
                                 {"verified_label", tr(lang, "verified_col")},
                                 {"verified", yes_no(u.email_verified)},
                                 {"roles_label", tr(lang, "roles")},
                                 {"roles", roles},
                                 {"enabled_label", tr(lang, "enabled")},
                                 {"enabled", yes_no(u.enabled)},
                                 {"mfa_label", tr(lang, "mfa_col")},
                                 {"mfa", yes_no(u.mfa_enabled)},
                                 {"last_login_label", tr(lang, "last_login")},
                                 {"last_login", last},
                                 {"sessions_label", tr(lang, "sessions_col")},
                                 {"sessions", sessions},
                                 {"actions", tr(lang, "actions")},
                                 {"enable_form", enable_html},
                                 {"id", id},
                                 {"csrf_token", csrf_token},
                                 {"user_checked", u.has_role("user") ? " checked" : ""},
                                 {"admin_checked", u.has_role("admin") ? " checked" : ""},
                                 {"role_user", role_name(lang, "user")},
                                 {"role_admin", role_name(lang, "admin")},
                                 {"set_roles", tr(lang, "set_roles")},
                                 {"end_sessions", tr(lang, "end_sessions")},
                                 {"mfa_form", mfa_html},
                                 {"send_recovery", tr(lang, "send_recovery")},
                                 {"all_users", tr(lang, "all_users")}}));
}

}  // namespace routes
