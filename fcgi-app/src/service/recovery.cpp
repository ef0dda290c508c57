// Password recovery.
#include "service/recovery.hpp"

#include "util/text.hpp"

namespace service {

std::optional<model::Message> check_recovery_identifier(std::string_view identifier) {
    if (identifier.empty()) return model::MessageId::recovery_identifier_required;
    if (identifier.size() > 254 || util::has_control_chars(identifier) ||
        !util::is_valid_utf8(identifier))
        return model::MessageId::recovery_identifier_invalid;
    return std::nullopt;
}

Recovery::Recovery(Users& users, Accounts& accounts, AccountTokens& tokens,
                   SessionStore& sessions, Outbox& outbox)
    : users_(users), accounts_(accounts), tokens_(tokens), sessions_(sessions), outbox_(outbox) {}

void Recovery::request(std::string_view identifier, std::string_view lang) {
    outbox_.password_reset(util::ascii_lower(identifier), lang);
}

std::optional<model::User> Recovery::holder(std::string_view token) {
    auto grant = tokens_.peek(TokenPurpose::password_reset, token);
    if (!grant) return std::nullopt;
    auto user = users_.get(grant->user_id);
    if (!user || !user->enabled) return std::nullopt;
    return user;
}

std::variant<Recovery::Done, FieldErrors> Recovery::reset(std::string_view token,
                                                          const std::string& new_password,
                                                          std::string_view lang) {
    if (auto e = check_password_input(new_password)) return FieldErrors{{"new_password", *e}};
    auto user = holder(token);
    if (!user) return Done{};
    if (auto e = check_new_password(new_password, user->username))
        return FieldErrors{{"new_password", *e}};
    // Used up before the change: two concurrent posts of one link set one password.
    if (!tokens_.redeem(TokenPurpose::password_reset, token)) return Done{};
    auto result = accounts_.reset_password(*user, new_password, lang);
    if (auto* errors = std::get_if<FieldErrors>(&result)) return *errors;
    if (!std::get<bool>(result)) return Done{};
    sessions_.destroy_others(user->id, "");  // the generation moved on; this tidies the list
    return Done{user->id};
}

}  // namespace service
