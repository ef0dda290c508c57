// The mails' words, in two languages.
#include "service/mail_texts.hpp"

#include "util/html.hpp"

namespace service {
namespace {

struct Words {
    std::string_view subject, greeting, body, action, footer;
};

// {minutes} and {detail} are replaced in body; {username} in greeting.
const Words& words(MailKind kind, bool pt) {
    static const Words en[] = {
        {"Reset your password", "Hello {username},",
         "Someone (we hope you) asked to reset the password of your account. The link below "
         "works once, for {minutes} minutes. If you did not ask for it, ignore this mail: your "
         "password stays as it is.",
         "Choose a new password", "This mail was sent automatically; replies are not read."},
        {"Your password was changed", "Hello {username},",
         "The password of your account was just changed, and every session of the account was "
         "ended. If you did not do this, reset your password now and tell our support.",
         "", "This mail was sent automatically; replies are not read."},
        {"Confirm your email address", "Hello {username},",
         "Confirm that this address belongs to your account by opening the link below (valid "
         "for {minutes} minutes). If you did not sign up or change your address, ignore this "
         "mail.",
         "Confirm my address", "This mail was sent automatically; replies are not read."},
        {"Your email address is being changed", "Hello {username},",
         "A change of your account's email address to {detail} was asked for. It takes effect "
         "only once the new address is confirmed; until then mail goes to this one. If you did "
         "not ask for it, change your password now.",
         "", "This mail was sent automatically; replies are not read."},
        {"Your two-step verification was turned off", "Hello {username},",
         "An administrator turned off two-step verification for your account, as you asked "
         "support to. Log in with your password and set it up again. If you did not ask for "
         "this, tell our support at once.",
         "", "This mail was sent automatically; replies are not read."},
    };
    static const Words pt_br[] = {
        {"Redefina sua senha", "Olá, {username},",
         "Alguém (esperamos que você) pediu para redefinir a senha da sua conta. O link abaixo "
         "funciona uma vez, por {minutes} minutos. Se você não pediu, ignore este e-mail: sua "
         "senha continua a mesma.",
         "Escolher uma nova senha",
         "Este e-mail foi enviado automaticamente; respostas não são lidas."},
        {"Sua senha foi alterada", "Olá, {username},",
         "A senha da sua conta acabou de ser alterada, e todas as sessões da conta foram "
         "encerradas. Se não foi você, redefina sua senha agora e avise o nosso suporte.",
         "", "Este e-mail foi enviado automaticamente; respostas não são lidas."},
        {"Confirme seu endereço de e-mail", "Olá, {username},",
         "Confirme que este endereço pertence à sua conta abrindo o link abaixo (válido por "
         "{minutes} minutos). Se você não se cadastrou nem mudou seu endereço, ignore este "
         "e-mail.",
         "Confirmar meu endereço",
         "Este e-mail foi enviado automaticamente; respostas não são lidas."},
        {"Seu endereço de e-mail está sendo alterado", "Olá, {username},",
         "Foi pedida a troca do e-mail da sua conta para {detail}. A troca só vale depois que o "
         "novo endereço for confirmado; até lá, os e-mails continuam vindo para este. Se não "
         "foi você, altere sua senha agora.",
         "", "Este e-mail foi enviado automaticamente; respostas não são lidas."},
        {"Sua verificação em duas etapas foi desativada", "Olá, {username},",
         "Um administrador desativou a verificação em duas etapas da sua conta, como você pediu "
         "ao suporte. Entre com sua senha e configure-a de novo. Se você não pediu isso, avise "
         "o nosso suporte imediatamente.",
         "", "Este e-mail foi enviado automaticamente; respostas não são lidas."},
    };
    const auto i = static_cast<size_t>(kind);
    return pt ? pt_br[i] : en[i];
}

std::string fill(std::string_view text, const MailFacts& f) {
    std::string out(text);
    auto replace = [&out](std::string_view key, const std::string& value) {
        for (size_t at; (at = out.find(key)) != std::string::npos;)
            out.replace(at, key.size(), value);
    };
    replace("{username}", f.username);
    replace("{minutes}", std::to_string(f.valid_minutes));
    replace("{detail}", f.detail);
    return out;
}

}  // namespace

MailContent mail_text(MailKind kind, std::string_view lang, const MailFacts& facts) {
    const bool pt = lang == "pt-BR";
    const Words& w = words(kind, pt);
    const std::string greeting = fill(w.greeting, facts);
    const std::string body = fill(w.body, facts);
    MailContent out;
    out.subject = std::string(w.subject);
    out.text = greeting + "\n\n" + body + "\n\n";
    if (!w.action.empty()) out.text += std::string(w.action) + ":\n" + facts.link + "\n\n";
    out.text += "-- \n" + std::string(w.footer) + "\n";
    static const util::Template html(R"(<!doctype html>
<html lang="{{lang}}">
<head><meta charset="utf-8"><title>{{subject}}</title></head>
<body style="font-family: sans-serif; line-height: 1.5; color: #1f2328; max-width: 36em">
<p>{{greeting}}</p>
<p>{{body}}</p>
{{{action}}}<p style="color: #59636e; font-size: 0.875em">{{footer}}</p>
</body>
</html>
)");
    static const util::Template action(
        R"(<p><a href="{{link}}" style="display: inline-block; padding: 0.6em 1.2em; background: #1f6feb; color: #ffffff; text-decoration: none; border-radius: 6px">{{label}}</a></p>
<p style="font-size: 0.875em">{{link}}</p>
)");
    const std::string action_html =
        w.action.empty() ? "" : action.render({{"link", facts.link}, {"label", w.action}});
    out.html = html.render({{"lang", pt ? "pt-BR" : "en"},
                            {"subject", w.subject},
                            {"greeting", greeting},
                            {"body", body},
                            {"action", action_html},
                            {"footer", w.footer}});
    return out;
}

}  // namespace service
