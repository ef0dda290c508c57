// `login-fcgi client ...`: create, rotate, revoke and list the API's client applications.
#include <iostream>
#include <optional>

#include "app/services.hpp"
#include "cli/args.hpp"
#include "cli/cli.hpp"
#include "store/errors.hpp"
#include "util/text.hpp"

namespace cli {
namespace {

constexpr const char* kUsage =
    "usage: login-fcgi client create NAME --scope SCOPE [--scope SCOPE] [--token TOKEN]\n"
    "       login-fcgi client token NAME          add a second token (rotation)\n"
    "       login-fcgi client revoke NAME [--token-id ID]\n"
    "       login-fcgi client list\n"
    "scopes: users:read, users:write. A new token is printed once; only its SHA-256 is kept.\n"
    "--token imports a known token; in production it must be at least 32 random characters.\n";

}  // namespace

int run_client(const app::Config& config, const std::vector<std::string>& args) {
    try {
        const Args a = Args::parse(args, {"--scope", "--token", "--token-id"});
        const std::string verb = a.word(0, "subcommand");
        if (verb == "help") {
            std::cout << kUsage;
            return 0;
        }
        const service::Passwords passwords(config.scrypt);
        app::Services svc(config, passwords);
        if (verb == "create") {
            const std::string& name = a.word(1, "NAME");
            a.expect_words(2);
            const auto token = a.flag("--token");
            // An imported token must be as unguessable as a generated one, except for the
            // development demo client.
            if (token && config.production && !service::looks_random_token(*token))
                throw std::invalid_argument(
                    "--token must be at least 32 random characters in production (no words, "
                    "no runs like 0123); or leave it out to get a generated one");
            std::cout << svc.api_clients.create(name, a.all("--scope"), token) << "\n";
        } else if (verb == "token") {
            const std::string& name = a.word(1, "NAME");
            a.expect_words(2);
            std::cout << svc.api_clients.add_token(name) << "\n";
        } else if (verb == "revoke") {
            const std::string& name = a.word(1, "NAME");
            a.expect_words(2);
            std::optional<int64_t> token_id;
            if (a.flag("--token-id")) token_id = a.number("--token-id", 0, INT64_MAX);
            const size_t n = svc.api_clients.revoke(name, token_id);
            std::cout << "revoked " << n << " token" << (n == 1 ? "" : "s") << "\n";
        } else if (verb == "list") {
            a.expect_words(1);
            std::cout << "token_id\tclient\tscopes\tcreated\tlast_used\trevoked\n";
            for (const auto& t : svc.api_clients.list())
                std::cout << t.id << "\t" << t.client << "\t" << t.scopes << "\t" << t.created_at
                          << "\t" << t.last_used_at.value_or("-") << "\t"
                          << t.revoked_at.value_or("-") << "\n";
        } else {
            throw UsageError("unknown subcommand " + verb);
        }
    } catch (const UsageError& e) {
        std::cerr << "login-fcgi client: " << e.what() << "\n" << kUsage;
        return 2;
    } catch (const store::PgError& e) {
        std::cerr << "login-fcgi client: database error: " << e.what() << "\n";
        return 1;
    } catch (const store::RedisError& e) {
        std::cerr << "login-fcgi client: redis error: " << e.what() << "\n";
        return 1;
    } catch (const std::exception& e) {
        std::cerr << "login-fcgi client: " << e.what() << "\n";
        return 1;
    }
    return 0;
}

}  // namespace cli
