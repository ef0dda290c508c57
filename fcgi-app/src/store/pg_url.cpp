// Reading a PostgreSQL connection URL with libpq's parser.
#include "store/pg_url.hpp"

#include <libpq-fe.h>

#include <memory>

namespace store {
namespace {

struct ConninfoFree {
    void operator()(PQconninfoOption* o) const noexcept { PQconninfoFree(o); }
};

}  // namespace

PgUrlParts parse_pg_url(const std::string& url) {
    PgUrlParts parts;
    char* error = nullptr;
    std::unique_ptr<PQconninfoOption, ConninfoFree> options(PQconninfoParse(url.c_str(), &error));
    if (!options) {
        std::string reason = error ? error : "out of memory";
        PQfreemem(error);
        while (!reason.empty() && (reason.back() == '\n' || reason.back() == ' '))
            reason.pop_back();
        parts.error = std::move(reason);
        return parts;
    }
    for (auto* o = options.get(); o->keyword; ++o)
        if (std::string_view(o->keyword) == "port" && o->val) parts.ports.emplace_back(o->val);
    return parts;
}

}  // namespace store
