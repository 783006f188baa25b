#include <shopcore/discount/discount_index.hpp>

#include <cstdint>
#include <functional>
#include <limits>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <shopcore/core/error.hpp>

#include "pricing/discount_rules.hpp"

namespace shopcore {

namespace {

constexpr std::int64_t none = -1;  // no limit
constexpr std::int64_t never_before = std::numeric_limits<std::int64_t>::min();
constexpr std::int64_t never_after = std::numeric_limits<std::int64_t>::max();

// A code's limits packed into 48 bytes beside its key in the hash table, so that a lookup
// touches one node and judging needs no second cache miss into the (large) code.
struct packed_limits {
    std::int64_t starts_at = never_before;
    std::int64_t ends_at = never_after;
    std::int64_t usage_limit = none;
    std::int64_t per_customer_limit = none;
    std::int64_t times_used = 0;
    std::uint32_t index = 0;  // into codes
    discount_audience audience = discount_audience::everyone;
    bool active = true;
    bool single_use = false;

    explicit packed_limits(const discount_code& c, std::uint32_t at)
        : starts_at(c.starts_at ? c.starts_at->micros() : never_before),
          ends_at(c.ends_at ? c.ends_at->micros() : never_after),
          usage_limit(c.usage_limit.value_or(none)),
          per_customer_limit(c.per_customer_limit.value_or(none)),
          times_used(c.times_used),
          index(at),
          audience(c.audience),
          active(c.active),
          single_use(c.single_use) {}

    [[nodiscard]] detail::code_limits unpack() const {
        detail::code_limits l;
        if (starts_at != never_before) l.starts_at = timestamp::from_micros(starts_at);
        if (ends_at != never_after) l.ends_at = timestamp::from_micros(ends_at);
        if (usage_limit != none) l.usage_limit = usage_limit;
        if (per_customer_limit != none) l.per_customer_limit = per_customer_limit;
        l.times_used = times_used;
        l.audience = audience;
        l.active = active;
        l.single_use = single_use;
        return l;
    }
};

// Upper-cases `text` without its surrounding spaces into `buffer` (as normalize_code() does,
// without allocating); empty when it is longer than any code can be.
std::string_view fold(std::string_view text, char (&buffer)[64]) {
    while (!text.empty() && text.front() == ' ') text.remove_prefix(1);
    while (!text.empty() && text.back() == ' ') text.remove_suffix(1);
    if (text.size() > sizeof buffer) return {};
    for (std::size_t i = 0; i < text.size(); ++i) {
        const char ch = text[i];
        buffer[i] = ch >= 'a' && ch <= 'z' ? static_cast<char>(ch - 'a' + 'A') : ch;
    }
    return {buffer, text.size()};
}

std::uint64_t hash_of(std::string_view text) { return std::hash<std::string_view>{}(text); }

}  // namespace

// An open-addressing table (linear probing, at most half full) of 16-byte slots holding each
// code's hash and entry; an entry holds the code's text and packed limits side by side. A
// lookup reads one slot and one entry: no more memory than a node-based map's bucket and node.
struct discount_index::impl {
    struct slot {
        std::uint64_t hash = 0;
        std::uint64_t entry = 0;  // 1 + index into entries; 0: empty
    };
    struct entry {
        std::string text;
        packed_limits limits;
    };
    std::vector<discount_code> codes;
    std::vector<entry> entries;
    std::vector<slot> slots;
    std::uint64_t mask = 0;

    [[nodiscard]] const entry* lookup(std::string_view text) const {
        char buffer[64];
        const std::string_view key = fold(text, buffer);
        if (key.empty()) return nullptr;
        const std::uint64_t h = hash_of(key);
        for (std::uint64_t i = h & mask;; i = (i + 1) & mask) {
            const slot& s = slots[i];
            if (s.entry == 0) return nullptr;
            if (s.hash == h && entries[s.entry - 1].text == key) return &entries[s.entry - 1];
        }
    }
};

discount_index::discount_index(std::vector<discount_code> codes) {
    if (codes.size() > std::numeric_limits<std::uint32_t>::max()) {
        throw validation_error("codes", "at most 2^32 - 1 codes");
    }
    auto p = std::make_shared<impl>();
    p->codes = std::move(codes);
    std::size_t capacity = 16;
    while (capacity < 2 * p->codes.size()) capacity *= 2;
    p->slots.resize(capacity);
    p->mask = capacity - 1;
    p->entries.reserve(p->codes.size());
    for (std::size_t i = 0; i < p->codes.size(); ++i) {
        const std::string& text = p->codes[i].code;
        if (p->lookup(text) != nullptr) {
            throw validation_error("codes", "code " + text + " is given twice");
        }
        p->entries.push_back({text, packed_limits(p->codes[i], static_cast<std::uint32_t>(i))});
        const std::uint64_t h = hash_of(text);
        std::uint64_t at = h & p->mask;
        while (p->slots[at].entry != 0) at = (at + 1) & p->mask;
        p->slots[at] = {h, p->entries.size()};
    }
    impl_ = std::move(p);
}

const discount_code* discount_index::find(std::string_view text) const {
    const impl::entry* e = impl_->lookup(text);
    return e == nullptr ? nullptr : &impl_->codes[e->limits.index];
}

std::optional<discount_refusal> discount_index::check(std::string_view text,
                                                      std::int64_t customer_uses, bool signed_in,
                                                      bool staff, timestamp at) const {
    const impl::entry* e = impl_->lookup(text);
    if (e == nullptr) return discount_refusal::unknown_code;
    return detail::judge_discount(e->limits.unpack(), customer_uses, signed_in, staff, at);
}

std::size_t discount_index::size() const noexcept { return impl_->codes.size(); }

}  // namespace shopcore
