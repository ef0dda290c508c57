// Recovery and verification pages.
#include "routes/account_pages.hpp"

#include "routes/account_text.hpp"
#include "routes/pages.hpp"
#include "util/html.hpp"

namespace routes {

std::string render_forgot_form(Lang lang, std::string_view identifier,
                               const service::FieldErrors& errors) {
    static const util::Template t(R"(<section class="card">
<h1>{{title}}</h1>
<p class="muted">{{intro}}</p>
<form method="post" action="/password/forgot">
{{{fields}}}<button class="btn" type="submit">{{submit}}</button>
</form>
<p class="card-foot"><a href="/login">{{back}}</a></p>
</section>)");
    const std::string fields =
        render_field(lang, "identifier", tr(lang, "identifier"), "text", identifier,
                     R"(required maxlength="254" autocomplete="username" autocapitalize="none" spellcheck="false")",
                     errors);
    return render_page(lang, tr(lang, "forgot_title"), "/password/forgot",
                       t.render({{"title", tr(lang, "forgot_title")},
                                 {"intro", tr(lang, "forgot_intro")},
                                 {"fields", fields},
                                 {"submit", tr(lang, "send_link")},
                                 {"back", tr(lang, "back_to_login")}}));
}

std::string render_message_page(Lang lang, std::string_view title, std::string_view text,
                                 std::string_view href, std::string_view link_label) {
    static const util::Template t(R"(<section class="card">
<h1>{{title}}</h1>
<p role="status">{{text}}</p>
<p class="card-foot"><a class="btn" href="{{href}}">{{label}}</a></p>
</section>)");
    return render_page(lang, title, "/home",
                       t.render({{"title", title},
                                 {"text", text},
                                 {"href", href},
                                 {"label", link_label}}));
}

std::string render_reset_form(Lang lang, std::string_view token,
                              const service::FieldErrors& errors) {
    static const util::Template t(R"(<section class="card">
<h1>{{title}}</h1>
<p class="muted">{{intro}}</p>
<form method="post" action="/password/reset">
<input type="hidden" name="token" value="{{token}}">
{{{fields}}}<button class="btn" type="submit">{{submit}}</button>
</form>
</section>)");
    const Strings& s = strings(lang);
    const std::string fields =
        render_field(lang, "new_password", s.new_password_hint, "password", "",
                     R"(required minlength="12" maxlength="128" autocomplete="new-password")",
                     errors);
    return render_page(lang, tr(lang, "reset_title"), "/login",
                       t.render({{"title", tr(lang, "reset_title")},
                                 {"intro", tr(lang, "reset_intro")},
                                 {"token", token},
                                 {"fields", fields},
                                 {"submit", tr(lang, "set_password")}}));
}

std::string render_email_banner(Lang lang, const model::User& user, std::string_view state,
                                std::string_view csrf_token) {
    static const util::Template note(R"(<div class="banner" role="status"><p>{{text}}</p></div>
)");
    static const util::Template unverified(R"(<div class="banner" role="status">
<p>{{text}}</p>
<form class="inline" method="post" action="/email/verify/resend">
<input type="hidden" name="csrf_token" value="{{csrf_token}}">
<button class="btn btn-secondary btn-small" type="submit">{{resend}}</button>
</form>
</div>
)");
    if (state == "pending") return note.render({{"text", tr(lang, "email_pending")}});
    if (state == "sent") return note.render({{"text", tr(lang, "resent")}});
    if (!user.email || user.email_verified) return "";
    return unverified.render({{"text", tr(lang, "unverified_banner")},
                              {"csrf_token", csrf_token},
                              {"resend", tr(lang, "resend")}});
}

}  // namespace routes
