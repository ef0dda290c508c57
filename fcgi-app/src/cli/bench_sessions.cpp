// `login-fcgi bench-sessions create|end`: many sessions at once for `make bench`, made by the
// program's own session store, so that the bench never copies the session format.
#include <iostream>
#include <sstream>

#include "app/services.hpp"
#include "cli/cli.hpp"
#include "store/errors.hpp"

namespace cli {
namespace {

constexpr const char* kUsage =
    "usage: login-fcgi bench-sessions create   < \"user_id generation\" lines\n"
    "       login-fcgi bench-sessions end      < \"user_id public_id\" lines\n"
    "create prints \"cookie_id public_id\" per session; development and benchmarks only.\n";

}  // namespace

int run_bench_sessions(const app::Config& config, const std::vector<std::string>& args,
                       std::istream& in, std::ostream& out) {
    const std::string verb = args.size() == 1 ? args[0] : "";
    if (verb != "create" && verb != "end") {
        std::cerr << kUsage;
        return 2;
    }
    if (config.production) {
        std::cerr << "login-fcgi bench-sessions: refused: LOGIN_PROFILE is production, and a "
                     "session is a login\n";
        return 1;
    }
    const service::Passwords passwords(config.scrypt);
    app::Services svc(config, passwords);
    const service::SessionOrigin origin{"", "login-fcgi bench-sessions"};
    std::string line;
    size_t line_number = 0;
    try {
        while (std::getline(in, line)) {
            ++line_number;
            std::istringstream fields(line);
            int64_t user_id = 0;
            if (verb == "create") {
                int generation = 0;
                if (!(fields >> user_id >> generation)) throw std::invalid_argument(line);
                const std::string id = svc.sessions.create(user_id, generation, origin);
                out << id << ' ' << service::SessionStore::public_id(id) << '\n';
            } else {
                std::string public_id;
                if (!(fields >> user_id >> public_id)) throw std::invalid_argument(line);
                svc.sessions.destroy_listed(user_id, public_id);
            }
        }
    } catch (const std::invalid_argument&) {
        std::cerr << "login-fcgi bench-sessions: line " << line_number << " is not "
                  << (verb == "create" ? "\"user_id generation\"" : "\"user_id public_id\"")
                  << "\n"
                  << kUsage;
        return 2;
    } catch (const store::RedisError& e) {
        std::cerr << "login-fcgi bench-sessions: redis error: " << e.what() << "\n";
        return 1;
    }
    out.flush();
    return 0;
}

}  // namespace cli
