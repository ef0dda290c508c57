// The FastCGI sockets of the test stack: only the workers' user and nginx's group may connect.
// The workers trust what nginx puts in a request (REMOTE_ADDR, the scheme), so any other local
// user who could connect could forge the client address or read /metrics.
#define BOOST_TEST_MODULE e2e_fcgi_socket
#include <boost/test/unit_test.hpp>

#include <grp.h>
#include <pwd.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <string>

#include "support/env.hpp"

namespace {

std::string socket_path(const std::string& pool) {
    return testing_support::require_env("TEST_STACK_DIR") + "/run/fcgi/" + pool + ".sock";
}

// errno of connect() to a unix socket, made in a child that switched to user (0: connected).
int connect_as(const char* user, const std::string& path) {
    const passwd* pw = getpwnam(user);
    BOOST_REQUIRE_MESSAGE(pw != nullptr, "no user " << user);
    const uid_t uid = pw->pw_uid;
    const gid_t gid = pw->pw_gid;
    const pid_t pid = fork();
    if (pid == 0) {
        if (setgroups(0, nullptr) != 0 || setgid(gid) != 0 || setuid(uid) != 0) _exit(100);
        const int fd = socket(AF_UNIX, SOCK_STREAM, 0);
        sockaddr_un addr{};
        addr.sun_family = AF_UNIX;
        std::strncpy(addr.sun_path, path.c_str(), sizeof addr.sun_path - 1);
        const int rc = connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr);
        _exit(rc == 0 ? 0 : (errno & 0x7f));
    }
    int status = 0;
    waitpid(pid, &status, 0);
    return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

bool is_root() { return geteuid() == 0; }

}  // namespace

BOOST_AUTO_TEST_CASE(sockets_are_0660_in_a_0750_directory_of_nginx_s_group) {
    for (const std::string pool : {"app", "auth"}) {
        struct stat st {};
        BOOST_REQUIRE(stat(socket_path(pool).c_str(), &st) == 0);
        BOOST_TEST(S_ISSOCK(st.st_mode));
        BOOST_TEST((st.st_mode & 0777) == 0660u, pool << " mode " << std::oct << (st.st_mode & 0777));
    }
    struct stat dir {};
    BOOST_REQUIRE(stat((testing_support::require_env("TEST_STACK_DIR") + "/run/fcgi").c_str(), &dir) == 0);
    BOOST_TEST((dir.st_mode & 0777) == 0750u);
    if (is_root()) {
        const group* g = getgrnam("www-data");
        BOOST_REQUIRE(g != nullptr);
        BOOST_TEST(dir.st_gid == g->gr_gid);
    }
}

// The attack of the issue: user nobody talked FastCGI to the workers and got /metrics.
BOOST_AUTO_TEST_CASE(user_nobody_cannot_connect_but_nginx_s_user_can,
                     *boost::unit_test::precondition([](boost::unit_test::test_unit_id) {
                         return is_root();  // switching users needs root; CI runs as root
                     })) {
    for (const std::string pool : {"app", "auth"}) {
        BOOST_TEST(connect_as("nobody", socket_path(pool)) == EACCES, pool);
        BOOST_TEST(connect_as("www-data", socket_path(pool)) == 0, pool);
    }
}
