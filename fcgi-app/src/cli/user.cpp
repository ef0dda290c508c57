// `login-fcgi user ...`: the operator's user management, through the same services as the web
// routes (so the cache and the sessions follow exactly as they do there), each action audited.
#include <unistd.h>

#include <iostream>

#include "app/services.hpp"
#include "cli/args.hpp"
#include "cli/cli.hpp"
#include "service/validation.hpp"
#include "store/errors.hpp"
#include "util/log.hpp"
#include "util/text.hpp"

namespace cli {
namespace {

constexpr const char* kUsage =
    "usage: login-fcgi user create USERNAME --display-name TEXT --email ADDR [--role admin|user]\n"
    "       login-fcgi user disable USERNAME\n"
    "       login-fcgi user enable USERNAME\n"
    "       login-fcgi user set-roles USERNAME ROLE[,ROLE]\n"
    "       login-fcgi user set-password USERNAME\n"
    "       login-fcgi user end-sessions USERNAME\n"
    "       login-fcgi user reset-mfa USERNAME\n"
    "       login-fcgi user list [--after ID] [--limit N]\n"
    "create and set-password read the password from standard input (one line), never from\n"
    "the command line. Roles: admin, user.\n";

// A failure to report with exit code 1.
struct Failure : std::runtime_error {
    using std::runtime_error::runtime_error;
};

void audit(std::string_view event, const model::User& user,
           std::initializer_list<std::pair<std::string_view, std::string_view>> extra = {}) {
    const std::string uid = std::to_string(getuid());
    const std::string id = std::to_string(user.id);
    std::vector<std::pair<std::string_view, std::string_view>> fields{
        {"actor", "cli"}, {"os_uid", uid}, {"user_id", id}};
    fields.insert(fields.end(), extra.begin(), extra.end());
    util::log(util::LogLevel::info, event, fields);
}

std::vector<std::string> parse_roles(const std::string& text) {
    auto roles = util::split_commas(text);
    if (roles.empty()) throw UsageError("give at least one role");
    for (const auto& r : roles)
        if (!service::is_known_role(r)) throw UsageError("unknown role " + r + " (admin, user)");
    return roles;
}

class UserCommands {
public:
    explicit UserCommands(app::Services& svc) : svc_(svc) {}

    void create(const Args& a) {
        service::Registration form;
        form.username = a.word(1, "USERNAME");
        a.expect_words(2);
        auto name = a.flag("--display-name");
        auto email = a.flag("--email");
        if (!name) throw UsageError("--display-name is required");
        if (!email) throw UsageError("--email is required");
        form.display_name = *name;
        form.email = *email;
        form.roles = parse_roles(a.flag("--role").value_or("user"));
        if (form.roles.size() != 1) throw UsageError("--role takes one role; use set-roles for more");
        form.password = read_secret_line();
        auto result = svc_.accounts.register_user(form);
        if (auto* errors = std::get_if<service::FieldErrors>(&result)) throw Failure(errors_text(*errors));
        const auto& user = std::get<model::User>(result);
        audit("user_created", user, {{"roles", form.roles.front()}});
        std::cout << "created user " << user.username << " (id " << user.id << ")\n";
    }

    void set_enabled(const Args& a, bool enabled) {
        const auto user = find(a);
        check(svc_.user_admin.set_enabled(actor(), user, enabled), user);
        std::cout << (enabled ? "enabled " : "disabled ") << user.username
                  << (enabled ? "\n" : "; their sessions have ended\n");
    }

    void set_roles(const Args& a) {
        const auto user = find(a, 3);
        const std::string roles = a.word(2, "ROLES");
        check(svc_.user_admin.set_roles(actor(), user, parse_roles(roles)), user);
        std::cout << user.username << " now has the roles " << roles << "\n";
    }

    void reset_mfa(const Args& a) {
        const auto user = find(a);
        check(svc_.user_admin.reset_mfa(actor(), user), user);
        std::cout << "two-step verification of " << user.username
                  << " is off; they were told by mail\n";
    }

    void set_password(const Args& a) {
        const auto user = find(a);
        auto result = svc_.accounts.reset_password(user, read_secret_line());
        if (auto* errors = std::get_if<service::FieldErrors>(&result)) throw Failure(errors_text(*errors));
        if (!std::get<bool>(result)) throw Failure("user " + user.username + " is gone");
        svc_.sessions.destroy_others(user.id, "");
        audit("password_reset", user);
        std::cout << "password of " << user.username << " set; their sessions have ended\n";
    }

    void end_sessions(const Args& a) {
        const auto user = find(a);
        check(svc_.user_admin.end_sessions(actor(), user), user);
        std::cout << "ended every session of " << user.username << "\n";
    }

    void list(const Args& a) {
        a.expect_words(1);
        const int64_t after = a.flags.count("--after") ? a.number("--after", 0, INT64_MAX) : 0;
        const int limit = static_cast<int>(a.number("--limit", 100, 1000));
        std::cout << "id\tusername\tdisplay_name\temail\troles\tenabled\tcreated\tlast_login\n";
        for (const auto& u : svc_.users.list_after(after, limit)) {
            std::string roles;
            for (const auto& r : u.roles) roles += (roles.empty() ? "" : ",") + r;
            std::cout << u.id << "\t" << u.username << "\t" << u.display_name << "\t"
                      << u.email.value_or("-") << "\t" << roles << "\t"
                      << (u.enabled ? "yes" : "no") << "\t" << u.created_at << "\t"
                      << u.last_login_at.value_or("-") << "\n";
        }
    }

private:
    // The user named by word 1 (and nothing after word n-1).
    model::User find(const Args& a, size_t words = 2) {
        const std::string& username = a.word(1, "USERNAME");
        a.expect_words(words);
        auto user = svc_.users.find_by_username(username);
        if (!user) throw Failure("no user " + username);
        return *user;
    }

    // The operator, as the audit lines name them.
    static service::Actor actor() {
        service::Actor a;
        a.os_uid = std::to_string(getuid());
        return a;
    }

    static void check(service::AdminOutcome outcome, const model::User& user) {
        if (outcome == service::AdminOutcome::gone) throw Failure("user " + user.username + " is gone");
    }

    app::Services& svc_;
};

}  // namespace

int run_user(const app::Config& config, const std::vector<std::string>& args) {
    try {
        const Args a = Args::parse(args, {"--display-name", "--email", "--role", "--after", "--limit"});
        const std::string verb = a.word(0, "subcommand");
        if (verb == "help") {
            std::cout << kUsage;
            return 0;
        }
        const service::Passwords passwords(config.scrypt);
        app::Services svc(config, passwords);
        UserCommands commands(svc);
        if (verb == "create") commands.create(a);
        else if (verb == "disable") commands.set_enabled(a, false);
        else if (verb == "enable") commands.set_enabled(a, true);
        else if (verb == "set-roles") commands.set_roles(a);
        else if (verb == "set-password") commands.set_password(a);
        else if (verb == "end-sessions") commands.end_sessions(a);
        else if (verb == "reset-mfa") commands.reset_mfa(a);
        else if (verb == "list") commands.list(a);
        else throw UsageError("unknown subcommand " + verb);
    } catch (const UsageError& e) {
        std::cerr << "login-fcgi user: " << e.what() << "\n" << kUsage;
        return 2;
    } catch (const store::PgError& e) {
        std::cerr << "login-fcgi user: database error: " << e.what() << "\n";
        return 1;
    } catch (const store::RedisError& e) {
        std::cerr << "login-fcgi user: redis error: " << e.what() << "\n";
        return 1;
    } catch (const std::exception& e) {
        std::cerr << "login-fcgi user: " << e.what() << "\n";
        return 1;
    }
    return 0;
}

}  // namespace cli
