// The prefork supervisor.
#include "supervisor.hpp"

#include <fcgiapp.h>
#include <fcntl.h>
#include <grp.h>
#include <systemd/sd-daemon.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cstring>
#include <string>
#include <vector>

#include "metrics/metrics.hpp"
#include "util/log.hpp"

namespace app {
namespace {

using Clock = std::chrono::steady_clock;
using std::chrono::milliseconds;

constexpr auto kStableAfter = std::chrono::seconds(5);
constexpr auto kMaxRespawnDelay = std::chrono::seconds(30);
// Below the 10 s a container engine waits between SIGTERM and SIGKILL, so that a stopping
// container ends on its own, having drained the requests in flight.
constexpr auto kStopGrace = std::chrono::seconds(8);

struct Slot {
    pid_t pid = 0;
    Clock::time_point started{};
    Clock::time_point respawn_at{};
    int quick_crashes = 0;  // consecutive deaths within kStableAfter of starting
};

bool is_unix_path(const std::string& socket) { return socket.find(':') == std::string::npos; }

// In a freshly forked child: becomes `exe worker --metrics-fd=3` with the listening socket as
// fd 0 and the metrics segment as fd 3. Returns only if the exec failed.
void exec_worker(const std::string& exe, int listen_fd) {
    const int metrics_fd = metrics::shared_fd();
    // Copies above the target numbers first, so that neither dup2 can clobber the other's source.
    const int listen_copy = fcntl(listen_fd, F_DUPFD, 10);
    const int metrics_copy = metrics_fd >= 0 ? fcntl(metrics_fd, F_DUPFD, 10) : -1;
    if (listen_copy < 0 || dup2(listen_copy, 0) < 0) return;
    std::string metrics_arg = "--metrics-fd=none";
    if (metrics_copy >= 0 && dup2(metrics_copy, 3) == 3) metrics_arg = "--metrics-fd=3";
    // The signal mask survives exec: the worker must not start with SIGTERM blocked.
    sigset_t none;
    sigemptyset(&none);
    sigprocmask(SIG_SETMASK, &none, nullptr);
    const char* argv[] = {exe.c_str(), "worker", metrics_arg.c_str(), nullptr};
    execv(exe.c_str(), const_cast<char**>(argv));
}

pid_t spawn(int listen_fd, int nice_level, const std::function<int(int)>& worker_main,
            const std::string& worker_exe) {
    const pid_t supervisor = getpid();
    const pid_t pid = fork();
    if (pid == 0) {
        if (nice_level != 0) setpriority(PRIO_PROCESS, 0, nice_level);
        signal(SIGCHLD, SIG_DFL);
        // A worker must not outlive a supervisor that was killed outright: orphans would
        // keep accepting with nobody to replace or stop them. (Kept across exec.) If it died
        // before the line above ran, the signal never comes: our parent is someone else by
        // now. (Not "parent is 1": in a container the supervisor itself is PID 1.)
        prctl(PR_SET_PDEATHSIG, SIGTERM);
        if (getppid() != supervisor) _exit(0);
        if (!worker_exe.empty()) {
            exec_worker(worker_exe, listen_fd);
            util::log(util::LogLevel::warn, "worker_exec_failed",
                      {{"path", worker_exe}, {"reason", strerror(errno)}});
        }
        _exit(worker_main(listen_fd));
    }
    return pid;
}

std::string describe(int status) {
    if (WIFEXITED(status)) return "exit " + std::to_string(WEXITSTATUS(status));
    if (WIFSIGNALED(status)) return std::string("signal ") + strsignal(WTERMSIG(status));
    return "unknown";
}

// Blocks the signals the supervisor waits for (synchronously, with sigtimedwait) and returns them.
sigset_t block_supervisor_signals() {
    sigset_t handled;
    sigemptyset(&handled);
    for (int s : {SIGCHLD, SIGTERM, SIGINT, SIGHUP}) sigaddset(&handled, s);
    sigprocmask(SIG_BLOCK, &handled, nullptr);
    return handled;
}

// The delay before a slot's next worker: none after a planned exit or a worker that ran for
// kStableAfter, else doubling from 200 ms with each quick crash in a row, up to kMaxRespawnDelay.
milliseconds respawn_delay(Slot& slot, bool planned, Clock::time_point died) {
    slot.quick_crashes =
        (!planned && died - slot.started < kStableAfter) ? slot.quick_crashes + 1 : 0;
    if (slot.quick_crashes == 0) return milliseconds(0);
    return std::min<milliseconds>(milliseconds(100L << std::min(slot.quick_crashes, 9)),
                                  kMaxRespawnDelay);
}

// The workers of one pool: starting them, restarting them one by one after SIGHUP, collecting
// the ones that exited, and stopping them all. Under systemd (Type=notify) it tells the manager
// where the pool stands; without NOTIFY_SOCKET sd_notify does nothing.
class Pool {
public:
    Pool(const Config& config, int listen_fd, const std::function<int(int)>& worker_main,
         const std::string& worker_exe)
        : config_(config),
          listen_fd_(listen_fd),
          worker_main_(worker_main),
          worker_exe_(worker_exe),
          slots_(static_cast<size_t>(config.workers)) {}

    // Forks a worker for every empty slot whose respawn time has come.
    void spawn_due() {
        const auto now = Clock::now();
        for (auto& slot : slots_) {
            if (slot.pid == 0 && now >= slot.respawn_at) {
                slot.pid = spawn(listen_fd_, config_.worker_nice, worker_main_, worker_exe_);
                slot.started = now;
            }
        }
    }

    // Publishes the live workers, and READY=1 once at the start and again when a rolling
    // restart has replaced every worker.
    void report() {
        metrics::set_live_workers(live());
        if (!ready_sent_ || (reloading_ && rolling_.empty() && restarting_ == 0)) {
            // The socket is open and every worker is forked: connections wait in the backlog.
            sd_notifyf(0, "READY=1\nSTATUS=%d workers on %s", live(), config_.socket.c_str());
            ready_sent_ = true;
            reloading_ = false;
        }
    }

    // SIGHUP: every slot is to be restarted, one at a time (continue_rolling_restart).
    void begin_rolling_restart() {
        util::log(util::LogLevel::info, "rolling_restart");
        sd_notify(0, "RELOADING=1\nSTATUS=restarting the workers one by one");
        reloading_ = true;
        rolling_.clear();
        for (size_t i = 0; i < slots_.size(); ++i) rolling_.push_back(i);
    }

    // Asks the next worker of a rolling restart to stop once the previous one has exited (its
    // replacement is spawned like any other); a slot whose worker is not running is skipped.
    void continue_rolling_restart() {
        if (restarting_ != 0 || rolling_.empty()) return;
        const size_t i = rolling_.back();
        rolling_.pop_back();
        if (slots_[i].pid > 0) {
            kill(slots_[i].pid, SIGTERM);
            restarting_ = slots_[i].pid;
        }
    }

    // Collects every worker that exited and schedules its replacement; an unplanned exit is
    // counted and logged as a warning (none of it while stopping).
    void reap(bool stopping) {
        int status = 0;
        pid_t pid;
        while ((pid = waitpid(-1, &status, WNOHANG)) > 0) {
            auto it = std::find_if(slots_.begin(), slots_.end(),
                                   [pid](const Slot& s) { return s.pid == pid; });
            if (it == slots_.end()) continue;
            const auto died = Clock::now();
            // However it ended: a worker signalled a moment after its fork dies of the SIGTERM
            // itself, before its exec installs the handler that would let it exit 0.
            const bool planned = pid == restarting_;
            const auto delay = respawn_delay(*it, planned, died);
            it->pid = 0;
            it->respawn_at = died + delay;
            if (planned) restarting_ = 0;
            if (stopping) continue;
            if (!planned) metrics::worker_died();
            util::log(planned ? util::LogLevel::info : util::LogLevel::warn, "worker_exited",
                      {{"worker_pid", std::to_string(pid)},
                       {"status", describe(status)},
                       {"respawn_in_ms", std::to_string(delay.count())}});
        }
    }

    // SIGTERM to every worker, up to kStopGrace for them to finish their requests, then SIGKILL.
    void stop() {
        util::log(util::LogLevel::info, "supervisor_stopping");
        sd_notify(0, "STOPPING=1\nSTATUS=letting the workers finish their requests");
        for (auto& slot : slots_)
            if (slot.pid > 0) kill(slot.pid, SIGTERM);
        const auto deadline = Clock::now() + kStopGrace;
        while (live() > 0 && Clock::now() < deadline) {
            int status = 0;
            const pid_t pid = waitpid(-1, &status, WNOHANG);
            if (pid > 0) {
                for (auto& slot : slots_)
                    if (slot.pid == pid) slot.pid = 0;
            } else {
                usleep(20 * 1000);
            }
        }
        for (auto& slot : slots_)
            if (slot.pid > 0) kill(slot.pid, SIGKILL);
    }

private:
    int live() const {
        return static_cast<int>(
            std::count_if(slots_.begin(), slots_.end(), [](const Slot& s) { return s.pid > 0; }));
    }

    const Config& config_;
    const int listen_fd_;
    const std::function<int(int)>& worker_main_;
    const std::string& worker_exe_;
    std::vector<Slot> slots_;
    std::vector<size_t> rolling_;  // slots still to restart after SIGHUP, one at a time
    pid_t restarting_ = 0;         // the worker a rolling restart asked to stop; 0 when none
    bool ready_sent_ = false;
    bool reloading_ = false;
};

}  // namespace

int open_listen_socket(const Config& config) {
    const bool unix_socket = is_unix_path(config.socket);
    gid_t socket_gid = static_cast<gid_t>(-1);
    if (unix_socket && !config.socket_group.empty()) {
        const struct group* g = getgrnam(config.socket_group.c_str());
        if (!g) {
            errno = ENOENT;
            util::log(util::LogLevel::error, "socket_group_unknown",
                      {{"group", config.socket_group}});
            return -1;
        }
        socket_gid = g->gr_gid;
    }
    if (unix_socket) unlink(config.socket.c_str());
    // The backlog absorbs bursts: nginx opens one connection per request, and a unix socket
    // whose backlog is full fails the connect at once (EAGAIN → 502) instead of queueing.
    // Created 0660 (never world-connectable, not even for a moment): only our user and the
    // socket's group (nginx's) may talk FastCGI to the workers, whose requests they trust.
    const mode_t old_umask = umask(0117);
    const int fd = FCGX_OpenSocket(config.socket.c_str(), config.backlog);
    umask(old_umask);
    if (fd >= 0 && unix_socket && socket_gid != static_cast<gid_t>(-1) &&
        chown(config.socket.c_str(), static_cast<uid_t>(-1), socket_gid) != 0) {
        util::log(util::LogLevel::error, "socket_chown_failed",
                  {{"group", config.socket_group}, {"reason", strerror(errno)}});
        close(fd);
        return -1;
    }
    return fd;
}

std::string self_executable() {
    char buf[4096];
    const ssize_t n = readlink("/proc/self/exe", buf, sizeof buf - 1);
    if (n <= 0) return "";
    std::string path(buf, static_cast<size_t>(n));
    if (path.ends_with(" (deleted)")) return "";  // replaced already: fork without exec
    return path;
}

int run_supervisor(const Config& config, const std::function<int(int)>& worker_main,
                   const std::string& worker_exe) {
    const sigset_t handled = block_supervisor_signals();
    // Before the first fork: every worker inherits the one segment its counters go to.
    metrics::init_shared();
    // No socket: the children do work of their own (the mailer) and get -1.
    const bool listens = !config.socket.empty();
    const int listen_fd = listens ? open_listen_socket(config) : -1;
    if (listens && listen_fd < 0) {
        util::log(util::LogLevel::error, "listen_failed",
                  {{"socket", config.socket}, {"reason", strerror(errno)}});
        return 1;
    }
    util::log(util::LogLevel::info, "supervisor_started",
              {{"socket", config.socket},
               {"workers", std::to_string(config.workers)},
               {"backlog", std::to_string(config.backlog)},
               {"nice", std::to_string(config.worker_nice)}});

    Pool pool(config, listen_fd, worker_main, worker_exe);
    bool stopping = false;
    while (!stopping) {
        pool.spawn_due();
        pool.report();
        pool.continue_rolling_restart();
        timespec tick{0, 200 * 1000 * 1000};
        siginfo_t info{};
        const int sig = sigtimedwait(&handled, &info, &tick);
        if (sig == SIGTERM || sig == SIGINT) stopping = true;
        if (sig == SIGHUP) pool.begin_rolling_restart();
        pool.reap(stopping);
    }
    pool.stop();
    if (listens && is_unix_path(config.socket)) unlink(config.socket.c_str());
    return 0;
}

}  // namespace app
