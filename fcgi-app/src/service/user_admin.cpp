// User management with its audit trail.
#include "service/user_admin.hpp"

#include <algorithm>

#include "util/log.hpp"

namespace service {

UserAdmin::UserAdmin(Users& users, SessionStore& sessions, Mfa& mfa, Outbox& outbox)
    : users_(users), sessions_(sessions), mfa_(mfa), outbox_(outbox) {}

void UserAdmin::audit(const Actor& actor, const char* event, const model::User& target,
                      const std::string& detail_key, const std::string& detail) {
    std::vector<std::pair<std::string_view, std::string_view>> fields;
    const std::string admin = std::to_string(actor.admin_id);
    const std::string user = std::to_string(target.id);
    if (actor.admin_id != 0) {
        fields = {{"actor", "admin"},
                  {"admin_id", admin},
                  {"request_id", actor.request_id},
                  {"client_ip", actor.client_ip}};
    } else {
        fields = {{"actor", "cli"}, {"os_uid", actor.os_uid}};
    }
    fields.emplace_back("user_id", user);
    if (!detail_key.empty()) fields.emplace_back(detail_key, detail);
    util::log(util::LogLevel::info, event, fields);
}

AdminOutcome UserAdmin::set_enabled(const Actor& actor, const model::User& target, bool enabled) {
    if (!enabled && actor.is_self(target)) return AdminOutcome::refused_self;
    model::UserChange change;
    change.enabled = enabled;
    if (!users_.update(target.id, change)) return AdminOutcome::gone;
    if (!enabled) sessions_.destroy_others(target.id, "");
    audit(actor, enabled ? "user_enabled" : "user_disabled", target);
    return AdminOutcome::done;
}

AdminOutcome UserAdmin::set_roles(const Actor& actor, const model::User& target,
                                  const std::vector<std::string>& roles) {
    const bool keeps_admin = std::find(roles.begin(), roles.end(), "admin") != roles.end();
    if (actor.is_self(target) && !keeps_admin) return AdminOutcome::refused_self;
    model::UserChange change;
    change.roles = roles;
    if (!users_.update(target.id, change)) return AdminOutcome::gone;
    std::string joined;
    for (const auto& r : roles) joined += (joined.empty() ? "" : ",") + r;
    audit(actor, "user_roles_set", target, "roles", joined);
    return AdminOutcome::done;
}

AdminOutcome UserAdmin::end_sessions(const Actor& actor, const model::User& target) {
    if (!users_.end_sessions(target.id)) return AdminOutcome::gone;
    const size_t listed = sessions_.destroy_others(target.id, "");
    audit(actor, "sessions_revoked", target, "count", std::to_string(listed));
    return AdminOutcome::done;
}

AdminOutcome UserAdmin::reset_mfa(const Actor& actor, const model::User& target) {
    const bool was_on = mfa_.disable(target.id);
    if (was_on) outbox_.notice(MailKind::mfa_reset, target.id, "");
    audit(actor, "mfa_reset", target, "was_on", was_on ? "yes" : "no");
    return AdminOutcome::done;
}

AdminOutcome UserAdmin::send_recovery(const Actor& actor, const model::User& target,
                                      const std::string& lang) {
    outbox_.password_reset_for(target.id, lang);
    audit(actor, "recovery_mail_requested", target);
    return AdminOutcome::done;
}

}  // namespace service
