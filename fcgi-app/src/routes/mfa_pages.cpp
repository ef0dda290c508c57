// Two-step verification pages.
#include "routes/mfa_pages.hpp"

#include "routes/account_text.hpp"
#include "routes/pages.hpp"
#include "util/html.hpp"
#include "util/totp.hpp"

namespace routes {
namespace {

constexpr std::string_view kCodeAttrs =
    R"(required inputmode="numeric" autocomplete="one-time-code" maxlength="6" pattern="[0-9]{6}" spellcheck="false")";

}  // namespace

std::string render_login_mfa(Lang lang, bool wrong) {
    static const util::Template t(R"(<section class="card">
<h1>{{title}}</h1>
<p class="muted">{{intro}}</p>
<form method="post" action="/login/mfa">
{{{fields}}}<button class="btn" type="submit">{{submit}}</button>
</form>
<p class="card-foot"><a href="/login">{{back}}</a></p>
</section>)");
    service::FieldErrors errors;
    if (wrong) errors.emplace_back("code", model::MessageId::mfa_code_wrong);
    const std::string fields = render_field(
        lang, "code", tr(lang, "code_or_recovery"), "text", "",
        R"(required autocomplete="one-time-code" autocapitalize="none" maxlength="20" spellcheck="false" autofocus)",
        errors);
    return render_page(lang, tr(lang, "login_mfa_title"), "/login/mfa",
                       t.render({{"title", tr(lang, "login_mfa_title")},
                                 {"intro", tr(lang, "login_mfa_intro")},
                                 {"fields", fields},
                                 {"submit", tr(lang, "verify")},
                                 {"back", tr(lang, "back_to_login")}}));
}

std::string render_mfa_page(Lang lang, const MfaState& state, const service::FieldErrors& errors,
                            std::string_view csrf_token) {
    static const util::Template off(R"(<p>{{text}}</p>
<form method="post" action="/mfa/totp">
<input type="hidden" name="csrf_token" value="{{csrf_token}}">
<button class="btn" type="submit">{{start}}</button>
</form>
)");
    static const util::Template setting_up(R"(<p>{{scan}}</p>
<p class="qr"><img src="/mfa/totp/qr.svg" alt="{{qr_alt}}" width="240" height="240"></p>
<p>{{key_label}}: <code class="secret">{{secret}}</code></p>
<form method="post" action="/mfa/totp/confirm">
<input type="hidden" name="csrf_token" value="{{csrf_token}}">
{{{fields}}}<button class="btn" type="submit">{{confirm}}</button>
</form>
)");
    static const util::Template on(R"(<p>{{text}}</p>
<p class="muted">{{disable_intro}}</p>
<form method="post" action="/mfa/disable">
<input type="hidden" name="csrf_token" value="{{csrf_token}}">
{{{fields}}}<button class="btn btn-secondary" type="submit">{{disable}}</button>
</form>
)");
    static const util::Template card(R"(<section class="card">
<h1>{{title}}</h1>
{{{body}}}<p class="card-foot"><a href="/home">{{back}}</a></p>
</section>)");
    const Strings& s = strings(lang);
    std::string body;
    if (state.enabled) {
        const std::string fields =
            render_field(lang, "current_password", tr(lang, "password"), "password", "",
                         R"(required autocomplete="current-password")", errors) +
            render_field(lang, "code", tr(lang, "code"), "text", "", kCodeAttrs, errors);
        body = on.render({{"text", tr(lang, "mfa_on")},
                          {"disable_intro", tr(lang, "mfa_disable_intro")},
                          {"csrf_token", csrf_token},
                          {"fields", fields},
                          {"disable", tr(lang, "mfa_disable")}});
    } else if (state.pending_secret) {
        const std::string secret = util::grouped_secret(*state.pending_secret);
        const std::string fields =
            render_field(lang, "code", tr(lang, "code"), "text", "", kCodeAttrs, errors);
        body = setting_up.render({{"scan", tr(lang, "mfa_scan")},
                                  {"qr_alt", tr(lang, "qr_alt")},
                                  {"key_label", tr(lang, "secret_key")},
                                  {"secret", secret},
                                  {"csrf_token", csrf_token},
                                  {"fields", fields},
                                  {"confirm", tr(lang, "confirm")}});
    } else {
        body = off.render({{"text", tr(lang, "mfa_off")},
                           {"csrf_token", csrf_token},
                           {"start", tr(lang, "mfa_start")}});
    }
    return render_page(lang, tr(lang, "mfa_title"), "/mfa",
                       card.render({{"title", tr(lang, "mfa_title")},
                                    {"body", body},
                                    {"back", s.back_home}}));
}

std::string render_recovery_codes(Lang lang, const std::vector<std::string>& codes) {
    static const util::Template t(R"(<section class="card">
<h1>{{title}}</h1>
<p role="status">{{intro}}</p>
<ul class="recovery-codes">
{{{items}}}</ul>
<p class="card-foot"><a class="btn" href="/home">{{done}}</a></p>
</section>)");
    static const util::Template item(R"(<li><code>{{code}}</code></li>
)");
    std::string items;
    for (const auto& code : codes) items += item.render({{"code", code}});
    return render_page(lang, tr(lang, "recovery_title"), "/mfa",
                       t.render({{"title", tr(lang, "recovery_title")},
                                 {"intro", tr(lang, "recovery_intro")},
                                 {"items", items},
                                 {"done", tr(lang, "done")}}));
}

}  // namespace routes
