// A Redis reply as typed values, so that the callers of store::Redis never see hiredis's
// reply type: they ask for a string, a number or the elements, and get nullopt or nothing for
// a reply of another shape.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

struct redisReply;  // hiredis's; only store/reply.cpp and store/redis.cpp look inside it

namespace store {

// One reply, or one element of an array reply, read-only. A view: the Reply it came from must
// outlive it. A default-constructed view is nil.
class ReplyView {
public:
    explicit ReplyView(const redisReply* r = nullptr) noexcept : r_(r) {}

    // The text of a string or status reply; nullopt for nil and every other shape.
    std::optional<std::string> string() const;
    // The number of an integer reply, or of a string reply that is a non-negative decimal
    // (a counter read with GET); nullopt otherwise.
    std::optional<int64_t> integer() const;
    // True for a status reply, such as the "OK" of a SET NX that took the key (a SET NX that
    // found the key answers nil).
    bool is_status() const noexcept;
    // True for nil (a missing key, a script's false).
    bool is_nil() const noexcept;
    // The number of elements of an array reply; 0 for every other shape.
    size_t size() const noexcept;
    // Element i of an array reply; a nil view past the end or for another shape.
    ReplyView operator[](size_t i) const noexcept;
    // The string elements of an array reply, in order; elements of other shapes are left out.
    std::vector<std::string> strings() const;

protected:
    const redisReply* r_;
};

struct RedisReplyFree {
    void operator()(redisReply* r) const noexcept;
};

// A reply that owns hiredis's reply object and frees it when it goes.
class Reply : public ReplyView {
public:
    Reply() noexcept = default;
    // Takes ownership of r.
    explicit Reply(redisReply* r) noexcept : ReplyView(r), owned_(r) {}
    Reply(Reply&& other) noexcept : ReplyView(other.r_), owned_(std::move(other.owned_)) {
        other.r_ = nullptr;
    }
    Reply& operator=(Reply&& other) noexcept {
        owned_ = std::move(other.owned_);
        r_ = other.r_;
        other.r_ = nullptr;
        return *this;
    }
    Reply(const Reply&) = delete;
    Reply& operator=(const Reply&) = delete;
    ~Reply() = default;

    // The raw reply, for store/ only.
    redisReply* raw() const noexcept { return owned_.get(); }

private:
    std::unique_ptr<redisReply, RedisReplyFree> owned_;
};

}  // namespace store
