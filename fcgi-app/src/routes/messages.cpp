// The sentences of model::MessageId in English and Brazilian Portuguese.
#include <array>
#include <string>

#include "routes/i18n.hpp"

namespace routes {
namespace {

using model::MessageId;

struct Texts {
    MessageId id;
    std::string_view en, pt;
};

// In MessageId order; the static_assert below and the check in text() keep it complete.
constexpr Texts kTexts[] = {
    {MessageId::username_length, "Username must be 3 to 32 characters.",
     "O nome de usuário deve ter de 3 a 32 caracteres."},
    {MessageId::username_charset, "Username may only use a-z, 0-9, dot, underscore and hyphen.",
     "O nome de usuário só pode ter a-z, 0-9, ponto, sublinhado e hífen."},
    {MessageId::password_invalid, "Password must be valid text.", "A senha deve ser um texto válido."},
    {MessageId::password_too_long, "Password must be at most 128 characters.",
     "A senha deve ter no máximo 128 caracteres."},
    {MessageId::password_too_short, "Password must be at least 12 characters.",
     "A senha deve ter pelo menos 12 caracteres."},
    {MessageId::password_is_username, "Password must not be the username.",
     "A senha não pode ser igual ao nome de usuário."},
    {MessageId::display_name_utf8, "Display name must be valid UTF-8.",
     "O nome de exibição deve ser UTF-8 válido."},
    {MessageId::display_name_controls, "Display name must not contain control characters.",
     "O nome de exibição não pode ter caracteres de controle."},
    {MessageId::display_name_invisible,
     "Display name must not contain invisible or text-direction characters.",
     "O nome de exibição não pode ter caracteres invisíveis ou de direção do texto."},
    {MessageId::display_name_required, "Display name is required.", "Informe o nome de exibição."},
    {MessageId::display_name_too_long, "Display name must be at most 100 characters.",
     "O nome de exibição deve ter no máximo 100 caracteres."},
    {MessageId::email_shape, "Email must look like name@example.com.",
     "O e-mail deve ter o formato nome@exemplo.com."},
    {MessageId::email_too_long, "Email must be at most 254 characters.",
     "O e-mail deve ter no máximo 254 caracteres."},
    {MessageId::email_required, "Email is required.", "Informe o e-mail."},
    {MessageId::roles_invalid, "Roles must be admin or user.", "As funções devem ser admin ou user."},
    {MessageId::username_taken, "This username is taken.", "Este nome de usuário já está em uso."},
    {MessageId::current_password_wrong, "The current password is not correct.",
     "A senha atual não está correta."},
    {MessageId::account_gone, "The account no longer exists.", "A conta não existe mais."},
    {MessageId::email_needs_current_password,
     "Enter your current password to change your email address.",
     "Informe sua senha atual para mudar o endereço de e-mail."},
    {MessageId::reauth_session_ended, "Too many wrong passwords: this session has ended. Log in again.",
     "Senhas erradas demais: esta sessão foi encerrada. Entre de novo."},
    {MessageId::admins_only, "This page is for administrators.",
     "Esta página é só para administradores."},
    {MessageId::not_found, "No such resource.", "Esta página não existe."},
    {MessageId::method_not_allowed, "Method not allowed.", "Método não permitido."},
    {MessageId::log_in_first, "Log in first.", "Entre na sua conta primeiro."},
    {MessageId::body_too_large, "Request body is too large.", "O pedido é grande demais."},
    {MessageId::malformed_percent_encoding, "Malformed percent-encoding.",
     "O formulário chegou malformado."},
    {MessageId::fields_not_utf8, "Fields must be valid UTF-8.", "Os campos devem ser UTF-8 válido."},
    {MessageId::too_many_fields, "Too many fields.", "O formulário tem campos demais."},
    {MessageId::send_a_form, "Send application/x-www-form-urlencoded.", "Envie um formulário."},
    {MessageId::before_not_user_id, "before must be a user id.",
     "before deve ser o id de um usuário."},
    {MessageId::which_session, "Which session? The form has no id.",
     "Qual sessão? O formulário não tem id."},
    {MessageId::cross_site, "This request came from another site and was refused.",
     "Este pedido veio de outro site e foi recusado."},
    {MessageId::form_expired, "This form has expired. Go back, reload the page and try again.",
     "Este formulário expirou. Volte, recarregue a página e tente de novo."},
    {MessageId::too_many_requests, "Too many requests. Try again in {n} seconds.",
     "Muitas tentativas. Tente de novo em {n} segundos."},
    {MessageId::internal_error, "Something went wrong on our side.",
     "Algo deu errado do nosso lado."},
    {MessageId::unavailable, "The service is briefly unavailable. Please try again.",
     "O serviço está indisponível por um instante. Tente de novo."},
    {MessageId::recovery_identifier_required, "Type your username or email address.",
     "Digite seu nome de usuário ou endereço de e-mail."},
    {MessageId::recovery_identifier_invalid, "That is not a username or an email address.",
     "Isto não é um nome de usuário nem um endereço de e-mail."},
    {MessageId::mfa_code_wrong, "The code is not right, or was used already.",
     "O código não está certo ou já foi usado."},
    {MessageId::mfa_code_too_long, "The code is too long.", "O código é longo demais."},
    {MessageId::mfa_already_on, "Two-step verification is on already.",
     "A verificação em duas etapas já está ativada."},
    {MessageId::mfa_not_started, "Start the set-up first.", "Comece a configuração primeiro."},
    {MessageId::mfa_off, "Two-step verification is off.",
     "A verificação em duas etapas está desativada."},
    {MessageId::mfa_login_expired, "The login took too long. Log in again.",
     "O login demorou demais. Entre de novo."},
    {MessageId::admin_search_too_long, "Search for at most 254 printable characters.",
     "Pesquise no máximo 254 caracteres imprimíveis."},
    {MessageId::admin_enabled_value, "Enabled must be 0 or 1.", "Ativo deve ser 0 ou 1."},
    {MessageId::admin_choose_a_role, "Choose at least one role.", "Escolha pelo menos uma função."},
};
static_assert(std::size(kTexts) == static_cast<size_t>(MessageId::count),
              "every MessageId needs its texts in kTexts");

constexpr bool in_id_order() {
    for (size_t i = 0; i < std::size(kTexts); ++i)
        if (static_cast<size_t>(kTexts[i].id) != i) return false;
    return true;
}
static_assert(in_id_order(), "kTexts must list the messages in MessageId order");

}  // namespace

std::string text(Lang lang, const model::Message& message) {
    const Texts& t = kTexts[static_cast<size_t>(message.id)];
    std::string out(lang == Lang::pt_br ? t.pt : t.en);
    if (const size_t at = out.find("{n}"); at != std::string::npos)
        out.replace(at, 3, std::to_string(message.number));
    return out;
}

}  // namespace routes
