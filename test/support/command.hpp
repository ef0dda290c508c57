// Runs shell commands from tests (scripts/migrate.sh, backup and restore): to the end, or in the
// background while the test watches what they do.
#pragma once

#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <stdexcept>
#include <string>

namespace testing_support {

struct CommandResult {
    int exit_code = -1;  // -1: killed by a signal
    std::string output;  // stdout and stderr together
};

inline int exit_code_of(int status) {
    return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

// `sh -c command`, run to the end.
inline CommandResult run_command(const std::string& command) {
    FILE* out = popen((command + " 2>&1").c_str(), "r");
    if (!out) throw std::runtime_error("popen failed: " + command);
    CommandResult r;
    char buf[4096];
    while (size_t n = fread(buf, 1, sizeof buf, out)) r.output.append(buf, n);
    r.exit_code = exit_code_of(pclose(out));
    return r;
}

// `sh -c command` in the background, its output collected in a temporary file. The destructor
// kills a command that is still running.
class BackgroundCommand {
  public:
    explicit BackgroundCommand(const std::string& command) {
        char path[] = "/tmp/login-test-cmd-XXXXXX";
        const int fd = mkstemp(path);
        if (fd < 0) throw std::runtime_error("mkstemp failed");
        log_ = path;
        pid_ = fork();
        if (pid_ < 0) throw std::runtime_error("fork failed");
        if (pid_ == 0) {
            dup2(fd, 1);
            dup2(fd, 2);
            execl("/bin/sh", "sh", "-c", command.c_str(), static_cast<char*>(nullptr));
            _exit(127);
        }
        close(fd);
    }
    ~BackgroundCommand() {
        if (pid_ > 0) {
            kill(pid_, SIGKILL);
            waitpid(pid_, nullptr, 0);
        }
        std::error_code ec;
        std::filesystem::remove(log_, ec);
    }
    BackgroundCommand(const BackgroundCommand&) = delete;
    BackgroundCommand& operator=(const BackgroundCommand&) = delete;

    // True while the command has not exited.
    bool running() {
        if (pid_ <= 0) return false;
        int status = 0;
        if (waitpid(pid_, &status, WNOHANG) == 0) return true;
        status_ = status;
        pid_ = 0;
        return false;
    }

    // Waits for the command to exit and returns its status and output.
    CommandResult wait() {
        if (pid_ > 0) {
            waitpid(pid_, &status_, 0);
            pid_ = 0;
        }
        return {exit_code_of(status_), output()};
    }

    std::string output() const {
        std::ifstream in(log_);
        std::stringstream s;
        s << in.rdbuf();
        return s.str();
    }

  private:
    pid_t pid_ = 0;
    int status_ = 0;
    std::string log_;
};

// A single-quoted shell word.
inline std::string shell_quote(const std::string& s) {
    std::string out = "'";
    for (char c : s) out += c == '\'' ? std::string("'\\''") : std::string(1, c);
    return out + "'";
}

}  // namespace testing_support
