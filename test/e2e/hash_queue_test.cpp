// Hashing under attack. Each auth host takes at most TEST_HASH_SLOTS password-hashing requests (its
// workers plus a short queue), counted only once a request's body is complete; the rest get 503
// with Retry-After at once. One client address may hold TEST_HASH_PER_ADDRESS hashing requests open
// and send TEST_HASH_BURST at once; beyond that, 429. No global "no 5xx" check here: 503 is the
// point.
#define BOOST_TEST_MODULE e2e_hash_queue
#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <signal.h>
#include <sys/socket.h>
#include <unistd.h>

#include <boost/test/unit_test.hpp>
#include <fstream>
#include <memory>
#include <thread>

#include "e2e/fixtures.hpp"
#include "http/parse.hpp"
#include "support/processes.hpp"
#include "util/text.hpp"

using namespace testing_support;
using e2e::fresh_loopback_address;

namespace {

constexpr const char* kForm = "Content-Type: application/x-www-form-urlencoded";

int slots() { return std::stoi(require_env("TEST_HASH_SLOTS")); }
int per_address() {
    return std::stoi(require_env("TEST_HASH_PER_ADDRESS"));
}

int http_port() {
    const std::string base = require_env("TEST_BASE_URL");
    return std::stoi(base.substr(base.rfind(':') + 1));
}

std::string login_body(const e2e::TestUser& user) {
    return "username=" + util::url_encode(user.username()) +
           "&password=" + util::url_encode(user.password());
}

// A POST /login whose body trickles in: headers announce 2,000 bytes, then a byte comes only when
// trickle() is called. Sent from `source`, as a slow client on a bad network (or an attacker)
// would.
class SlowLogin {
  public:
    explicit SlowLogin(const std::string& source) : fd_(socket(AF_INET, SOCK_STREAM, 0)) {
        BOOST_TEST_REQUIRE(fd_ >= 0);
        sockaddr_in from{};
        from.sin_family = AF_INET;
        inet_pton(AF_INET, source.c_str(), &from.sin_addr);
        BOOST_TEST_REQUIRE(bind(fd_, reinterpret_cast<sockaddr*>(&from), sizeof from) == 0);
        sockaddr_in to{};
        to.sin_family = AF_INET;
        to.sin_port = htons(static_cast<uint16_t>(http_port()));
        inet_pton(AF_INET, "127.0.0.1", &to.sin_addr);
        BOOST_TEST_REQUIRE(connect(fd_, reinterpret_cast<sockaddr*>(&to), sizeof to) == 0);
        const std::string head =
            "POST /login HTTP/1.1\r\nHost: 127.0.0.1\r\n"
            "Content-Type: application/x-www-form-urlencoded\r\nContent-Length: 2000\r\n\r\n"
            "username=";
        BOOST_TEST_REQUIRE(write(fd_, head.data(), head.size()) ==
                           static_cast<ssize_t>(head.size()));
        fcntl(fd_, F_SETFL, fcntl(fd_, F_GETFL) | O_NONBLOCK);
    }
    ~SlowLogin() { close(fd_); }
    SlowLogin(const SlowLogin&) = delete;
    SlowLogin& operator=(const SlowLogin&) = delete;

    // One more byte of the body (ignored once the server has answered and closed).
    void trickle() { [[maybe_unused]] auto n = send(fd_, "a", 1, MSG_NOSIGNAL); }

    // The status the server answered with so far, or 0 while it is still waiting for the body.
    int status() {
        char buf[512];
        const ssize_t n = recv(fd_, buf, sizeof buf, 0);
        if (n > 0) answer_.append(buf, static_cast<size_t>(n));
        if (answer_.size() < 12) return 0;
        return std::stoi(answer_.substr(9, 3));  // "HTTP/1.1 429 ..."
    }

  private:
    int fd_;
    std::string answer_;
};

using SlowLogins = std::vector<std::unique_ptr<SlowLogin>>;

// Opens n slow logins from each address and gives nginx a moment to decide on each.
SlowLogins open_slow_logins(const std::vector<std::string>& sources, int n) {
    SlowLogins out;
    for (const auto& source : sources)
        for (int i = 0; i < n; ++i) out.push_back(std::make_unique<SlowLogin>(source));
    std::this_thread::sleep_for(std::chrono::milliseconds(500));
    return out;
}

// How many of the slow logins got each answer so far (0: none, still held open).
std::map<int, int> statuses(SlowLogins& logins) {
    std::map<int, int> count;
    for (auto& l : logins) ++count[l->status()];
    return count;
}

// A real login from an address of its own while the slow ones keep trickling a byte a second.
HttpResponse login_beside(SlowLogins& slow, const e2e::TestUser& user) {
    std::atomic<bool> done = false;
    std::thread trickler([&] {
        while (!done) {
            for (auto& l : slow) l->trickle();
            for (int i = 0; i < 10 && !done; ++i)
                std::this_thread::sleep_for(std::chrono::milliseconds(100));
        }
    });
    const auto r =
        send({"POST", "/login", {kForm}, login_body(user), true, fresh_loopback_address()});
    done = true;
    trickler.join();
    return r;
}

// The auth pool's workers, stopped (SIGSTOP) for as long as this lives: whatever nginx admits
// then waits at the workers, unanswered, and can be counted.
class FrozenAuthWorkers {
  public:
    FrozenAuthWorkers() {
        std::ifstream pidfile(require_env("TEST_STACK_DIR") + "/run/auth.pid");
        pid_t supervisor = 0;
        pidfile >> supervisor;
        BOOST_TEST_REQUIRE(supervisor > 0);
        workers_ = children_of(supervisor);
        BOOST_TEST_REQUIRE(workers_.size() == std::stoul(require_env("TEST_AUTH_WORKERS")));
        for (pid_t pid : workers_) kill(pid, SIGSTOP);
    }
    ~FrozenAuthWorkers() { thaw(); }
    void thaw() {
        for (pid_t pid : workers_) kill(pid, SIGCONT);
        workers_.clear();
    }

  private:
    std::set<pid_t> workers_;
};

struct Burst {
    int ok = 0;
    int busy = 0;
    int other = 0;
    std::vector<HttpResponse> busy_responses;
};

// slots() + extra copies of req, each from an address of its own (so that no per-address limit
// applies), sent at once while the auth workers are stopped; the workers resume once the busy
// answers have had time to arrive, and then serve whatever nginx admitted.
Burst frozen_burst(HttpRequest req, int extra, long ok_status) {
    std::vector<HttpRequest> reqs;
    for (int i = 0; i < slots() + extra; ++i) {
        req.source_address = fresh_loopback_address();
        reqs.push_back(req);
    }
    FrozenAuthWorkers frozen;
    std::vector<HttpResponse> responses;
    std::thread burst([&] { responses = send_concurrently(reqs); });
    std::this_thread::sleep_for(std::chrono::seconds(2));
    frozen.thaw();
    burst.join();
    Burst b;
    for (auto& r : responses) {
        if (r.status == ok_status) ++b.ok;
        else if (r.status == 503) ++b.busy, b.busy_responses.push_back(std::move(r));
        else ++b.other;
    }
    return b;
}

}  // namespace

BOOST_AUTO_TEST_CASE(the_hashing_queue_admits_exactly_its_slots_and_answers_the_rest_503) {
    e2e::TestUser user;
    // While the workers are stopped nothing admitted can finish, so every admission is counted:
    // exactly slots() logins succeed once they resume, and exactly the 30 others were refused.
    const Burst b = frozen_burst({"POST", "/login", {kForm}, login_body(user), true}, 30, 303);
    BOOST_TEST(b.other == 0);
    BOOST_TEST(b.ok == slots());
    BOOST_TEST(b.busy == 30);
    for (const auto& r : b.busy_responses) {
        BOOST_TEST(r.header("retry-after") == "2");
        BOOST_TEST(r.header("content-type").starts_with("text/html"));
        BOOST_TEST(r.body.find("Too many people are logging in") != std::string::npos);
    }
}

BOOST_AUTO_TEST_CASE(json_clients_get_the_busy_answer_as_json) {
    e2e::TestUser user;
    const std::string body =
        R"({"username":")" + user.username() + R"(","password":")" + user.password() + R"("})";
    const Burst b =
        frozen_burst({"POST", "/login", {"Content-Type: application/json"}, body, true}, 10, 200);
    BOOST_TEST(b.other == 0);
    BOOST_TEST(b.ok == slots());
    BOOST_TEST(b.busy == 10);
    for (const auto& r : b.busy_responses) {
        BOOST_TEST(r.header("retry-after") == "2");
        BOOST_TEST(e2e::json_error_code(r) == "busy");
    }
}

BOOST_AUTO_TEST_CASE(slow_bodies_from_one_address_hold_no_hashing_slot) {
    // More slow logins from one address than there are hashing slots: the address keeps its share
    // open (429 for the rest at once), and a login from elsewhere goes through.
    const int n = slots() + 4;
    auto slow = open_slow_logins({fresh_loopback_address()}, n);
    auto count = statuses(slow);
    BOOST_TEST(count[0] == per_address());
    BOOST_TEST(count[429] == n - per_address());
    e2e::TestUser user;
    const auto r = login_beside(slow, user);
    BOOST_TEST(r.status == 303);
    BOOST_TEST(r.header("location") == "/home");
    BOOST_TEST(statuses(slow)[0] == per_address());  // still held open, and harmless
}

BOOST_AUTO_TEST_CASE(slow_bodies_beyond_the_slots_from_several_addresses_leave_logins_working) {
    // Three addresses, each within its share, together hold more slow bodies than there are
    // slots: the slots are taken only by complete requests, so a real login still gets one.
    const int held = 3 * per_address();
    BOOST_TEST_REQUIRE(held > slots());
    auto slow = open_slow_logins(
        {fresh_loopback_address(), fresh_loopback_address(), fresh_loopback_address()},
        per_address());
    BOOST_TEST(statuses(slow)[0] == held);
    e2e::TestUser user;
    const auto r = login_beside(slow, user);
    BOOST_TEST(r.status == 303);
    BOOST_TEST(r.header("location") == "/home");
}

BOOST_AUTO_TEST_CASE(one_address_sending_faster_than_its_rate_gets_429_after_its_burst) {
    // Empty forms cost no hashing (400 from the worker) but count like any hashing request.
    const std::string source = fresh_loopback_address();
    const int burst = std::stoi(require_env("TEST_HASH_BURST"));
    const HttpRequest empty{"POST", "/login", {kForm}, "", true, source};
    int accepted = 0;
    HttpResponse refused;
    // Two at a time: faster than the rate even on a busy machine, within the share of 4.
    while (refused.status == 0 && accepted < 20 * burst) {
        for (auto& r : send_concurrently(empty, 2)) {
            if (r.status == 400)
                ++accepted;
            else if (refused.status == 0)
                refused = std::move(r);
        }
    }
    BOOST_TEST(refused.status == 429);
    BOOST_TEST(accepted >= burst + 1);  // the burst passes at once, on top of the first request
    BOOST_TEST(refused.header("retry-after") == "2");
    BOOST_TEST(refused.body.find("Too many attempts from your network") != std::string::npos);
    // Another address is not affected.
    BOOST_TEST(send({"POST", "/login", {kForm}, "", true, fresh_loopback_address()}).status == 400);
}

BOOST_AUTO_TEST_CASE(a_body_over_4_kib_on_a_hashing_route_is_413) {
    const std::string big = "username=user1&password=" + std::string(4 * 1024, 'p');
    BOOST_TEST(send({"POST", "/login", {kForm}, big, true, fresh_loopback_address()}).status ==
               413);
    BOOST_TEST(send({"POST", "/register", {kForm}, big, true, fresh_loopback_address()}).status ==
               413);
    // The longest password there is (128 four-byte characters, percent-encoded: 1,536 bytes)
    // still reaches the worker, and is checked.
    std::string pw;
    for (int i = 0; i < 128; ++i) pw += "%F0%9F%98%80";
    const auto r = send({"POST",
                         "/login",
                         {kForm},
                         "username=nobody-big&password=" + pw,
                         true,
                         fresh_loopback_address()});
    BOOST_TEST(r.status == 303);
    BOOST_TEST(r.header("location") == "/login?error=1");
}

BOOST_AUTO_TEST_CASE(after_the_bursts_logins_work_again) {
    e2e::TestUser user;
    BOOST_TEST(!user.login().empty());
}
