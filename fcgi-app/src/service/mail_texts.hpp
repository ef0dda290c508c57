// What each mail says, in English and Brazilian Portuguese: the subject, the plain text and
// the HTML of every kind of mail the mailer sends.
#pragma once

#include <string>
#include <string_view>

#include "service/mime.hpp"

namespace service {

enum class MailKind {
    password_reset,       // link: the reset page with its token
    password_changed,     // a notice after a reset or a change
    verify_email,         // link: the verification page with its token
    email_change_notice,  // to the old address: a new one was asked for (detail: the new one)
    mfa_reset,            // an admin turned the second factor off
};

struct MailFacts {
    std::string username;
    std::string link;    // absolute URL, for the kinds that carry one
    std::string detail;  // email_change_notice: the new address
    int valid_minutes = 0;
};

// The mail in lang ("pt-BR", else English). Every value is escaped in the HTML part.
MailContent mail_text(MailKind kind, std::string_view lang, const MailFacts& facts);

}  // namespace service
