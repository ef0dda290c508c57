// Every sentence the service shows people, by id. Lower layers (validation, accounts, the
// error type) speak in ids; routes/messages.cpp writes each in English and Portuguese, and the
// compiler checks that both tables are complete. Nothing parses a sentence back.
#pragma once

#include <cstdint>

namespace model {

enum class MessageId : uint8_t {
    // fields people type
    username_length,
    username_charset,
    password_invalid,
    password_too_long,
    password_too_short,
    password_is_username,
    display_name_utf8,
    display_name_controls,
    display_name_invisible,
    display_name_required,
    display_name_too_long,
    email_shape,
    email_too_long,
    email_required,
    roles_invalid,
    // account outcomes
    username_taken,
    current_password_wrong,
    account_gone,
    email_needs_current_password,
    reauth_session_ended,
    // request errors
    admins_only,
    not_found,
    method_not_allowed,
    log_in_first,
    body_too_large,
    malformed_percent_encoding,
    fields_not_utf8,
    too_many_fields,
    send_a_form,
    before_not_user_id,
    which_session,
    cross_site,
    form_expired,
    too_many_requests,  // number: seconds to wait
    internal_error,
    unavailable,
    // accounts (issue #17): recovery, two-step verification, user management
    recovery_identifier_required,
    recovery_identifier_invalid,
    mfa_code_wrong,
    mfa_code_too_long,
    mfa_already_on,
    mfa_not_started,
    mfa_off,
    mfa_login_expired,
    admin_search_too_long,
    admin_enabled_value,
    admin_choose_a_role,
    count  // not a message: the size of the tables
};

struct Message {
    constexpr Message(MessageId message_id, int64_t value = 0) : id(message_id), number(value) {}

    MessageId id;
    int64_t number;  // the one value a message may carry (seconds for too_many_requests)

    bool operator==(const Message&) const = default;
};

}  // namespace model
