#define BOOST_TEST_MODULE unit_i18n
#include <boost/test/unit_test.hpp>
// Covers routes/i18n and the pages it feeds: which language a request gets (cookie, then
// Accept-Language), dates per language, translated messages, and the error pages of both languages.

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "routes/i18n.hpp"
#include "routes/pages.hpp"

using routes::Lang;

namespace {

struct LangCase {
    std::optional<std::string_view> cookie;
    std::optional<std::string_view> accept_language;
    Lang expected;
};

}  // namespace

BOOST_AUTO_TEST_CASE(language_comes_from_the_cookie_then_accept_language_then_english) {
    const std::vector<LangCase> cases = {
        {std::nullopt, std::nullopt, Lang::en},
        {std::nullopt, "", Lang::en},
        {std::nullopt, "pt-BR,pt;q=0.9,en;q=0.8", Lang::pt_br},
        {std::nullopt, "pt", Lang::pt_br},
        {std::nullopt, "PT-br", Lang::pt_br},
        {std::nullopt, "pt-PT", Lang::pt_br},
        {std::nullopt, "en-US,en;q=0.9,pt-BR;q=0.8", Lang::en},
        {std::nullopt, "fr-FR, de;q=0.9, pt-BR;q=0.5", Lang::pt_br},  // first supported entry
        {std::nullopt, "fr-FR,en;q=0.5,pt;q=0.4", Lang::en},
        {std::nullopt, "fr-FR,de", Lang::en},
        {std::nullopt, "ptx,enx", Lang::en},  // not the tags pt or en
        {std::nullopt, " pt-BR ; q=0.7", Lang::pt_br},
        {"pt-BR", "en-US", Lang::pt_br},  // the switch wins over the browser
        {"en", "pt-BR", Lang::en},
        {"klingon", "pt-BR", Lang::pt_br},  // an unsupported cookie is ignored
        {"PT-BR", "en", Lang::pt_br},       // letter case does not matter (nor does it to nginx)
    };
    for (const auto& c : cases) {
        BOOST_TEST_CONTEXT("cookie " << c.cookie.value_or("<none>") << ", Accept-Language "
                                     << c.accept_language.value_or("<none>")) {
            BOOST_TEST((routes::choose_lang(c.cookie, c.accept_language) == c.expected));
        }
    }
}

BOOST_AUTO_TEST_CASE(language_of_a_request_reads_the_lang_cookie_among_others) {
    http::Request req;
    req.headers["cookie"] = "sid=abc; lang=pt-BR; x=1";
    req.headers["accept-language"] = "en-US";
    BOOST_TEST((routes::choose_lang(req) == Lang::pt_br));
    req.headers.erase("cookie");
    BOOST_TEST((routes::choose_lang(req) == Lang::en));
}

BOOST_AUTO_TEST_CASE(times_are_written_for_people_in_each_language) {
    BOOST_TEST(routes::format_time(Lang::en, "2026-11-30T14:05:09Z") ==
               "November 30, 2026, 14:05 UTC");
    BOOST_TEST(routes::format_time(Lang::pt_br, "2026-11-30T14:05:09Z") ==
               "30 de novembro de 2026, 14:05 (UTC)");
    BOOST_TEST(routes::format_time(Lang::pt_br, "2026-03-01T09:00:00.123456Z") ==
               "1 de março de 2026, 09:00 (UTC)");
    BOOST_TEST(routes::format_time(Lang::en, "2026-01-05T23:59:59.5Z") ==
               "January 5, 2026, 23:59 UTC");
}

BOOST_AUTO_TEST_CASE(text_that_is_not_an_rfc3339_utc_time_comes_back_unchanged) {
    for (std::string_view bad : {"", "never", "2026-13-01T00:00:00Z", "2026-11-30 14:05:09+00",
                                 "2026-11-30T14:05:09+01:00", "2026-11-30T14:05Z"})
        BOOST_TEST(routes::format_time(Lang::en, bad) == bad);
}

BOOST_AUTO_TEST_CASE(every_message_id_is_written_in_both_languages) {
    using model::MessageId;
    for (int i = 0; i < static_cast<int>(MessageId::count); ++i) {
        const model::Message m(static_cast<MessageId>(i));
        BOOST_TEST_CONTEXT("message " << i) {
            BOOST_TEST(!routes::text(Lang::en, m).empty());
            BOOST_TEST(!routes::text(Lang::pt_br, m).empty());
            BOOST_TEST(routes::text(Lang::en, m) != routes::text(Lang::pt_br, m));
        }
    }
    BOOST_TEST(routes::text(Lang::pt_br, MessageId::password_too_short) ==
               "A senha deve ter pelo menos 12 caracteres.");
    BOOST_TEST(routes::text(Lang::en, MessageId::password_too_short) ==
               "Password must be at least 12 characters.");
}

BOOST_AUTO_TEST_CASE(the_rate_limit_message_carries_its_number_in_both_languages) {
    const model::Message wait(model::MessageId::too_many_requests, 37);
    BOOST_TEST(routes::text(Lang::pt_br, wait) == "Muitas tentativas. Tente de novo em 37 segundos.");
    BOOST_TEST(routes::text(Lang::en, wait) == "Too many requests. Try again in 37 seconds.");
    const std::string page = routes::render_error_page(
        Lang::pt_br, 429, model::Message(model::MessageId::too_many_requests, 8));
    BOOST_TEST(page.find("<h1>Aguarde um momento</h1>") != std::string::npos, page);
    BOOST_TEST(page.find("Tente de novo em 8 segundos.") != std::string::npos, page);
}

BOOST_AUTO_TEST_CASE(error_pages_exist_in_both_languages_for_each_status) {
    struct Expected {
        int status;
        std::string_view en, pt;
    };
    const std::vector<Expected> cases = {
        {401, "Please log in", "Entre na sua conta"},
        {403, "Access denied", "Acesso negado"},
        {404, "Page not found", "Página não encontrada"},
        {429, "Please wait a moment", "Aguarde um momento"},
        {503, "Temporarily unavailable", "Temporariamente indisponível"},
    };
    for (const auto& c : cases) {
        BOOST_TEST_CONTEXT("status " << c.status) {
            const std::string en = routes::render_error_page(Lang::en, c.status, std::nullopt);
            const std::string pt = routes::render_error_page(Lang::pt_br, c.status, std::nullopt);
            BOOST_TEST(en.find("<html lang=\"en\">") != std::string::npos);
            BOOST_TEST(en.find("<h1>" + std::string(c.en) + "</h1>") != std::string::npos, en);
            BOOST_TEST(en.find("Error " + std::to_string(c.status)) != std::string::npos);
            BOOST_TEST(pt.find("<html lang=\"pt-BR\">") != std::string::npos);
            BOOST_TEST(pt.find("<h1>" + std::string(c.pt) + "</h1>") != std::string::npos, pt);
            BOOST_TEST(pt.find("Erro " + std::to_string(c.status)) != std::string::npos);
        }
    }
}

BOOST_AUTO_TEST_CASE(error_page_shows_a_detail_only_in_a_language_it_is_written_in) {
    const model::Message admins(model::MessageId::admins_only);
    const std::string en = routes::render_error_page(Lang::en, 403, admins);
    BOOST_TEST(en.find("This page is for administrators.") != std::string::npos);
    const std::string pt = routes::render_error_page(Lang::pt_br, 403, admins);
    BOOST_TEST(pt.find("Esta página é só para administradores.") != std::string::npos);
    const std::string not_found =
        routes::render_error_page(Lang::en, 404, model::Message(model::MessageId::not_found));
    BOOST_TEST(not_found.find("No such resource.") == std::string::npos);  // says nothing more
    // An English-only detail (for API clients) shows on English pages only.
    BOOST_TEST(routes::render_error_page(Lang::en, 400, std::nullopt, "Unknown field: x")
                   .find("Unknown field: x") != std::string::npos);
    BOOST_TEST(routes::render_error_page(Lang::pt_br, 400, std::nullopt, "Unknown field: x")
                   .find("Unknown field: x") == std::string::npos);
}

BOOST_AUTO_TEST_CASE(every_form_that_posts_carries_the_csrf_token_field) {
    model::User user;
    user.id = 7;
    user.username = "u7";
    user.display_name = "User Seven";
    user.roles = {"user"};
    std::vector<service::SessionInfo> sessions(2);
    sessions[0].id = "a1";
    sessions[0].current = true;
    sessions[1].id = "b2";
    // Pages of a session carry its token; the anonymous registration form an empty one.
    const std::vector<std::pair<std::string, std::string>> pages = {
        {routes::render_home(Lang::en, user, "tok-1"), "tok-1"},
        {routes::render_profile_form(Lang::pt_br, "User Seven", "", {}, "tok-2"), "tok-2"},
        {routes::render_register_form(Lang::en, "u7", "User Seven", "", {}), ""},
        {routes::render_password_form(Lang::pt_br, {}, "tok-3"), "tok-3"},
        {routes::render_sessions(Lang::en, sessions, "tok-4"), "tok-4"},
    };
    for (const auto& [page, token] : pages) {
        const std::string field =
            R"(<input type="hidden" name="csrf_token" value=")" + token + "\">";
        size_t forms = 0, tokens = 0;
        for (size_t at = 0; (at = page.find("method=\"post\"", at)) != std::string::npos; ++at)
            ++forms;
        for (size_t at = 0; (at = page.find(field, at)) != std::string::npos; ++at) ++tokens;
        BOOST_TEST(forms >= 1u, page);
        BOOST_TEST(tokens == forms, page);
    }
}

BOOST_AUTO_TEST_CASE(home_page_is_in_the_chosen_language_with_its_date_format) {
    model::User user;
    user.username = "ana";
    user.display_name = "Ana <Silva>";
    user.roles = {"admin"};
    user.last_login_at = "2026-11-30T14:05:09Z";
    const std::string pt = routes::render_home(Lang::pt_br, user, "");
    BOOST_TEST(pt.find("Olá, Ana &lt;Silva&gt;") != std::string::npos, pt);
    BOOST_TEST(
        pt.find(
            R"(<time datetime="2026-11-30T14:05:09Z">30 de novembro de 2026, 14:05 (UTC)</time>)") !=
            std::string::npos,
        pt);
    BOOST_TEST(pt.find(R"(<span class="role">administrador</span>)") != std::string::npos);
    BOOST_TEST(pt.find(R"(href="/lang/en?next=/home")") != std::string::npos);
    const std::string en = routes::render_home(Lang::en, user, "");
    BOOST_TEST(en.find("Welcome, Ana &lt;Silva&gt;") != std::string::npos);
    BOOST_TEST(en.find("November 30, 2026, 14:05 UTC") != std::string::npos);
    BOOST_TEST(en.find(R"(href="/lang/pt-BR?next=/home")") != std::string::npos);
}
