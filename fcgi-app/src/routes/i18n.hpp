// The two languages of the pages (English and Brazilian Portuguese): which one a request gets,
// the string table, and dates written for people.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "http/request.hpp"
#include "model/message.hpp"

namespace routes {

enum class Lang { en, pt_br };

// The language of a request: the `lang` cookie when it names a supported language ("en" or
// "pt-BR", in any letter case), else the first Portuguese or English entry of Accept-Language
// (browsers list the languages in order of preference; q-values are not read), else English. nginx
// applies the same rule to the static pages (nginx/nginx.conf.template, map $lang).
Lang choose_lang(const http::Request& req);

// The same rule on the raw header values; nullopt means the header is absent.
Lang choose_lang(std::optional<std::string_view> cookie_lang,
                 std::optional<std::string_view> accept_language);

// "en" or "pt-BR": the value of the cookie, of <html lang> and of the /lang/ switch links.
std::string_view lang_tag(Lang lang);

// Every fixed text of the worker-rendered pages, in one language.
struct Strings {
    std::string_view skip_to_content, language, other_language_name;
    // home
    std::string_view home_title, greeting, home_subtitle, profile_heading, username, email, roles,
        last_login, never, edit_profile, change_password, admin, log_out, no_email;
    // forms
    std::string_view display_name, email_optional, current_password_for_email, save, back_home,
        register_title, password_hint, create_account, have_account, log_in, password_title,
        password_notice, current_password, new_password_hint, show_password;
    // sessions
    std::string_view sessions, sessions_title, sessions_intro, started, last_seen, network, browser,
        action, this_session, end_session, end_other_sessions;
    // admin
    std::string_view users_title, newest_first, id, enabled, created, yes, no, older_users;
    // errors
    std::string_view error_word, go_home;
};

// The strings of lang; the table lives for the whole process.
const Strings& strings(Lang lang);

// A role name as shown to people ("admin" is "administrador" in Portuguese).
std::string_view role_name(Lang lang, std::string_view role);

// The title and a one-sentence explanation of an error status for an error page.
struct StatusText {
    std::string_view title, explanation;
};
StatusText status_text(Lang lang, int status);

// A message of a lower layer (validation, accounts, http::Error) written in lang
// (routes/messages.cpp).
std::string text(Lang lang, const model::Message& message);

// An RFC 3339 UTC time ("2026-11-30T14:05:09Z", fractions of a second allowed) written for
// people: "November 30, 2026, 14:05 UTC" or "30 de novembro de 2026, 14:05 (UTC)". Text in any
// other shape comes back unchanged.
std::string format_time(Lang lang, std::string_view rfc3339);

}  // namespace routes
