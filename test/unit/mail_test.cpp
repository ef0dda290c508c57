#define BOOST_TEST_MODULE unit_mail
#include <boost/test/unit_test.hpp>
// Covers the pure parts of mail: the MIME text (service/mime), the words of each mail in both
// languages (service/mail_texts), the mailer's retry delays, the shape check of one-time tokens,
// and the account pages' string table (routes/account_text).

#include <string>

#include "routes/account_text.hpp"
#include "service/account_tokens.hpp"
#include "service/mail_texts.hpp"
#include "service/mailer.hpp"
#include "service/mime.hpp"
#include "util/crypto.hpp"
#include "util/text.hpp"

namespace {

service::MailEnvelope envelope() {
    service::MailEnvelope e;
    e.from = "Acme <no-reply@example.com>";
    e.to = "person@example.org";
    e.lang = "pt-BR";
    e.message_id = "abc@example.com";
    e.date = 1796204065;  // Wed, 02 Dec 2026 09:34:25 UTC
    return e;
}

// The decoded body of the part of this type.
std::string part(const std::string& mime, const std::string& type) {
    const size_t at = mime.find("Content-Type: " + type);
    const size_t body = mime.find("\r\n\r\n", at) + 4;
    const size_t end = mime.find("\r\n--", body);
    std::string b64;
    for (size_t i = body; i < end; ++i)
        if (mime[i] != '\r' && mime[i] != '\n') b64 += mime[i];
    return util::base64_decode(b64).value_or("<bad base64>");
}

}  // namespace

BOOST_AUTO_TEST_CASE(the_date_header_is_rfc5322_in_utc) {
    BOOST_TEST(service::rfc5322_date(1796204065) == "Wed, 02 Dec 2026 09:34:25 +0000");
    BOOST_TEST(service::rfc5322_date(0) == "Thu, 01 Jan 1970 00:00:00 +0000");
}

BOOST_AUTO_TEST_CASE(message_ids_are_random_at_the_from_domain) {
    const std::string a = service::new_message_id("Acme <no-reply@mail.example.com>");
    const std::string b = service::new_message_id("Acme <no-reply@mail.example.com>");
    BOOST_TEST(a != b);
    BOOST_TEST(a.size() == 32u + 1u + std::string("mail.example.com").size());
    BOOST_TEST(a.substr(32) == "@mail.example.com");
}

BOOST_AUTO_TEST_CASE(a_message_has_the_headers_and_both_alternatives_with_crlf_line_ends) {
    const service::MailContent content{"Seu endereço", "Olá\nlinha 2\n", "<p>Olá</p>"};
    const std::string m = service::build_mime(envelope(), content);
    BOOST_TEST(m.rfind("Date: Wed, 02 Dec 2026 09:34:25 +0000\r\n", 0) == 0);
    BOOST_TEST(m.find("\r\nMessage-ID: <abc@example.com>\r\n") != std::string::npos);
    BOOST_TEST(m.find("\r\nFrom: Acme <no-reply@example.com>\r\n") != std::string::npos);
    BOOST_TEST(m.find("\r\nTo: person@example.org\r\n") != std::string::npos);
    // RFC 2047: "Seu endereço" in UTF-8, base64.
    BOOST_TEST(m.find("\r\nSubject: =?UTF-8?B?U2V1IGVuZGVyZcOnbw==?=\r\n") != std::string::npos);
    BOOST_TEST(m.find("\r\nContent-Language: pt-BR\r\n") != std::string::npos);
    BOOST_TEST(m.find("\r\nAuto-Submitted: auto-generated\r\n") != std::string::npos);
    BOOST_TEST(m.find("multipart/alternative; boundary=") != std::string::npos);
    BOOST_TEST(part(m, "text/plain") == content.text);
    BOOST_TEST(part(m, "text/html") == content.html);
    // Every line ends in CRLF and none is longer than 998 characters (RFC 5322).
    size_t start = 0;
    for (size_t at; (at = m.find('\n', start)) != std::string::npos; start = at + 1) {
        BOOST_TEST_REQUIRE(at > 0);
        BOOST_TEST(m[at - 1] == '\r');
        BOOST_TEST(at - start <= 998u);
    }
}

BOOST_AUTO_TEST_CASE(header_injection_is_refused) {
    auto e = envelope();
    e.to = "a@example.org\r\nBcc: everyone@example.org";
    BOOST_CHECK_THROW(service::build_mime(e, {"s", "t", "h"}), std::invalid_argument);
    BOOST_CHECK_THROW(service::build_mime(envelope(), {"s\nBcc: x@y.z", "t", "h"}),
                      std::invalid_argument);
}

BOOST_AUTO_TEST_CASE(every_mail_exists_in_both_languages_and_escapes_its_values) {
    using service::MailKind;
    service::MailFacts facts;
    facts.username = "<b>eve</b>";
    facts.link = "http://127.0.0.1:8080/password/reset?token=abc&x=1";
    facts.detail = "new@example.org";
    facts.valid_minutes = 30;
    for (const MailKind kind : {MailKind::password_reset, MailKind::password_changed,
                                MailKind::verify_email, MailKind::email_change_notice,
                                MailKind::mfa_reset}) {
        const auto en = service::mail_text(kind, "en", facts);
        const auto pt = service::mail_text(kind, "pt-BR", facts);
        BOOST_TEST_CONTEXT(static_cast<int>(kind)) {
            BOOST_TEST(!en.subject.empty());
            BOOST_TEST(en.subject != pt.subject);
            BOOST_TEST(en.text.find("<b>eve</b>") != std::string::npos);  // plain text as is
            BOOST_TEST(en.html.find("<b>eve</b>") == std::string::npos);  // escaped in HTML
            BOOST_TEST(en.html.find("&lt;b&gt;eve&lt;/b&gt;") != std::string::npos);
            BOOST_TEST(pt.html.find("<html lang=\"pt-BR\">") != std::string::npos);
            BOOST_TEST(en.text.find('{') == std::string::npos);  // every placeholder filled
            BOOST_TEST(pt.text.find('{') == std::string::npos);
        }
    }
    const auto reset = service::mail_text(MailKind::password_reset, "en", facts);
    BOOST_TEST(reset.text.find(facts.link) != std::string::npos);
    BOOST_TEST(reset.text.find("30 minutes") != std::string::npos);
    BOOST_TEST(reset.html.find("token=abc&amp;x=1") != std::string::npos);
    const auto notice = service::mail_text(MailKind::email_change_notice, "pt-BR", facts);
    BOOST_TEST(notice.text.find("new@example.org") != std::string::npos);
}

BOOST_AUTO_TEST_CASE(retries_wait_longer_each_time) {
    using service::Mailer;
    BOOST_TEST(Mailer::retry_delay_ms(2, 30) == 30000);
    BOOST_TEST(Mailer::retry_delay_ms(3, 30) == 60000);
    BOOST_TEST(Mailer::retry_delay_ms(4, 30) == 120000);
    BOOST_TEST(Mailer::retry_delay_ms(6, 1) == 16000);
    BOOST_TEST(Mailer::retry_delay_ms(1000, 1) == 65536000);  // bounded doubling
}

BOOST_AUTO_TEST_CASE(only_token_shaped_strings_reach_redis) {
    BOOST_TEST(service::is_token_shaped(util::random_token(32)));
    BOOST_TEST(!service::is_token_shaped(""));
    BOOST_TEST(!service::is_token_shaped(util::random_token(31)));
    BOOST_TEST(!service::is_token_shaped(std::string(42, 'a') + "*"));
    BOOST_TEST(!service::is_token_shaped(std::string(42, 'a') + "="));
}

BOOST_AUTO_TEST_CASE(every_account_page_text_exists_in_both_languages) {
    const auto keys = routes::account_text_keys();
    BOOST_TEST(keys.size() > 50u);
    for (const auto key : keys) {
        BOOST_TEST_CONTEXT(key) {
            const auto en = routes::tr(routes::Lang::en, key);
            const auto pt = routes::tr(routes::Lang::pt_br, key);
            BOOST_TEST(!en.empty());
            BOOST_TEST(!pt.empty());
            BOOST_TEST(en != key);
        }
    }
    BOOST_TEST(routes::tr(routes::Lang::en, "no-such-key") == "no-such-key");
}
