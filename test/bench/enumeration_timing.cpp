// The equal-time claim of login failures, measured: unknown username, wrong password, disabled
// account (with the right password), and a wrong password for an account whose hash predates the
// current cost (scrypt p=1 under p=5, until its next login re-hashes it), all against the running
// stack at the production scrypt cost. Each kind's median over interleaved samples must lie within
// 10 % of the others'. A benchmark-style check: `make bench` runs it (bench/run.sh) and prints its
// numbers; it is never part of `make test`.
//
// Environment: TEST_BASE_URL (the stack, http://127.0.0.1:8080), TIMING_PG_URL (its database as a
// superuser), TIMING_SAMPLES (40 per kind), TIMING_TOLERANCE (0.10).
// Exit status: 0 when the medians agree, 1 when they do not, 2 when it could not measure.
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <iostream>
#include <random>
#include <stdexcept>
#include <string>
#include <vector>

#include "http/parse.hpp"
#include "service/passwords.hpp"
#include "store/pg.hpp"
#include "support/env.hpp"
#include "support/http_client.hpp"
#include "util/text.hpp"

namespace {

using testing_support::random_suffix;

struct Kind {
    std::string name;
    std::vector<std::string> usernames;  // one per sample, each used once
    std::string password;                // what the sample sends
    std::vector<double> ms;
};

std::string env_or(const char* name, const std::string& fallback) {
    const char* v = std::getenv(name);
    return v && *v ? v : fallback;
}

// Throw-away accounts that share one hash (made once: hashing is the slow part), deleted at exit.
class Accounts {
  public:
    explicit Accounts(const std::string& url) : pg_(url) {
        pg_.define("timing_insert",
                   "INSERT INTO users (username, display_name, email, password_hash, enabled)"
                   " VALUES ($1, 'Timing', $1 || '@example.com', $2, $3)");
    }
    ~Accounts() {
        try {
            pg_.exec_sql("DELETE FROM users WHERE username LIKE 'timing-" + run_ + "-%'");
        } catch (...) {
        }
    }
    std::vector<std::string> make(int n, const std::string& hash, bool enabled) {
        std::vector<std::string> names;
        for (int i = 0; i < n; ++i) {
            names.push_back("timing-" + run_ + "-" + random_suffix().substr(0, 10));
            pg_.exec("timing_insert", {names.back(), hash, enabled ? "t" : "f"});
        }
        return names;
    }

  private:
    store::Pg pg_;
    std::string run_ = random_suffix().substr(0, 6);
};

// Each sample from a loopback address of its own, so that no per-address or per-network limit
// counts the measurement's own failures; each account is used once, so no account limit does.
std::string fresh_address(std::mt19937& rng) {
    std::uniform_int_distribution<int> octet(1, 254);
    return "127." + std::to_string(octet(rng)) + "." + std::to_string(octet(rng)) + "." +
           std::to_string(octet(rng));
}

double median(std::vector<double> v) {
    std::sort(v.begin(), v.end());
    const size_t n = v.size();
    return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

}  // namespace

int main() try {
    const int samples = std::stoi(env_or("TIMING_SAMPLES", "40"));
    const double tolerance = std::stod(env_or("TIMING_TOLERANCE", "0.10"));
    const app::ScryptParams production{};  // the defaults are the production cost
    const app::ScryptParams before_upgrade{production.N, production.r, 1};
    std::printf("timing: scrypt N=%llu r=%u p=%u; %d interleaved samples per kind\n",
                static_cast<unsigned long long>(production.N), production.r, production.p, samples);

    Accounts accounts(testing_support::require_env("TIMING_PG_URL"));
    const std::string right = "timing-right-password";
    const std::string current_hash = service::Passwords(production).hash(right);
    const std::string old_hash = service::Passwords(before_upgrade).hash(right);
    std::vector<Kind> kinds = {
        {"unknown user", {}, right, {}},
        {"wrong password", accounts.make(samples, current_hash, true), "not-the-password", {}},
        {"disabled account", accounts.make(samples, current_hash, false), right, {}},
        {"wrong password, p=1 hash",
         accounts.make(samples, old_hash, true),
         "not-the-password",
         {}},
    };
    for (int i = 0; i < samples; ++i)
        kinds[0].usernames.push_back("timing-nobody-" + random_suffix());

    std::mt19937 rng(std::random_device{}());
    std::vector<size_t> order(kinds.size());
    for (size_t k = 0; k < order.size(); ++k) order[k] = k;
    for (int i = 0; i < samples; ++i) {
        std::shuffle(order.begin(), order.end(), rng);  // interleaved, in a new order each round
        for (size_t k : order) {
            Kind& kind = kinds[k];
            const testing_support::HttpRequest req{
                "POST",
                "/login",
                {"Content-Type: application/x-www-form-urlencoded"},
                "username=" + kind.usernames[i] + "&password=" + util::url_encode(kind.password),
                true,
                fresh_address(rng)};
            const auto start = std::chrono::steady_clock::now();
            const auto r = testing_support::send(req);
            const double ms =
                std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start)
                    .count();
            if (r.status != 303 || r.header("location") != "/login?error=1") {
                std::fprintf(stderr, "timing: %s got %ld %s, not the generic failure\n",
                             kind.name.c_str(), r.status, r.header("location").c_str());
                return 2;
            }
            kind.ms.push_back(ms);
        }
    }

    double lo = 1e300, hi = 0;
    for (const auto& k : kinds) {
        const double m = median(k.ms);
        lo = std::min(lo, m);
        hi = std::max(hi, m);
    }
    const double base = median(kinds[0].ms);
    for (const auto& k : kinds)
        std::printf("timing: %-26s median %7.1f ms  (%.3fx unknown user)\n", k.name.c_str(),
                    median(k.ms), median(k.ms) / base);
    const double spread = hi / lo - 1;
    const bool ok = spread <= tolerance;
    std::printf("timing: spread of the medians %.1f%% (limit %.0f%%): %s\n", spread * 100,
                tolerance * 100, ok ? "PASS" : "FAIL");
    return ok ? 0 : 1;
} catch (const std::exception& e) {
    std::fprintf(stderr, "timing: %s\n", e.what());
    return 2;
}
