// `login-fcgi demo-seed` and `login-fcgi routes`: the development demo data, and the route
// table for operators and reviewers.
#include <iostream>

#include "app/services.hpp"
#include "cli/args.hpp"
#include "cli/cli.hpp"
#include "routes/routes.hpp"
#include "store/errors.hpp"
#include "util/log.hpp"

namespace cli {
namespace {

struct DemoUser {
    const char* username;
    const char* display_name;
    const char* email;
    const char* role;
};

constexpr DemoUser kDemoUsers[] = {
    {"admin1", "Admin One", "admin1@example.com", "admin"},
    {"user1", "User One", "user1@example.com", "user"},
};
constexpr const char* kDemoClient = "reporting";
constexpr const char* kDemoClientToken = "dev-reporting-token-0123456789abcdef";

}  // namespace

int run_demo_seed(const app::Config& config, const std::string& password) {
    if (config.production) {
        std::cerr << "login-fcgi demo-seed: refused: LOGIN_PROFILE is production, and the demo "
                     "accounts have a published password\n";
        return 1;
    }
    try {
        const service::Passwords passwords(config.scrypt);
        app::Services svc(config, passwords);
        for (const auto& demo : kDemoUsers) {
            if (svc.users.find_by_username(demo.username)) {
                std::cout << "seed: " << demo.username << " already present\n";
                continue;
            }
            // Demo addresses count as verified: no mail, and no banner on the demo pages.
            service::Registration form{demo.username, demo.display_name, demo.email, password,
                                       {demo.role}, "en", true};
            auto result = svc.accounts.register_user(form);
            if (auto* errors = std::get_if<service::FieldErrors>(&result)) {
                std::cerr << "login-fcgi demo-seed: " << demo.username << ": "
                          << errors_text(*errors) << "\n";
                return 1;
            }
            util::log(util::LogLevel::info, "user_created",
                      {{"actor", "demo-seed"}, {"user_id", std::to_string(std::get<model::User>(result).id)}});
            std::cout << "seed: created " << demo.username << "\n";
        }
        bool client_present = false;
        for (const auto& t : svc.api_clients.list()) client_present |= t.client == kDemoClient;
        if (client_present) {
            std::cout << "seed: API client " << kDemoClient << " already present\n";
        } else {
            svc.api_clients.create(kDemoClient, {"users:read"}, std::string(kDemoClientToken));
            std::cout << "seed: created API client " << kDemoClient << " (scope users:read)\n";
        }
    } catch (const store::PgError& e) {
        std::cerr << "login-fcgi demo-seed: database error: " << e.what() << "\n";
        return 1;
    } catch (const store::RedisError& e) {
        std::cerr << "login-fcgi demo-seed: redis error: " << e.what() << "\n";
        return 1;
    } catch (const std::exception& e) {
        std::cerr << "login-fcgi demo-seed: " << e.what() << "\n";
        return 1;
    }
    return 0;
}

int run_routes() {
    std::cout << "method\tpath\tpool\taccess\tcsrf\n";
    for (const auto& row : routes::route_table()) {
        std::string access(routes::name(row.access));
        if (row.access == routes::Access::client) access += ":" + std::string(row.scope);
        std::cout << row.method << "\t" << row.pattern << "\t" << routes::name(row.pool) << "\t"
                  << access << "\t" << routes::name(row.csrf) << "\n";
    }
    return 0;
}

}  // namespace cli
