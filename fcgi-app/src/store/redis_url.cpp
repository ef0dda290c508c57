// The Redis URLs the program accepts.
#include "store/redis_url.hpp"

#include "store/errors.hpp"
#include "util/text.hpp"

namespace store {
namespace {

RedisHost parse_host_port(std::string_view text, int default_port) {
    RedisHost hp{std::string(text), default_port};
    const size_t colon = text.rfind(':');
    if (colon != std::string_view::npos) {
        auto port = util::parse_uint(text.substr(colon + 1), 65535);
        if (!port || *port == 0) throw RedisError("bad port in redis url");
        hp.host = text.substr(0, colon);
        hp.port = static_cast<int>(*port);
    }
    if (hp.host.empty()) throw RedisError("missing host in redis url");
    return hp;
}

int parse_db(std::string_view text) {
    auto db = util::parse_uint(text, 15);
    if (!db) throw RedisError("bad database number in redis url");
    return static_cast<int>(*db);
}

// "user:password@" before the hosts, removed from rest. The password may be empty only
// together with the user (no credentials at all).
void take_credentials(std::string_view& rest, RedisEndpoint& e) {
    const size_t at = rest.rfind('@', rest.find('/'));
    if (at == std::string_view::npos) return;
    const std::string_view info = rest.substr(0, at);
    rest.remove_prefix(at + 1);
    const size_t colon = info.find(':');
    if (colon == std::string_view::npos)
        throw RedisError("redis url credentials must be user:password or :password");
    auto user = util::url_decode(info.substr(0, colon), false);
    auto password = util::url_decode(info.substr(colon + 1), false);
    if (!user || !password) throw RedisError("bad percent-encoding in redis url credentials");
    if (password->empty()) throw RedisError("empty password in redis url");
    e.username = std::move(*user);
    e.password = std::move(*password);
}

std::string host_port(const RedisHost& h) { return h.host + ":" + std::to_string(h.port); }

}  // namespace

RedisEndpoint parse_redis_url(std::string_view rest) {
    RedisEndpoint e;
    if (rest.starts_with("unix://")) {
        e.socket_path = rest.substr(7);
        if (e.socket_path.empty()) throw RedisError("unix url needs a socket path");
        return e;
    }
    if (rest.starts_with("sentinel://")) {
        rest.remove_prefix(11);
        take_credentials(rest, e);
        const size_t slash = rest.find('/');
        if (slash == std::string_view::npos || slash + 1 == rest.size())
            throw RedisError("sentinel url needs /master-name after the sentinels");
        for (auto part : util::split_commas(rest.substr(0, slash)))
            e.sentinels.push_back(parse_host_port(part, 26379));
        if (e.sentinels.empty()) throw RedisError("sentinel url names no sentinel");
        std::string_view tail = rest.substr(slash + 1);
        const size_t db_slash = tail.find('/');
        e.master = tail.substr(0, db_slash);
        if (db_slash != std::string_view::npos) e.db = parse_db(tail.substr(db_slash + 1));
        return e;
    }
    if (!rest.starts_with("redis://")) throw RedisError("redis url must start with redis://");
    rest.remove_prefix(8);
    take_credentials(rest, e);
    const size_t slash = rest.find('/');
    e.server = parse_host_port(rest.substr(0, slash), 6379);
    if (slash != std::string_view::npos && slash + 1 < rest.size())
        e.db = parse_db(rest.substr(slash + 1));
    return e;
}

std::string RedisEndpoint::redacted() const {
    std::string credentials;
    if (!password.empty()) credentials = util::url_encode(username) + ":***@";
    std::string db_suffix = db != 0 ? "/" + std::to_string(db) : "";
    if (!socket_path.empty()) return "unix://" + socket_path;
    if (sentinels.empty()) return "redis://" + credentials + host_port(server) + db_suffix;
    std::string out = "sentinel://" + credentials;
    for (size_t i = 0; i < sentinels.size(); ++i) out += (i ? "," : "") + host_port(sentinels[i]);
    return out + "/" + master + db_suffix;
}

}  // namespace store
