// The account pages' words.
#include "routes/account_text.hpp"

#include <unordered_map>

namespace routes {
namespace {

struct Both {
    std::string_view en, pt;
};

const std::unordered_map<std::string_view, Both>& table() {
    static const std::unordered_map<std::string_view, Both> t = {
        // password recovery
        {"forgot_link", {"Forgot your password?", "Esqueceu a senha?"}},
        {"forgot_title", {"Reset your password", "Redefinir a senha"}},
        {"forgot_intro",
         {"Type your username or the email address of your account. We will send a link to "
          "choose a new password.",
          "Digite seu nome de usuário ou o e-mail da sua conta. Enviaremos um link para escolher "
          "uma nova senha."}},
        {"identifier", {"Username or email address", "Nome de usuário ou e-mail"}},
        {"send_link", {"Send the link", "Enviar o link"}},
        {"back_to_login", {"Back to login", "Voltar para a entrada"}},
        {"forgot_sent_title", {"Check your inbox", "Confira sua caixa de entrada"}},
        {"forgot_sent",
         {"If an account matches what you typed, we sent a link to its email address. The link "
          "works once, for 30 minutes.",
          "Se uma conta corresponder ao que você digitou, enviamos um link para o e-mail dela. O "
          "link funciona uma vez, por 30 minutos."}},
        {"reset_title", {"Choose a new password", "Escolha uma nova senha"}},
        {"reset_intro",
         {"Setting a new password logs you out everywhere.",
          "Ao definir uma nova senha, você sai da conta em todos os lugares."}},
        {"set_password", {"Set the password", "Definir a senha"}},
        {"link_invalid_title", {"This link does not work", "Este link não funciona"}},
        {"link_invalid",
         {"It has expired, was used already, or a newer link was sent. Ask for a new one.",
          "Ele expirou, já foi usado ou um link mais novo foi enviado. Peça um novo."}},
        {"ask_new_link", {"Ask for a new link", "Pedir um novo link"}},
        {"reset_done_title", {"Your password was changed", "Sua senha foi alterada"}},
        {"reset_done",
         {"Every session of your account has ended. Log in with your new password.",
          "Todas as sessões da sua conta foram encerradas. Entre com a nova senha."}},
        {"log_in", {"Log in", "Entrar"}},
        // email verification
        {"verified_title", {"Your email address is confirmed", "Seu e-mail está confirmado"}},
        {"verified", {"Thank you: %s now belongs to your account.",
                      "Obrigado: %s agora pertence à sua conta."}},
        {"verify_invalid",
         {"It has expired, was used already, or a newer link was sent. Log in to ask for a new "
          "one.",
          "Ele expirou, já foi usado ou um link mais novo foi enviado. Entre na conta para pedir "
          "um novo."}},
        {"go_home", {"Go to your page", "Ir para a sua página"}},
        {"unverified_banner",
         {"Your email address is not confirmed yet. Open the link we sent to it.",
          "Seu e-mail ainda não foi confirmado. Abra o link que enviamos para ele."}},
        {"resend", {"Send the link again", "Enviar o link de novo"}},
        {"resent", {"We sent a new link. It may take a minute to arrive.",
                    "Enviamos um novo link. Ele pode levar um minuto para chegar."}},
        {"email_pending",
         {"We sent a link to your new address. The change takes effect once you open it.",
          "Enviamos um link para o novo endereço. A troca vale depois que você abri-lo."}},
        // two-step verification
        {"mfa_link", {"Two-step verification", "Verificação em duas etapas"}},
        {"mfa_title", {"Two-step verification", "Verificação em duas etapas"}},
        {"mfa_off",
         {"Two-step verification is off. With it on, a login needs a code from an "
          "authenticator app on your phone as well as your password.",
          "A verificação em duas etapas está desativada. Com ela ativa, entrar exige também um "
          "código de um aplicativo autenticador no seu celular, além da senha."}},
        {"mfa_on", {"Two-step verification is on.", "A verificação em duas etapas está ativa."}},
        {"mfa_start", {"Set it up", "Configurar"}},
        {"mfa_scan",
         {"Scan this code with your authenticator app, or type the key below into it. Then "
          "type the 6-digit code the app shows.",
          "Leia este código com o seu aplicativo autenticador ou digite nele a chave abaixo. "
          "Depois digite o código de 6 dígitos que o aplicativo mostra."}},
        {"qr_alt", {"QR code for your authenticator app", "Código QR para o aplicativo autenticador"}},
        {"secret_key", {"Key", "Chave"}},
        {"code", {"6-digit code", "Código de 6 dígitos"}},
        {"code_or_recovery",
         {"Code from your app, or a recovery code", "Código do aplicativo ou código de recuperação"}},
        {"confirm", {"Confirm", "Confirmar"}},
        {"recovery_title", {"Your recovery codes", "Seus códigos de recuperação"}},
        {"recovery_intro",
         {"Two-step verification is on. Keep these codes somewhere safe: each one logs you in "
          "once if you lose your phone. They are shown only now.",
          "A verificação em duas etapas está ativa. Guarde estes códigos em um lugar seguro: "
          "cada um permite entrar uma vez se você perder o celular. Eles aparecem só agora."}},
        {"done", {"Done", "Concluir"}},
        {"mfa_disable_intro",
         {"To turn it off, type your password and a current code.",
          "Para desativar, digite sua senha e um código atual."}},
        {"mfa_disable", {"Turn it off", "Desativar"}},
        {"password", {"Password", "Senha"}},
        {"login_mfa_title", {"Two-step verification", "Verificação em duas etapas"}},
        {"login_mfa_intro",
         {"Type the code your authenticator app shows, or one of your recovery codes.",
          "Digite o código que o seu aplicativo autenticador mostra ou um dos seus códigos de "
          "recuperação."}},
        {"verify", {"Verify", "Verificar"}},
        {"mfa_expired",
         {"The login took too long. Type your password again.",
          "A entrada demorou demais. Digite sua senha de novo."}},
        // user management
        {"search", {"Search", "Buscar"}},
        {"search_label", {"Username or email starts with", "Nome de usuário ou e-mail começa com"}},
        {"no_users", {"No user matches.", "Nenhum usuário encontrado."}},
        {"user_title", {"User %s", "Usuário %s"}},
        {"enabled", {"Enabled", "Ativo"}},
        {"verified_col", {"Email confirmed", "E-mail confirmado"}},
        {"mfa_col", {"Two-step verification", "Verificação em duas etapas"}},
        {"last_login", {"Last login", "Último acesso"}},
        {"never", {"Never", "Nunca"}},
        {"sessions_col", {"Active sessions", "Sessões ativas"}},
        {"yes", {"Yes", "Sim"}},
        {"no", {"No", "Não"}},
        {"actions", {"Actions", "Ações"}},
        {"disable_user", {"Disable the account", "Desativar a conta"}},
        {"enable_user", {"Enable the account", "Ativar a conta"}},
        {"set_roles", {"Save the roles", "Salvar os papéis"}},
        {"end_sessions", {"End all sessions", "Encerrar todas as sessões"}},
        {"reset_mfa", {"Turn off two-step verification", "Desativar a verificação em duas etapas"}},
        {"send_recovery", {"Send a password reset mail", "Enviar e-mail de redefinição de senha"}},
        {"all_users", {"All users", "Todos os usuários"}},
        {"done_disabled", {"The account was disabled and its sessions ended.",
                           "A conta foi desativada e suas sessões encerradas."}},
        {"done_enabled", {"The account was enabled.", "A conta foi ativada."}},
        {"done_roles", {"The roles were saved.", "Os papéis foram salvos."}},
        {"done_sessions", {"Every session of the account ended.",
                           "Todas as sessões da conta foram encerradas."}},
        {"done_mfa", {"Two-step verification was turned off; the user was told by mail.",
                      "A verificação em duas etapas foi desativada; o usuário foi avisado por e-mail."}},
        {"done_recovery", {"A password reset mail is on its way.",
                           "Um e-mail de redefinição de senha está a caminho."}},
        {"not_yourself", {"You cannot do this to your own account.",
                          "Você não pode fazer isso com a sua própria conta."}},
        {"roles", {"Roles", "Papéis"}},
    };
    return t;
}

}  // namespace

std::string_view tr(Lang lang, std::string_view key) {
    const auto& t = table();
    const auto it = t.find(key);
    if (it == t.end()) return key;
    return lang == Lang::pt_br ? it->second.pt : it->second.en;
}

std::vector<std::string_view> account_text_keys() {
    std::vector<std::string_view> keys;
    for (const auto& [key, both] : table()) keys.push_back(key);
    return keys;
}

}  // namespace routes
