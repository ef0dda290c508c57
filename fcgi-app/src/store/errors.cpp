// What a store failure means to its caller.
#include "store/errors.hpp"

namespace store {

ErrorKind classify_sqlstate(std::string_view sqlstate) noexcept {
    if (sqlstate.size() != 5) return ErrorKind::unavailable;
    if (sqlstate.starts_with("22")) return ErrorKind::bad_value;
    if (sqlstate == "23505" || sqlstate == "23P01") return ErrorKind::conflict;
    return ErrorKind::unavailable;
}

}  // namespace store
