// `login-fcgi client ...`: create, rotate, revoke and list the API's client applications.
#include "cli.hpp"

#include <iostream>
#include <optional>

#include "service/api_clients.hpp"
#include "store/errors.hpp"
#include "store/pg.hpp"
#include "store/redis.hpp"
#include "util/text.hpp"

namespace app {
namespace {

constexpr const char* kUsage =
    "usage: login-fcgi client create NAME --scope SCOPE [--scope SCOPE] [--token TOKEN]\n"
    "       login-fcgi client token NAME          add a second token (rotation)\n"
    "       login-fcgi client revoke NAME [--token-id ID]\n"
    "       login-fcgi client list\n"
    "scopes: users:read, users:write. A new token is printed once; only its SHA-256 is kept.\n"
    "--token imports a known token (development only).\n";

struct Parsed {
    std::string verb;
    std::string name;
    std::vector<std::string> scopes;
    std::optional<std::string> token;
    std::optional<int64_t> token_id;
};

Parsed parse(const std::vector<std::string>& args) {
    Parsed p;
    if (args.empty()) throw std::invalid_argument("missing subcommand");
    p.verb = args[0];
    size_t i = 1;
    if (p.verb != "list") {
        if (args.size() < 2 || args[1].starts_with("--")) throw std::invalid_argument("missing NAME");
        p.name = args[1];
        i = 2;
    }
    for (; i < args.size(); ++i) {
        const std::string& flag = args[i];
        if (i + 1 >= args.size()) throw std::invalid_argument(flag + " needs a value");
        const std::string& value = args[++i];
        if (flag == "--scope") {
            p.scopes.push_back(value);
        } else if (flag == "--token") {
            p.token = value;
        } else if (flag == "--token-id") {
            auto id = util::parse_uint(value, INT64_MAX);
            if (!id) throw std::invalid_argument("--token-id must be a number");
            p.token_id = static_cast<int64_t>(*id);
        } else {
            throw std::invalid_argument("unknown option " + flag);
        }
    }
    return p;
}

}  // namespace

int run_client_command(const Config& config, const std::vector<std::string>& args) {
    Parsed p;
    try {
        p = parse(args);
    } catch (const std::invalid_argument& e) {
        std::cerr << "login-fcgi client: " << e.what() << "\n" << kUsage;
        return 2;
    }
    store::Pg pg(config.database_url, config.database_password);
    store::Redis redis(config.cache_redis(), metrics::Store::redis_cache,
                       config.cache_redis_auth());  // the token cache
    store::ApiClientStore store(pg);
    service::ApiClients clients(store, redis, config.key_prefix);
    try {
        if (p.verb == "create") {
            std::cout << clients.create(p.name, p.scopes, p.token) << "\n";
        } else if (p.verb == "token") {
            std::cout << clients.add_token(p.name) << "\n";
        } else if (p.verb == "revoke") {
            const size_t n = clients.revoke(p.name, p.token_id);
            std::cout << "revoked " << n << " token" << (n == 1 ? "" : "s") << "\n";
        } else if (p.verb == "list") {
            std::cout << "token_id\tclient\tscopes\tcreated\tlast_used\trevoked\n";
            for (const auto& t : store.list())
                std::cout << t.id << "\t" << t.client << "\t" << t.scopes << "\t" << t.created_at
                          << "\t" << t.last_used_at.value_or("-") << "\t"
                          << t.revoked_at.value_or("-") << "\n";
        } else {
            std::cerr << "login-fcgi client: unknown subcommand " << p.verb << "\n" << kUsage;
            return 2;
        }
    } catch (const std::invalid_argument& e) {
        std::cerr << "login-fcgi client: " << e.what() << "\n";
        return 1;
    } catch (const store::PgError& e) {
        std::cerr << "login-fcgi client: database error: " << e.what() << "\n";
        return 1;
    } catch (const store::RedisError& e) {
        std::cerr << "login-fcgi client: redis error: " << e.what() << "\n";
        return 1;
    }
    return 0;
}

}  // namespace app
