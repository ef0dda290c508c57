// The string tables of the pages in English and Brazilian Portuguese, and the choice between them.
#include "routes/i18n.hpp"

#include <array>
#include <cctype>
#include <utility>

#include "http/parse.hpp"
#include "http/response.hpp"
#include "util/text.hpp"

namespace routes {
namespace {

constexpr Strings kEnglish{
    .skip_to_content = "Skip to content",
    .language = "Language",
    .other_language_name = "Português",
    .home_title = "Home",
    .greeting = "Welcome",
    .home_subtitle = "This is your account at Acme.",
    .profile_heading = "Your profile",
    .username = "Username",
    .email = "Email",
    .roles = "Roles",
    .last_login = "Last login",
    .never = "never",
    .edit_profile = "Edit profile",
    .change_password = "Change password",
    .admin = "Admin",
    .log_out = "Log out",
    .no_email = "none",
    .display_name = "Display name",
    .email_optional = "Email (optional)",
    .current_password_for_email = "Current password (only to change your email)",
    .save = "Save",
    .back_home = "Back to home",
    .register_title = "Create an account",
    .password_hint = "Password (12 characters or more)",
    .create_account = "Create account",
    .have_account = "Already have an account?",
    .log_in = "Log in",
    .password_title = "Change password",
    .password_notice = "Changing your password logs you out everywhere else.",
    .current_password = "Current password",
    .new_password_hint = "New password (12 characters or more)",
    .show_password = "Show password",
    .sessions = "Sessions",
    .sessions_title = "Your sessions",
    .sessions_intro = "Every browser and device that is logged in to your account.",
    .started = "Started",
    .last_seen = "Last seen",
    .network = "Network",
    .browser = "Browser",
    .action = "Action",
    .this_session = "This session",
    .end_session = "End",
    .end_other_sessions = "End all other sessions",
    .users_title = "Users",
    .newest_first = "Newest first.",
    .id = "ID",
    .enabled = "Enabled",
    .created = "Created",
    .yes = "yes",
    .no = "no",
    .older_users = "Older users",
    .error_word = "Error",
    .go_home = "Go to the home page",
};

constexpr Strings kPortuguese{
    .skip_to_content = "Pular para o conteúdo",
    .language = "Idioma",
    .other_language_name = "English",
    .home_title = "Início",
    .greeting = "Olá",
    .home_subtitle = "Esta é a sua conta na Acme.",
    .profile_heading = "Seu perfil",
    .username = "Nome de usuário",
    .email = "E-mail",
    .roles = "Funções",
    .last_login = "Último acesso",
    .never = "nunca",
    .edit_profile = "Editar perfil",
    .change_password = "Alterar senha",
    .admin = "Administração",
    .log_out = "Sair",
    .no_email = "nenhum",
    .display_name = "Nome de exibição",
    .email_optional = "E-mail (opcional)",
    .current_password_for_email = "Senha atual (só para mudar o e-mail)",
    .save = "Salvar",
    .back_home = "Voltar ao início",
    .register_title = "Criar uma conta",
    .password_hint = "Senha (12 caracteres ou mais)",
    .create_account = "Criar conta",
    .have_account = "Já tem uma conta?",
    .log_in = "Entrar",
    .password_title = "Alterar senha",
    .password_notice = "Ao alterar a senha, você sai da conta em todos os outros lugares.",
    .current_password = "Senha atual",
    .new_password_hint = "Nova senha (12 caracteres ou mais)",
    .show_password = "Mostrar senha",
    .sessions = "Sessões",
    .sessions_title = "Suas sessões",
    .sessions_intro = "Cada navegador e dispositivo conectado à sua conta.",
    .started = "Início",
    .last_seen = "Último uso",
    .network = "Rede",
    .browser = "Navegador",
    .action = "Ação",
    .this_session = "Esta sessão",
    .end_session = "Encerrar",
    .end_other_sessions = "Encerrar todas as outras sessões",
    .users_title = "Usuários",
    .newest_first = "Mais recentes primeiro.",
    .id = "ID",
    .enabled = "Ativo",
    .created = "Criado em",
    .yes = "sim",
    .no = "não",
    .older_users = "Usuários mais antigos",
    .error_word = "Erro",
    .go_home = "Ir para a página inicial",
};

constexpr std::array<std::string_view, 12> kMonthsEn{
    "January", "February", "March",     "April",   "May",      "June",
    "July",    "August",   "September", "October", "November", "December"};
constexpr std::array<std::string_view, 12> kMonthsPt{
    "janeiro", "fevereiro", "março",    "abril",   "maio",     "junho",
    "julho",   "agosto",    "setembro", "outubro", "novembro", "dezembro"};



// The language of the first Portuguese or English entry of an Accept-Language value.
std::optional<Lang> from_accept_language(std::string_view header) {
    while (!header.empty()) {
        const size_t comma = header.find(',');
        std::string_view entry = util::trim(header.substr(0, comma));
        header = comma == std::string_view::npos ? std::string_view{} : header.substr(comma + 1);
        entry = util::trim(entry.substr(0, entry.find(';')));
        const std::string primary = util::ascii_lower(entry.substr(0, entry.find('-')));
        if (primary == "pt") return Lang::pt_br;
        if (primary == "en") return Lang::en;
    }
    return std::nullopt;
}

// Digits at s[at, at+n) as a number, or -1.
int digits(std::string_view s, size_t at, size_t n) {
    int v = 0;
    for (size_t i = at; i < at + n; ++i) {
        if (i >= s.size() || s[i] < '0' || s[i] > '9') return -1;
        v = v * 10 + (s[i] - '0');
    }
    return v;
}

}  // namespace

Lang choose_lang(std::optional<std::string_view> cookie_lang,
                 std::optional<std::string_view> accept_language) {
    // Letter case does not matter, as in nginx's map.
    const std::string cookie = util::ascii_lower(cookie_lang.value_or(""));
    if (cookie == "pt-br") return Lang::pt_br;
    if (cookie == "en") return Lang::en;
    if (accept_language)
        if (auto lang = from_accept_language(*accept_language)) return *lang;
    return Lang::en;
}

Lang choose_lang(const http::Request& req) {
    std::optional<std::string_view> cookie_lang;
    http::Fields cookies;
    if (auto header = req.header("cookie")) {
        cookies = http::parse_cookies(*header);
        cookie_lang = http::find_field(cookies, "lang");
    }
    return choose_lang(cookie_lang, req.header("accept-language"));
}

std::string_view lang_tag(Lang lang) {
    return lang == Lang::pt_br ? "pt-BR" : "en";
}

const Strings& strings(Lang lang) {
    return lang == Lang::pt_br ? kPortuguese : kEnglish;
}

std::string_view role_name(Lang lang, std::string_view role) {
    if (lang != Lang::pt_br) return role;
    if (role == "admin") return "administrador";
    if (role == "user") return "usuário";
    return role;
}

StatusText status_text(Lang lang, int status) {
    const bool pt = lang == Lang::pt_br;
    switch (status) {
        case 401:
            return pt ? StatusText{"Entre na sua conta",
                                   "Você precisa entrar para ver esta página."}
                      : StatusText{"Please log in", "You need to log in to see this page."};
        case 403:
            return pt ? StatusText{"Acesso negado", "Você não tem permissão para ver esta página."}
                      : StatusText{"Access denied", "You do not have permission to see this page."};
        case 404:
            return pt ? StatusText{"Página não encontrada",
                                   "A página que você procurou não existe."}
                      : StatusText{"Page not found", "The page you asked for does not exist."};
        case 429:
            return pt ? StatusText{"Aguarde um momento", "Houve tentativas demais em pouco tempo."}
                      : StatusText{"Please wait a moment",
                                   "There were too many attempts in a short time."};
        case 503:
            return pt ? StatusText{"Temporariamente indisponível",
                                   "O serviço não conseguiu responder agora. Tente de novo em "
                                   "instantes."}
                      : StatusText{
                            "Temporarily unavailable",
                            "The service could not answer just now. Please try again in a moment."};
        default:
            if (status >= 500)
                return pt ? StatusText{"Algo deu errado", "Tente de novo em instantes."}
                          : StatusText{"Something went wrong", "Please try again in a moment."};
            return pt ? StatusText{"Não foi possível atender", "O pedido não pôde ser atendido."}
                      : StatusText{http::reason_phrase(status), "The request could not be served."};
    }
}

std::string format_time(Lang lang, std::string_view t) {
    // YYYY-MM-DDTHH:MM:SS[.fraction]Z
    const int year = digits(t, 0, 4), month = digits(t, 5, 2), day = digits(t, 8, 2);
    const int hour = digits(t, 11, 2), minute = digits(t, 14, 2);
    if (t.size() < 20 || year < 0 || month < 1 || month > 12 || day < 1 || day > 31 || hour < 0 ||
        minute < 0 || t[4] != '-' || t[7] != '-' || t[10] != 'T' || t[13] != ':' || t.back() != 'Z')
        return std::string(t);
    const std::string hhmm(t.substr(11, 5));
    const std::string d = std::to_string(day), y = std::to_string(year);
    if (lang == Lang::pt_br)
        return d + " de " + std::string(kMonthsPt[month - 1]) + " de " + y + ", " + hhmm + " (UTC)";
    return std::string(kMonthsEn[month - 1]) + " " + d + ", " + y + ", " + hhmm + " UTC";
}

}  // namespace routes
