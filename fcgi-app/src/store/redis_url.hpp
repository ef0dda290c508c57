// The Redis URLs the program accepts, parsed into what a connection needs. Checked when the
// configuration is read, so that a malformed URL stops the program before anything forks.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace store {

struct RedisHost {
    std::string host;
    int port = 6379;
};

struct RedisEndpoint {
    RedisHost server;                 // redis://
    std::string socket_path;          // unix://
    std::vector<RedisHost> sentinels;  // sentinel://: ask these for the primary of `master`
    std::string master;
    int db = 0;
    // AUTH after connecting (to the sentinels too): empty password means no AUTH; empty
    // username means Redis's default user.
    std::string username;
    std::string password;

    // The URL without its password, for logs and `config check`.
    std::string redacted() const;
};

// Parses redis://[user:password@]host[:port][/db], unix:///path/to/socket and
// sentinel://[user:password@]host:port,host:port/master[/db]. The user and password are
// percent-decoded. Throws RedisError with the reason when the URL is malformed.
RedisEndpoint parse_redis_url(std::string_view url);

}  // namespace store
