// Reading hiredis replies as typed values.
#include "store/reply.hpp"

#include <hiredis/hiredis.h>

#include "util/text.hpp"

namespace store {

void RedisReplyFree::operator()(redisReply* r) const noexcept {
    freeReplyObject(r);
}

std::optional<std::string> ReplyView::string() const {
    if (!r_ || (r_->type != REDIS_REPLY_STRING && r_->type != REDIS_REPLY_STATUS))
        return std::nullopt;
    return std::string(r_->str, r_->len);
}

std::optional<int64_t> ReplyView::integer() const {
    if (!r_) return std::nullopt;
    if (r_->type == REDIS_REPLY_INTEGER) return static_cast<int64_t>(r_->integer);
    if (r_->type != REDIS_REPLY_STRING) return std::nullopt;
    auto n = util::parse_uint(std::string_view(r_->str, r_->len), INT64_MAX);
    if (!n) return std::nullopt;
    return static_cast<int64_t>(*n);
}

bool ReplyView::is_status() const noexcept {
    return r_ && r_->type == REDIS_REPLY_STATUS;
}

bool ReplyView::is_nil() const noexcept {
    return !r_ || r_->type == REDIS_REPLY_NIL;
}

size_t ReplyView::size() const noexcept {
    return r_ && r_->type == REDIS_REPLY_ARRAY ? r_->elements : 0;
}

ReplyView ReplyView::operator[](size_t i) const noexcept {
    return ReplyView(i < size() ? r_->element[i] : nullptr);
}

std::vector<std::string> ReplyView::strings() const {
    std::vector<std::string> out;
    out.reserve(size());
    for (size_t i = 0; i < size(); ++i)
        if (auto s = (*this)[i].string()) out.push_back(std::move(*s));
    return out;
}

}  // namespace store
