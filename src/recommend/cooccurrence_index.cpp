#include "recommend/cooccurrence_index.hpp"

// How the incremental updates stay equal to a rebuild.
//
// Product a's list ranks its partners b by the key q_b = c_ab / sqrt(n_b) (then the smaller
// id), which orders a's row exactly as sim(a, b) does (n_a is common to the row). It tracks
// the top `neighbours` (the members, which queries read) and the next `reserve` partners, all
// with their pair counts. Scores are never stored: a query multiplies the counts by 1/sqrt(n)
// of both sides as they are now, so they are always exact and only membership has to be
// maintained. Two values per list make that possible:
//
// - the bound: at least the key of every eligible partner that is not tracked. It starts as
//   the key just below the tracked ones. A key rises only when its pair count rises (n only
//   grows, except on removals), and then the pair is "touched" by the update, which
//   shows the list the partner with its new counts: the list tracks it if it passes the
//   bound, and raises the bound to whatever it stops tracking. Untouched keys only fall.
// - the guard: at least the key of every non-member (reserve or untracked).
//
// A member falls when its own n grows: product b was ordered without a. Each member carries
// an alarm: a level between its key and the guard, and the n_b at which its key falls to that
// level, kept in a min-heap per product b. When an update raises n_b, the heap of b names the
// lists to look at, so a head product in thousands of lists costs nothing until one of its
// keys really approaches a guard. At an alarm the member is re-armed halfway to the guard, or,
// if it has fallen below a non-member, replaced by the best reserve entry; only when the
// reserve cannot help (it is empty or below the bound) is the list recomputed from scratch,
// by counting the baskets that hold a, as build() does. When the guard rises, only members
// whose level is now below it are re-armed.
//
// Alarms go stale (the member left, or was re-armed: its ticket changed) and are dropped when
// they surface; the heaps are rebuilt when stale alarms outnumber the members.
//
// remove_like() and remove_order() lower n of their products, which raises their keys in every
// list: a list is recomputed where such a key now passes the bound (untracked) or the guard
// (in reserve). They also lower pair counts: remove_like() recomputes the lists of the pairs
// involved; remove_order() lowers the tracked entries of its pairs, re-arming a member that
// stays above the guard and replacing one that falls below it, as when an alarm fires.
// Recounts after a removal see the basket no more: it is overwritten by a separator.
//
// Pair counts of touched pairs come from a one-directional pair store: build() numbers
// products by popularity and keeps, for each product, its more popular partners with the
// count, so a lookup scans at most min(partners, popularity rank) entries; pairs first seen
// after build() go to a hash map. Like counts come from intersecting the two products' (short,
// sorted) lists of users.

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <limits>
#include <numeric>
#include <stdexcept>
#include <utility>
#include <vector>

#include <shopcore/core/error.hpp>

namespace shopcore::detail {
namespace {

constexpr std::uint32_t no_index = 0xffffffffU;

// The conservative margin of a watch's threshold: it fires a little early and the exact key
// comparison decides.
constexpr double watch_margin = 1.0 - 1e-9;

// The pair store's key of a pair: the more popular (smaller) index, then the other.
constexpr std::uint64_t pair_key(std::uint32_t lo, std::uint32_t hi) noexcept {
    return (static_cast<std::uint64_t>(lo) << 32) | hi;
}

// Whether key `x` ranks before key `y`: higher q, then smaller id.
template <class Key>
bool ranks_before(const Key& x, const Key& y) noexcept {
    return x.q > y.q || (x.q == y.q && x.id < y.id);
}

bool better(const scored_product& x, const scored_product& y) noexcept {
    return x.score > y.score || (x.score == y.score && x.product < y.product);
}

// Number of values common to two ascending vectors.
std::uint32_t count_common(const std::vector<std::uint32_t>& a,
                           const std::vector<std::uint32_t>& b) {
    const std::vector<std::uint32_t>* small = &a;
    const std::vector<std::uint32_t>* large = &b;
    if (small->size() > large->size()) std::swap(small, large);
    if (small->empty()) return 0;
    std::uint32_t common = 0;
    if (large->size() > 8 * small->size()) {
        auto it = large->begin();
        for (const std::uint32_t v : *small) {
            it = std::lower_bound(it, large->end(), v);
            if (it == large->end()) break;
            if (*it == v) ++common;
        }
        return common;
    }
    auto i = small->begin();
    auto j = large->begin();
    while (i != small->end() && j != large->end()) {
        if (*i < *j) {
            ++i;
        } else if (*j < *i) {
            ++j;
        } else {
            ++common;
            ++i;
            ++j;
        }
    }
    return common;
}

// Calls the progress callback at most every ~1% and last with done == total.
class progress_reporter {
public:
    progress_reporter(const cooccurrence_index::progress_fn& fn, std::size_t total)
        : fn_(fn), total_(total), step_(std::max<std::size_t>(1, total / 100)) {
        next_ = std::min(step_, total_);
    }
    void operator()(std::size_t done) {
        if (!fn_ || done < next_ || done == last_) return;
        fn_(done, total_);
        last_ = done;
        next_ = std::min(done + step_, total_);
    }
    void finish() {
        if (fn_ && last_ != total_) fn_(total_, total_);
        last_ = total_;
    }

private:
    const cooccurrence_index::progress_fn& fn_;
    std::size_t total_;
    std::size_t step_;
    std::size_t next_ = 0;
    std::size_t last_ = std::numeric_limits<std::size_t>::max();
};

// Alarm heaps are min-heaps on the threshold.
constexpr auto later_alarm = [](const auto& x, const auto& y) { return x.at > y.at; };

// Per-thread scratch of for_items(): an open-addressing map from product index to its sum.
struct merge_slot {
    std::uint32_t key = 0;  // index + 1; 0 = empty
    std::uint32_t because = 0;
    double score = 0;
    double best = 0;
    reco_signal signal = reco_signal::orders;
    bool excluded = false;
};

class merge_map {
public:
    void prepare(std::size_t expected) {
        std::size_t capacity = 64;
        while (capacity < 2 * expected) capacity <<= 1;
        if (slots_.size() < capacity) {
            slots_.assign(capacity, merge_slot{});
            shift_ = 64;
            for (std::size_t c = capacity; c > 1; c >>= 1) --shift_;
        }
    }
    merge_slot& at(std::uint32_t index) {
        const std::size_t mask = slots_.size() - 1;
        std::size_t i = static_cast<std::size_t>(
            (static_cast<std::uint64_t>(index) * 0x9E3779B97F4A7C15ULL) >> shift_);
        while (true) {
            merge_slot& s = slots_[i];
            if (s.key == index + 1) return s;
            if (s.key == 0) {
                s.key = index + 1;
                used_.push_back(static_cast<std::uint32_t>(i));
                return s;
            }
            i = (i + 1) & mask;
        }
    }
    [[nodiscard]] const std::vector<std::uint32_t>& used() const noexcept { return used_; }
    [[nodiscard]] const merge_slot& slot(std::uint32_t i) const noexcept { return slots_[i]; }
    void clear() noexcept {
        for (const std::uint32_t i : used_) slots_[i] = merge_slot{};
        used_.clear();
    }

private:
    std::vector<merge_slot> slots_;
    std::vector<std::uint32_t> used_;
    int shift_ = 58;
};

// Clears the per-thread map even if a query throws (bad_alloc).
struct merge_guard {
    merge_map& map;
    ~merge_guard() { map.clear(); }
};

}  // namespace

// ---- basket_list ------------------------------------------------------------------------

void basket_list::reserve(std::size_t baskets, std::size_t items) {
    starts_.reserve(baskets + 1);
    items_.reserve(items);
}

void basket_list::add(std::span<const product_id> basket) {
    items_.insert(items_.end(), basket.begin(), basket.end());
    starts_.push_back(items_.size());
}

void basket_list::clear() noexcept {
    items_.clear();
    starts_.assign(1, 0);
}

// ---- id_table ---------------------------------------------------------------------------

std::uint32_t cooccurrence_index::id_table::find(std::int64_t key) const noexcept {
    if (key >= 0 && static_cast<std::uint64_t>(key) < direct_.size()) {
        return direct_[static_cast<std::size_t>(key)] - 1;  // 0 - 1 wraps to none
    }
    if (sparse_.empty()) return none;
    const auto it = sparse_.find(key);
    return it == sparse_.end() ? none : it->second;
}

void cooccurrence_index::id_table::insert(std::int64_t key, std::uint32_t value) {
    ++count_;
    if (key >= 0) {
        const auto k = static_cast<std::uint64_t>(key);
        // Keys below 4 entries per key (plus a little) go to the direct table, so that it
        // never takes more than ~16 bytes per key, as the hash map would.
        const std::uint64_t limit = 4 * static_cast<std::uint64_t>(count_) + 1024;
        if (k >= direct_.size() && k < limit) {
            const std::uint64_t grown =
                std::max<std::uint64_t>(k + 1, std::min<std::uint64_t>(limit, 2 * direct_.size()));
            direct_.resize(static_cast<std::size_t>(grown), 0);
            for (auto it = sparse_.begin(); it != sparse_.end();) {
                if (it->first >= 0 && static_cast<std::uint64_t>(it->first) < grown) {
                    direct_[static_cast<std::size_t>(it->first)] = it->second + 1;
                    it = sparse_.erase(it);
                } else {
                    ++it;
                }
            }
        }
        if (k < direct_.size()) {
            direct_[static_cast<std::size_t>(k)] = value + 1;
            return;
        }
    }
    sparse_.emplace(key, value);
}

std::size_t cooccurrence_index::id_table::memory_bytes() const noexcept {
    return direct_.capacity() * sizeof(std::uint32_t) +
           sparse_.size() * (sizeof(std::pair<const std::int64_t, std::uint32_t>) + 16) +
           sparse_.bucket_count() * sizeof(void*);
}

// ---- pair_table -------------------------------------------------------------------------

std::size_t cooccurrence_index::pair_table::home(std::uint64_t key) const noexcept {
    return static_cast<std::size_t>((key * 0x9E3779B97F4A7C15ULL) >> 20) & (slots_.size() - 1);
}

std::uint32_t cooccurrence_index::pair_table::find(std::uint64_t key) const noexcept {
    if (used_ == 0) return 0;
    for (std::size_t i = home(key);; i = (i + 1) & (slots_.size() - 1)) {
        if (slots_[i].key == key) return slots_[i].value;
        if (slots_[i].key == 0) return 0;
    }
}

void cooccurrence_index::pair_table::prefetch(std::uint64_t key) const noexcept {
    if (used_ != 0) __builtin_prefetch(&slots_[home(key)]);
}

std::uint32_t& cooccurrence_index::pair_table::at(std::uint64_t key) {
    if (2 * (used_ + 1) > slots_.size()) {
        std::vector<slot> old = std::move(slots_);
        slots_.assign(std::max<std::size_t>(1024, 2 * old.size()), slot{0, 0});
        for (const slot& s : old) {
            if (s.key == 0) continue;
            std::size_t i = home(s.key);
            while (slots_[i].key != 0) i = (i + 1) & (slots_.size() - 1);
            slots_[i] = s;
        }
    }
    std::size_t i = home(key);
    while (slots_[i].key != key && slots_[i].key != 0) i = (i + 1) & (slots_.size() - 1);
    if (slots_[i].key == 0) {
        slots_[i] = {key, 0};
        ++used_;
    }
    return slots_[i].value;
}

// ---- construction and build -------------------------------------------------------------

cooccurrence_index::cooccurrence_index(cooccurrence_settings settings) : settings_(settings) {
    if (settings_.neighbours < 1 || settings_.neighbours > 100000) {
        throw validation_error("neighbours", "must be between 1 and 100000");
    }
    if (!(settings_.like_weight >= 0.001 && settings_.like_weight <= 1000.0)) {
        throw validation_error("like_weight", "must be between 0.001 and 1000");
    }
    if (settings_.min_support < 1) throw validation_error("min_support", "must be at least 1");
    if (settings_.max_basket < 2) throw validation_error("max_basket", "must be at least 2");
    if (settings_.reserve > 100000) {
        throw validation_error("reserve", "must be at most 100000");
    }
}

std::uint32_t cooccurrence_index::intern_product(product_id product) {
    std::uint32_t a = products_.find(product.value());
    if (a != id_table::none) return a;
    a = static_cast<std::uint32_t>(records_.size());
    products_.insert(product.value(), a);
    records_.push_back({0.0, product.value(), 0, 0});
    all_orders_.push_back(0);
    later_holders_.emplace_back();
    users_liking_.emplace_back();
    heads_.emplace_back();
    alarms_.emplace_back();
    dirty_flag_.push_back(0);
    count_orders_.push_back(0);
    count_likes_.push_back(0);
    return a;
}

std::uint32_t cooccurrence_index::intern_user(user_id user) {
    std::uint32_t u = users_.find(user.value());
    if (u != id_table::none) return u;
    u = static_cast<std::uint32_t>(likes_of_user_.size());
    users_.insert(user.value(), u);
    likes_of_user_.emplace_back();
    return u;
}

void cooccurrence_index::refresh_norm(std::uint32_t a) noexcept {
    const double n = norm_of(a);
    records_[a].inv_norm = n > 0 ? 1.0 / std::sqrt(n) : 0.0;
}

reco_signal cooccurrence_index::signal_of(const neighbour& e) const noexcept {
    return settings_.like_weight * static_cast<double>(e.likes) > static_cast<double>(e.orders)
               ? reco_signal::likes
               : reco_signal::orders;
}

void cooccurrence_index::build(const basket_list& orders, std::span<const user_like> likes,
                               const progress_fn& progress) {
    build_from(
        orders.size(), [&orders](std::size_t i) { return orders[i]; }, likes, progress);
}

void cooccurrence_index::build(std::span<const std::vector<product_id>> orders,
                               std::span<const user_like> likes, const progress_fn& progress) {
    build_from(
        orders.size(), [&orders](std::size_t i) { return std::span<const product_id>(orders[i]); },
        likes, progress);
}

void cooccurrence_index::renumber_by_popularity(
    std::vector<std::uint32_t>& mapped,
    std::vector<std::pair<std::uint32_t, std::uint32_t>>& likes) {
    const std::size_t n = records_.size();
    std::vector<std::uint32_t> seen(n, 0);
    for (const std::uint32_t a : mapped) {
        if (a != no_index) ++seen[a];
    }
    for (const auto& [u, p] : likes) ++seen[p];
    std::vector<std::uint32_t> order(n);
    std::iota(order.begin(), order.end(), 0U);
    std::sort(order.begin(), order.end(), [&](std::uint32_t x, std::uint32_t y) {
        return seen[x] > seen[y] || (seen[x] == seen[y] && records_[x].id < records_[y].id);
    });
    std::vector<std::uint32_t> renumbered(n);
    std::vector<product_record> records(n);
    products_ = id_table();
    for (std::uint32_t i = 0; i < n; ++i) {
        renumbered[order[i]] = i;
        records[i] = records_[order[i]];
        products_.insert(records[i].id, i);
    }
    records_ = std::move(records);
    for (std::uint32_t& a : mapped) {
        if (a != no_index) a = renumbered[a];
    }
    for (auto& [u, p] : likes) p = renumbered[p];
}

template <class Baskets>
void cooccurrence_index::build_from(std::size_t count, const Baskets& basket_at,
                                    std::span<const user_like> likes, const progress_fn& progress) {
    *this = cooccurrence_index(settings_);

    // Products and users to dense indices (products by popularity, so that the pair store's
    // rows are short), first, so that the progress total is known.
    std::size_t items = 0;
    for (std::size_t i = 0; i < count; ++i) items += basket_at(i).size();
    std::vector<std::uint32_t> mapped;
    mapped.reserve(items);
    for (std::size_t i = 0; i < count; ++i) {
        for (const product_id p : basket_at(i)) {
            mapped.push_back(p.is_valid() ? intern_product(p) : no_index);
        }
    }
    std::vector<std::pair<std::uint32_t, std::uint32_t>> user_product;
    user_product.reserve(likes.size());
    for (const user_like& l : likes) {
        if (!l.user.is_valid() || !l.product.is_valid()) continue;
        user_product.emplace_back(intern_user(l.user), intern_product(l.product));
    }
    renumber_by_popularity(mapped, user_product);
    const std::size_t products = records_.size();
    progress_reporter report(progress, count + products);

    // Baskets: distinct products, counts, and the baskets that make pairs (with separators).
    basket_items_.reserve(items + count);
    std::vector<std::uint32_t> basket;
    std::size_t offset = 0;
    std::size_t pair_bound = 0;
    for (std::size_t i = 0; i < count; ++i) {
        const std::size_t size = basket_at(i).size();
        basket.clear();
        for (std::size_t j = offset; j < offset + size; ++j) {
            if (mapped[j] != no_index) basket.push_back(mapped[j]);
        }
        offset += size;
        std::sort(basket.begin(), basket.end());
        basket.erase(std::unique(basket.begin(), basket.end()), basket.end());
        if (!basket.empty()) {
            ++total_orders_;
            for (const std::uint32_t a : basket) ++all_orders_[a];
            if (basket.size() <= settings_.max_basket) {
                for (const std::uint32_t a : basket) ++records_[a].orders;
                if (basket.size() >= 2) {
                    basket_items_.insert(basket_items_.end(), basket.begin(), basket.end());
                    basket_items_.push_back(no_index);
                    pair_bound += basket.size() * (basket.size() - 1) / 2;
                }
            }
        }
        report(i + 1);
    }
    std::vector<std::uint32_t>().swap(mapped);
    if (basket_items_.size() >= no_index) throw std::length_error("too many order lines");
    // (Reserved capacity that was never written is never resident: no shrink, no copy.)

    // Inverted index: for each product, the offsets of its baskets, ascending.
    {
        holders_start_.assign(products + 1, 0);
        for (const std::uint32_t a : basket_items_) {
            if (a != no_index) ++holders_start_[a + 1];
        }
        for (std::size_t a = 0; a < products; ++a) holders_start_[a + 1] += holders_start_[a];
        holders_.resize(holders_start_[products]);
        std::vector<std::size_t> fill(holders_start_.begin(), holders_start_.end() - 1);
        std::uint32_t start = 0;
        for (std::uint32_t j = 0; j < basket_items_.size(); ++j) {
            if (basket_items_[j] == no_index) {
                start = j + 1;
            } else {
                holders_[fill[basket_items_[j]]++] = start;
            }
        }
    }

    // Likes: one set per user, users per product, both ascending.
    std::sort(user_product.begin(), user_product.end());
    user_product.erase(std::unique(user_product.begin(), user_product.end()), user_product.end());
    for (const auto& [u, p] : user_product) {
        likes_of_user_[u].push_back(p);
        users_liking_[p].push_back(u);
        ++records_[p].likes;
    }
    std::vector<std::pair<std::uint32_t, std::uint32_t>>().swap(user_product);

    for (std::uint32_t a = 0; a < products; ++a) refresh_norm(a);
    building_ = true;
    segment_partner_.reserve(pair_bound);
    segment_orders_.reserve(pair_bound);
    segment_start_.reserve(products + 1);
    for (std::uint32_t a = 0; a < products; ++a) {
        recompute_list(a);
        report(count + a + 1);
    }
    building_ = false;
    // The alarms, each heap allocated once, with room for half as many again: a heap holding
    // exactly its alarms would be copied whole at its first push after the build (a head
    // product's heap holds tens of thousands).
    {
        std::vector<std::uint32_t> per_product(products, 0);
        for (const list_head& head : heads_) {
            for (std::uint32_t i = 0; i < head.members; ++i) {
                if (head.entries[i].ticket != 0) ++per_product[head.entries[i].item];
            }
        }
        for (std::size_t a = 0; a < products; ++a) {
            alarms_[a].reserve(per_product[a] + per_product[a] / 2);
        }
        for (std::uint32_t x = 0; x < products; ++x) {
            const list_head& head = heads_[x];
            for (std::uint32_t i = 0; i < head.members; ++i) {
                const neighbour& e = head.entries[i];
                if (e.ticket != 0) alarms_[e.item].push_back({alarm_at(e), x, e.ticket});
            }
        }
        for (std::vector<watch>& heap : alarms_) {
            std::make_heap(heap.begin(), heap.end(), later_alarm);
        }
    }
    report.finish();
}

// ---- pair counts ------------------------------------------------------------------------

std::size_t cooccurrence_index::find_partner(std::uint32_t hi, std::uint32_t lo) const noexcept {
    const auto first = segment_partner_.begin() + static_cast<std::ptrdiff_t>(segment_start_[hi]);
    const auto last =
        segment_partner_.begin() + static_cast<std::ptrdiff_t>(segment_start_[hi + 1]);
    const auto it = std::lower_bound(first, last, lo);
    return it != last && *it == lo ? static_cast<std::size_t>(it - segment_partner_.begin())
                                   : segment_start_[hi + 1];
}

std::uint32_t* cooccurrence_index::order_slot(std::uint32_t a, std::uint32_t b) noexcept {
    const std::uint32_t lo = std::min(a, b);
    const std::uint32_t hi = std::max(a, b);
    if (hi + std::size_t{1} < segment_start_.size()) {
        const std::size_t j = find_partner(hi, lo);
        if (j != segment_start_[hi + 1]) return &segment_orders_[j];
    }
    return &later_pairs_.at(pair_key(lo, hi));
}

std::uint32_t cooccurrence_index::orders_between(std::uint32_t a, std::uint32_t b) const noexcept {
    const std::uint32_t lo = std::min(a, b);
    const std::uint32_t hi = std::max(a, b);
    if (hi + std::size_t{1} < segment_start_.size()) {
        const std::size_t j = find_partner(hi, lo);
        if (j != segment_start_[hi + 1]) return segment_orders_[j];
    }
    return later_pairs_.find(pair_key(lo, hi));
}

std::uint32_t cooccurrence_index::likes_between(std::uint32_t a, std::uint32_t b) const noexcept {
    if (records_[a].likes == 0 || records_[b].likes == 0) return 0;
    return count_common(users_liking_[a], users_liking_[b]);
}

void cooccurrence_index::count_row(std::uint32_t a) {
    // The row of a, pair counts with every partner, by the inverted index (the Amazon loop).
    touched_.clear();
    const auto count_baskets = [&](const std::uint32_t* offsets, std::size_t n,
                                   const std::uint32_t* items) {
        for (std::size_t i = 0; i < n; ++i) {
            // The baskets are scattered over the history: fetch ahead.
            if (i + 8 < n) __builtin_prefetch(items + offsets[i + 8]);
            for (std::uint32_t j = offsets[i]; items[j] != no_index; ++j) {
                const std::uint32_t y = items[j];
                if (y == a) continue;
                if (count_orders_[y]++ == 0 && count_likes_[y] == 0) touched_.push_back(y);
            }
        }
    };
    if (a + std::size_t{1} < holders_start_.size()) {
        count_baskets(holders_.data() + holders_start_[a],
                      holders_start_[a + 1] - holders_start_[a], basket_items_.data());
    }
    count_baskets(later_holders_[a].data(), later_holders_[a].size(), later_items_.data());
    for (const std::uint32_t u : users_liking_[a]) {
        for (const std::uint32_t y : likes_of_user_[u]) {
            if (y == a) continue;
            if (count_likes_[y]++ == 0 && count_orders_[y] == 0) touched_.push_back(y);
        }
    }
}

void cooccurrence_index::clear_row() noexcept {
    for (const std::uint32_t y : touched_) {
        count_orders_[y] = 0;
        count_likes_[y] = 0;
    }
}

// ---- lists ------------------------------------------------------------------------------

void cooccurrence_index::recompute_list(std::uint32_t a) {
    count_row(a);
    candidates_.clear();
    for (const std::uint32_t y : touched_) {
        if (eligible(count_orders_[y], count_likes_[y])) {
            candidates_.push_back({weight(count_orders_[y], count_likes_[y]) * records_[y].inv_norm,
                                   records_[y].id, y});
        }
    }
    if (building_) {
        // build() computes the lists in index order: this is the pair store's row of a, its
        // more popular partners, sorted for binary search.
        const std::size_t from = segment_partner_.size();
        for (const std::uint32_t y : touched_) {
            if (y < a && count_orders_[y] > 0) segment_partner_.push_back(y);
        }
        std::sort(segment_partner_.begin() + static_cast<std::ptrdiff_t>(from),
                  segment_partner_.end());
        for (std::size_t j = from; j < segment_partner_.size(); ++j) {
            segment_orders_.push_back(count_orders_[segment_partner_[j]]);
        }
        segment_start_.push_back(segment_partner_.size());
    }

    const std::size_t k = settings_.neighbours;
    const std::size_t tracked = k + settings_.reserve;
    list_head& state = heads_[a];
    const auto before = [](const candidate& x, const candidate& y) { return ranks_before(x, y); };
    if (candidates_.size() > tracked) {
        std::nth_element(candidates_.begin(),
                         candidates_.begin() + static_cast<std::ptrdiff_t>(tracked),
                         candidates_.end(), before);
        state.bound = {candidates_[tracked].q, candidates_[tracked].id};
        candidates_.resize(tracked);
    } else {
        state.bound = {-1.0, 0};
    }
    std::sort(candidates_.begin(), candidates_.end(), before);

    std::vector<neighbour>& list = heads_[a].entries;
    list.clear();
    list.reserve(candidates_.size());
    for (const candidate& c : candidates_) {
        list.push_back({c.item, count_orders_[c.item], count_likes_[c.item], 0, -1.0F});
    }
    clear_row();

    member_count_ -= state.members;
    state.members = static_cast<std::uint32_t>(std::min(k, list.size()));
    member_count_ += state.members;
    state.guard = list.size() > state.members ? key_of(list[state.members]) : state.bound;
    if (state.guard.q >= 0) {
        for (std::uint32_t i = 0; i < state.members; ++i) arm(a, i);
    }
}

void cooccurrence_index::arm(std::uint32_t list, std::uint32_t i) {
    neighbour& e = heads_[list].entries[i];
    const list_head& state = heads_[list];
    e.ticket = 0;
    e.level = -1.0F;
    if (state.guard.q < 0) return;  // no non-member: nothing can overtake it
    const rank_key key = key_of(e);
    if (!ranks_before(key, state.guard)) {
        mark_dirty(list);
        return;
    }
    // Halfway between the key and the guard, rounded up (never below the guard).
    const double level = state.guard.q + 0.5 * (key.q - state.guard.q);
    auto level_f = static_cast<float>(level);
    if (static_cast<double>(level_f) < level) {
        level_f = std::nextafter(level_f, std::numeric_limits<float>::infinity());
    }
    // If the key is level with the guard, ahead by id only (or within float rounding), any
    // growth of n may break it, and the level stays -1 so that any rise of the guard re-arms
    // it and below_every_level() does not rely on it. Otherwise the key stays above the level
    // until the alarm fires.
    if (static_cast<double>(level_f) < key.q) e.level = level_f;
    if (++next_ticket_ == 0) next_ticket_ = 1;
    e.ticket = next_ticket_;
    ++alarm_count_;
    if (building_) return;  // build() makes every heap at the end, in one pass per product
    std::vector<watch>& heap = alarms_[e.item];
    heap.push_back({alarm_at(e), list, e.ticket});
    std::push_heap(heap.begin(), heap.end(), later_alarm);
}

double cooccurrence_index::alarm_at(const neighbour& e) const noexcept {
    const double next = std::nextafter(norm_of(e.item), std::numeric_limits<double>::infinity());
    if (e.level < 0) return next;
    const double r = weight(e.orders, e.likes) / static_cast<double>(e.level);
    return std::max(next, r * r * watch_margin);
}

void cooccurrence_index::raise_guard(std::uint32_t list, rank_key key) {
    list_head& state = heads_[list];
    if (state.guard.q >= 0 && !ranks_before(key, state.guard)) return;
    state.guard = key;
    // Only the members whose alarm level is now below the guard need a new one.
    for (std::uint32_t i = 0; i < state.members && dirty_flag_[list] == 0; ++i) {
        if (static_cast<double>(heads_[list].entries[i].level) < key.q) arm(list, i);
    }
}

bool cooccurrence_index::below_every_level(std::uint32_t list, double q) const noexcept {
    // Every member's key is above its alarm level, so a key at or below all the levels cannot
    // beat any member. The levels sit in the entries: no look-up of the members' n is needed.
    const list_head& head = heads_[list];
    for (std::uint32_t i = 0; i < head.members; ++i) {
        if (static_cast<double>(head.entries[i].level) < q) return false;
    }
    return head.members > 0;
}

std::uint32_t cooccurrence_index::weakest(std::uint32_t list, std::uint32_t from,
                                          std::uint32_t to) const noexcept {
    const std::vector<neighbour>& l = heads_[list].entries;
    std::uint32_t best = from;
    rank_key best_key = key_of(l[from]);
    for (std::uint32_t i = from + 1; i < to; ++i) {
        const rank_key k = key_of(l[i]);
        if (ranks_before(best_key, k)) {
            best = i;
            best_key = k;
        }
    }
    return best;
}

std::uint32_t cooccurrence_index::strongest(std::uint32_t list, std::uint32_t from,
                                            std::uint32_t to) const noexcept {
    const std::vector<neighbour>& l = heads_[list].entries;
    std::uint32_t best = from;
    rank_key best_key = key_of(l[from]);
    for (std::uint32_t i = from + 1; i < to; ++i) {
        const rank_key k = key_of(l[i]);
        if (ranks_before(k, best_key)) {
            best = i;
            best_key = k;
        }
    }
    return best;
}

void cooccurrence_index::touch(std::uint32_t list, std::uint32_t b, pair_counts now) {
    if (dirty_flag_[list] != 0) return;  // recomputed at the end of the update anyway
    // touch() only sees pair counts rise (removals go through lower() or recompute): a pair
    // still below min_support was below it before, so no list tracks it.
    if (!eligible(now.orders, now.likes)) return;
    std::vector<neighbour>& l = heads_[list].entries;
    list_head& state = heads_[list];
    const std::uint32_t m = state.members;
    const auto size = static_cast<std::uint32_t>(l.size());
    // Fast path: a partner whose new key does not pass the bound is not a member (members are
    // above the guard, which is at least the bound), so it is a reserve entry or untracked.
    std::uint32_t i = 0;
    if (state.bound.q >= 0 &&
        !ranks_before(
            rank_key{weight(now.orders, now.likes) * records_[b].inv_norm, records_[b].id},
            state.bound)) {
        i = m;
        while (i < size && l[i].item != b) ++i;
        if (i == size) return;
    } else {
        while (i < size && l[i].item != b) ++i;
    }
    if (i < size) {
        l[i].orders = now.orders;
        l[i].likes = now.likes;
        if (i >= m && ranks_before(key_of(l[i]), state.guard)) {
            // A reserve entry rose above the guard: it may overtake the weakest member, and
            // the guard rises. (Members are above the guard, so below it nothing changes; a
            // member that rose stays above everything it was above.)
            const rank_key key = key_of(l[i]);
            const std::uint32_t w = below_every_level(list, key.q) ? no_index : weakest(list, 0, m);
            const rank_key weak = w == no_index ? key : key_of(l[w]);
            if (w != no_index && ranks_before(key, weak)) {
                std::swap(l[i], l[w]);
                l[i].ticket = 0;
                l[i].level = -1.0F;
                raise_guard(list, weak);
                if (l[w].ticket == 0) arm(list, w);
            } else {
                raise_guard(list, key);
            }
        }
        return;
    }
    const neighbour fresh{b, now.orders, now.likes, 0, -1.0F};
    const rank_key key = key_of(fresh);
    if (state.bound.q >= 0 && !ranks_before(key, state.bound)) return;  // the bound holds
    if (m < settings_.neighbours) {
        // Not full: no reserve, no bound, nothing to overtake.
        l.push_back(fresh);
        ++state.members;
        ++member_count_;
        return;
    }
    // b must be tracked: as a member if it beats the weakest one (which moves to the reserve),
    // else in the reserve; the reserve's weakest leaves if it is full, raising the bound.
    // Members are above the guard: only a key above it can beat the weakest.
    rank_key entering = key;
    std::uint32_t promoted = no_index;
    if ((state.guard.q < 0 || ranks_before(key, state.guard)) && !below_every_level(list, key.q)) {
        const std::uint32_t w = weakest(list, 0, m);
        const rank_key weak = key_of(l[w]);
        if (ranks_before(key, weak)) {
            l.push_back(l[w]);
            l.back().ticket = 0;
            l.back().level = -1.0F;
            l[w] = fresh;
            entering = weak;
            promoted = w;
        }
    }
    if (promoted == no_index) l.push_back(fresh);
    if (l.size() - m > settings_.reserve) {
        const std::uint32_t e = weakest(list, m, static_cast<std::uint32_t>(l.size()));
        const rank_key gone = key_of(l[e]);
        l[e] = l.back();
        l.pop_back();
        if (state.bound.q < 0 || ranks_before(gone, state.bound)) state.bound = gone;
    }
    raise_guard(list, entering);
    if (state.bound.q >= 0) raise_guard(list, state.bound);
    if (promoted != no_index && l[promoted].ticket == 0 && state.guard.q >= 0 &&
        dirty_flag_[list] == 0) {
        arm(list, promoted);
    }
}

void cooccurrence_index::check_alarms(std::uint32_t a) {
    std::vector<watch>& heap = alarms_[a];
    const double n = norm_of(a);
    while (!heap.empty() && heap.front().at <= n) {
        std::pop_heap(heap.begin(), heap.end(), later_alarm);
        const watch w = heap.back();
        heap.pop_back();
        --alarm_count_;
        if (dirty_flag_[w.list] != 0) continue;
        const std::vector<neighbour>& l = heads_[w.list].entries;
        const std::uint32_t m = heads_[w.list].members;
        std::uint32_t i = 0;
        while (i < m && !(l[i].item == a && l[i].ticket == w.ticket)) ++i;
        if (i == m) continue;  // stale: the member left or was re-armed
        // arm() pushes onto this heap, at more than n: it does not surface again now.
        if (ranks_before(key_of(l[i]), heads_[w.list].guard)) {
            arm(w.list, i);
        } else {
            repair(w.list, i);
        }
    }
}

void cooccurrence_index::repair(std::uint32_t list, std::uint32_t i) {
    std::vector<neighbour>& l = heads_[list].entries;
    list_head& state = heads_[list];
    const std::uint32_t m = state.members;
    const auto size = static_cast<std::uint32_t>(l.size());
    const rank_key key = key_of(l[i]);
    // The guard may be stale (reserve keys fall too): what is the best non-member now?
    const std::uint32_t s = size > m ? strongest(list, m, size) : no_index;
    rank_key best = state.bound;
    if (s != no_index && (best.q < 0 || ranks_before(key_of(l[s]), best))) best = key_of(l[s]);
    if (best.q < 0 || ranks_before(key, best)) {
        state.guard = best;  // lower than before: every other member's level stays valid
        arm(list, i);
        return;
    }
    // The member fell below a non-member: the best reserve entry takes its place if it is
    // above every untracked partner too.
    if (s != no_index && ranks_before(key_of(l[s]), key) &&
        (state.bound.q < 0 || ranks_before(key_of(l[s]), state.bound))) {
        std::swap(l[i], l[s]);
        l[s].ticket = 0;
        l[s].level = -1.0F;
        rank_key guard = state.bound;
        const rank_key reserve_best = key_of(l[strongest(list, m, size)]);
        if (guard.q < 0 || ranks_before(reserve_best, guard)) guard = reserve_best;
        state.guard = guard;  // not above the old guard
        arm(list, i);
        return;
    }
    mark_dirty(list);
}

void cooccurrence_index::mark_dirty(std::uint32_t a) {
    if (dirty_flag_[a] != 0) return;
    dirty_flag_[a] = 1;
    dirty_.push_back(a);
}

void cooccurrence_index::recompute_dirty() {
    while (!dirty_.empty()) {
        const std::uint32_t a = dirty_.back();
        dirty_.pop_back();
        dirty_flag_[a] = 0;
        recompute_list(a);
    }
}

void cooccurrence_index::maybe_compact_alarms() {
    if (alarm_count_ <= 2 * member_count_ + 65536) return;
    for (std::vector<watch>& heap : alarms_) heap.clear();
    alarm_count_ = 0;
    for (std::uint32_t a = 0; a < heads_.size(); ++a) {
        if (heads_[a].guard.q < 0) continue;
        for (std::uint32_t i = 0; i < heads_[a].members; ++i) arm(a, i);
    }
    recompute_dirty();
}

// ---- updates ----------------------------------------------------------------------------

void cooccurrence_index::add_order(std::span<const product_id> basket) {
    std::vector<std::uint32_t>& items = update_items_;
    items.clear();
    for (const product_id p : basket) {
        if (p.is_valid()) items.push_back(intern_product(p));
    }
    std::sort(items.begin(), items.end());
    items.erase(std::unique(items.begin(), items.end()), items.end());
    if (items.empty()) return;
    ++total_orders_;
    for (const std::uint32_t a : items) ++all_orders_[a];
    if (items.size() > settings_.max_basket) return;
    const std::size_t m = items.size();
    if (m >= 2 && later_items_.size() + m + 1 >= no_index) {
        throw std::length_error("too many order lines; rebuild");
    }

    // The lists, records and alarms the update will visit are scattered: fetch them while
    // the pair counts are looked up.
    for (const std::uint32_t a : items) {
        __builtin_prefetch(&heads_[a]);
        __builtin_prefetch(&records_[a]);
        __builtin_prefetch(&alarms_[a]);
        if (a + std::size_t{1} < segment_start_.size()) __builtin_prefetch(&segment_start_[a]);
    }
    for (std::size_t i = 0; i < m; ++i) {  // items ascend: (items[i], items[j]) is (lo, hi)
        for (std::size_t j = i + 1; j < m; ++j) later_pairs_.prefetch(pair_key(items[i], items[j]));
    }
    std::vector<pair_counts>& now = update_pairs_;
    now.clear();
    for (std::size_t i = 0; i < m; ++i) {
        for (std::size_t j = i + 1; j < m; ++j) {
            std::uint32_t* orders = order_slot(items[i], items[j]);
            ++*orders;
            now.push_back({*orders, likes_between(items[i], items[j])});
        }
    }
    for (const std::uint32_t a : items) {
        ++records_[a].orders;
        refresh_norm(a);
    }
    if (m >= 2) {
        const auto start = static_cast<std::uint32_t>(later_items_.size());
        later_items_.insert(later_items_.end(), items.begin(), items.end());
        later_items_.push_back(no_index);
        for (const std::uint32_t a : items) later_holders_[a].push_back(start);
    }

    for (const std::uint32_t a : items) {
        const std::vector<neighbour>& entries = heads_[a].entries;
        const auto* bytes = reinterpret_cast<const char*>(entries.data());
        for (std::size_t off = 0; off < entries.size() * sizeof(neighbour); off += 64) {
            __builtin_prefetch(bytes + off);
        }
        if (!alarms_[a].empty()) __builtin_prefetch(alarms_[a].data());
    }
    std::size_t p = 0;
    for (std::size_t i = 0; i < m; ++i) {
        for (std::size_t j = i + 1; j < m; ++j, ++p) {
            touch(items[i], items[j], now[p]);
            touch(items[j], items[i], now[p]);
        }
    }
    for (const std::uint32_t a : items) check_alarms(a);
    recompute_dirty();
    maybe_compact_alarms();
}

bool cooccurrence_index::add_like(user_id user, product_id product) {
    if (!user.is_valid() || !product.is_valid()) return false;
    const std::uint32_t p = intern_product(product);
    const std::uint32_t u = intern_user(user);
    std::vector<std::uint32_t>& mine = likes_of_user_[u];
    const auto at = std::lower_bound(mine.begin(), mine.end(), p);
    if (at != mine.end() && *at == p) return false;

    std::vector<std::uint32_t> others(mine.begin(), mine.end());
    std::vector<pair_counts> now;
    now.reserve(others.size());
    for (const std::uint32_t q : others) {
        now.push_back({orders_between(p, q), likes_between(p, q) + 1});
    }

    mine.insert(at, p);
    std::vector<std::uint32_t>& fans = users_liking_[p];
    fans.insert(std::lower_bound(fans.begin(), fans.end(), u), u);
    ++records_[p].likes;
    refresh_norm(p);

    for (std::size_t i = 0; i < others.size(); ++i) {
        touch(p, others[i], now[i]);
        touch(others[i], p, now[i]);
    }
    check_alarms(p);
    recompute_dirty();
    maybe_compact_alarms();
    return true;
}

bool cooccurrence_index::remove_like(user_id user, product_id product) {
    const std::uint32_t p = products_.find(product.value());
    const std::uint32_t u = users_.find(user.value());
    if (p == id_table::none || u == id_table::none) return false;
    std::vector<std::uint32_t>& mine = likes_of_user_[u];
    const auto at = std::lower_bound(mine.begin(), mine.end(), p);
    if (at == mine.end() || *at != p) return false;

    mine.erase(at);
    std::vector<std::uint32_t>& fans = users_liking_[p];
    fans.erase(std::lower_bound(fans.begin(), fans.end(), u));
    --records_[p].likes;
    refresh_norm(p);

    // Pairs with the user's other likes lost a count: those lists and p's are recomputed.
    mark_dirty(p);
    for (const std::uint32_t q : mine) mark_dirty(q);

    recheck_partners(p);
    recompute_dirty();
    maybe_compact_alarms();
    return true;
}

void cooccurrence_index::lower(std::uint32_t list, std::uint32_t b, pair_counts now) {
    if (dirty_flag_[list] != 0) return;
    std::vector<neighbour>& l = heads_[list].entries;
    const auto it =
        std::find_if(l.begin(), l.end(), [b](const neighbour& e) { return e.item == b; });
    if (it == l.end()) return;  // untracked: further below the bound
    it->orders = now.orders;
    it->likes = now.likes;
    if (!eligible(now.orders, now.likes)) {
        mark_dirty(list);  // it leaves the list
        return;
    }
    const auto i = static_cast<std::uint32_t>(it - l.begin());
    const list_head& state = heads_[list];
    if (i >= state.members || state.guard.q < 0) return;  // reserve, or nothing to overtake it
    // A member moved (its own n fell too): still above the guard, it gets a new alarm below
    // its key; below it, it is replaced as when its alarm fires.
    if (ranks_before(key_of(*it), state.guard)) {
        arm(list, i);
    } else {
        repair(list, i);
    }
}

void cooccurrence_index::recheck_partners(std::uint32_t p) {
    // n_p fell, so p's key rose in every list where it is a partner. Where it is still at or
    // below the list's bound nothing changes, whatever p is there (member, reserve or
    // untracked). Above it, a list that holds p in reserve above the guard, or does not hold
    // it at all, has to change (a member that rose stays a member).
    count_row(p);
    const product_record& r = records_[p];
    for (const std::uint32_t x : touched_) {
        if (dirty_flag_[x] != 0) continue;
        const std::uint32_t o = count_orders_[x];
        const std::uint32_t k = count_likes_[x];
        if (!eligible(o, k)) continue;  // no list holds a pair below min_support
        const list_head& head = heads_[x];
        const rank_key key{weight(o, k) * r.inv_norm, r.id};
        if (head.bound.q >= 0 && !ranks_before(key, head.bound)) continue;
        const std::vector<neighbour>& l = head.entries;
        const auto it =
            std::find_if(l.begin(), l.end(), [p](const neighbour& e) { return e.item == p; });
        if (it == l.end()) {
            mark_dirty(x);
        } else if (it - l.begin() >= static_cast<std::ptrdiff_t>(head.members) &&
                   (head.guard.q < 0 || ranks_before(key, head.guard))) {
            mark_dirty(x);
        }
    }
    clear_row();
}

std::uint32_t* cooccurrence_index::stored_basket(std::span<const std::uint32_t> items) {
    // Through the baskets of its rarest product.
    const std::uint32_t rare =
        *std::min_element(items.begin(), items.end(), [this](std::uint32_t x, std::uint32_t y) {
            return records_[x].orders < records_[y].orders;
        });
    const auto same = [&items](const std::uint32_t* basket) {
        for (std::size_t j = 0; j < items.size(); ++j) {
            if (basket[j] != items[j]) return false;
        }
        return basket[items.size()] == no_index;
    };
    if (rare + std::size_t{1} < holders_start_.size()) {
        for (std::size_t h = holders_start_[rare]; h < holders_start_[rare + 1]; ++h) {
            std::uint32_t* basket = basket_items_.data() + holders_[h];
            if (same(basket)) return basket;
        }
    }
    for (const std::uint32_t start : later_holders_[rare]) {
        std::uint32_t* basket = later_items_.data() + start;
        if (same(basket)) return basket;
    }
    return nullptr;
}

bool cooccurrence_index::remove_order(std::span<const product_id> basket) {
    std::vector<std::uint32_t>& items = update_items_;
    items.clear();
    for (const product_id p : basket) {
        if (!p.is_valid()) continue;
        const std::uint32_t a = products_.find(p.value());
        if (a == id_table::none) return false;  // never learned
        items.push_back(a);
    }
    std::sort(items.begin(), items.end());
    items.erase(std::unique(items.begin(), items.end()), items.end());
    if (items.empty()) return false;
    const std::size_t m = items.size();
    const bool pairs = m >= 2 && m <= settings_.max_basket;
    if (pairs) {
        // The basket itself leaves: recounts (recompute_list) must not see it again. An empty
        // basket counts as nothing, and the holders' offsets to it stay harmless.
        std::uint32_t* stored = stored_basket(items);
        if (stored == nullptr) return false;
        *stored = no_index;
    } else {
        // Baskets of one product or of more than max_basket are counted, not stored.
        for (const std::uint32_t a : items) {
            if (all_orders_[a] == 0 || (m == 1 && records_[a].orders == 0)) return false;
        }
    }
    --total_orders_;
    for (const std::uint32_t a : items) --all_orders_[a];
    if (m > settings_.max_basket) return true;
    for (std::size_t i = 0; i < m; ++i) {
        for (std::size_t j = i + 1; j < m; ++j) --*order_slot(items[i], items[j]);
    }
    for (const std::uint32_t a : items) {
        --records_[a].orders;
        refresh_norm(a);
    }
    // Pairs within the order lost a count; the products' n fell, so the lists holding them
    // as partners are checked as after an unlike.
    if (pairs) {
        for (std::size_t i = 0; i < m; ++i) {
            for (std::size_t j = i + 1; j < m; ++j) {
                const pair_counts now{orders_between(items[i], items[j]),
                                      likes_between(items[i], items[j])};
                lower(items[i], items[j], now);
                lower(items[j], items[i], now);
            }
        }
    }
    for (const std::uint32_t a : items) recheck_partners(a);
    recompute_dirty();
    maybe_compact_alarms();
    return true;
}

// ---- queries ----------------------------------------------------------------------------

std::vector<scored_product> cooccurrence_index::select(std::vector<scored_product>& candidates,
                                                       std::size_t limit,
                                                       const exclude_fn& exclude) const {
    if (!exclude) {
        if (limit < candidates.size()) {
            std::partial_sort(candidates.begin(),
                              candidates.begin() + static_cast<std::ptrdiff_t>(limit),
                              candidates.end(), better);
            candidates.resize(limit);
        } else {
            std::sort(candidates.begin(), candidates.end(), better);
        }
        return std::move(candidates);
    }
    // Lazily: the predicate sees the best candidates first and only as many as needed.
    const auto worse = [](const scored_product& x, const scored_product& y) {
        return better(y, x);
    };
    std::make_heap(candidates.begin(), candidates.end(), worse);
    std::vector<scored_product> out;
    out.reserve(std::min(limit, candidates.size()));
    auto end = candidates.end();
    while (end != candidates.begin() && out.size() < limit) {
        std::pop_heap(candidates.begin(), end, worse);
        --end;
        if (!exclude(end->product)) out.push_back(*end);
    }
    return out;
}

std::vector<scored_product> cooccurrence_index::related(product_id product, std::size_t limit,
                                                        const exclude_fn& exclude) const {
    const std::uint32_t a = products_.find(product.value());
    if (limit == 0 || a == id_table::none) return {};
    const double ra = records_[a].inv_norm;
    std::vector<scored_product> candidates;
    const std::vector<neighbour>& list = heads_[a].entries;
    const std::uint32_t members = heads_[a].members;
    candidates.reserve(members);
    for (std::uint32_t i = 0; i < members; ++i) {
        const neighbour& e = list[i];
        candidates.push_back(
            {product_id(records_[e.item].id), key_of(e).q * ra, product, signal_of(e)});
    }
    return select(candidates, limit, exclude);
}

std::vector<scored_product> cooccurrence_index::for_items(std::span<const weighted_product> items,
                                                          std::size_t limit,
                                                          const exclude_fn& exclude) const {
    if (limit == 0 || items.empty()) return {};
    // Distinct items in id order, each with its largest usable weight.
    std::vector<weighted_product> query(items.begin(), items.end());
    for (weighted_product& q : query) {
        if (!(q.weight > 0 && std::isfinite(q.weight))) q.weight = 0;
    }
    std::sort(query.begin(), query.end(), [](const weighted_product& x, const weighted_product& y) {
        return x.product < y.product || (x.product == y.product && x.weight > y.weight);
    });
    query.erase(std::unique(query.begin(), query.end(),
                            [](const weighted_product& x, const weighted_product& y) {
                                return x.product == y.product;
                            }),
                query.end());

    thread_local merge_map map;
    const merge_guard guard{map};
    std::size_t expected = query.size();
    for (const weighted_product& q : query) {
        const std::uint32_t a = products_.find(q.product.value());
        if (a != id_table::none) expected += heads_[a].members;
    }
    map.prepare(expected);
    for (const weighted_product& q : query) {
        const std::uint32_t a = products_.find(q.product.value());
        if (a != id_table::none) map.at(a).excluded = true;
    }
    for (const weighted_product& q : query) {
        const std::uint32_t a = products_.find(q.product.value());
        if (a == id_table::none || q.weight == 0) continue;
        const double scale = q.weight * records_[a].inv_norm;
        const std::vector<neighbour>& list = heads_[a].entries;
        const std::uint32_t members = heads_[a].members;
        for (std::uint32_t i = 0; i < members; ++i) {
            const neighbour& e = list[i];
            merge_slot& s = map.at(e.item);
            if (s.excluded) continue;
            const double contribution = key_of(e).q * scale;
            s.score += contribution;
            if (contribution > s.best) {
                s.best = contribution;
                s.because = a;
                s.signal = signal_of(e);
            }
        }
    }
    std::vector<scored_product> candidates;
    candidates.reserve(map.used().size());
    for (const std::uint32_t i : map.used()) {
        const merge_slot& s = map.slot(i);
        if (s.excluded) continue;
        candidates.push_back({product_id(records_[s.key - 1].id), s.score,
                              product_id(records_[s.because].id), s.signal});
    }
    map.clear();
    return select(candidates, limit, exclude);
}

std::vector<scored_product> cooccurrence_index::for_user(user_id user,
                                                         std::span<const product_id> purchased,
                                                         std::size_t limit,
                                                         const exclude_fn& exclude) const {
    std::vector<weighted_product> items;
    items.reserve(purchased.size());
    for (const product_id p : purchased) items.push_back({p, 1.0});
    const std::uint32_t u = users_.find(user.value());
    if (u != id_table::none) {
        for (const std::uint32_t p : likes_of_user_[u]) {
            items.push_back({product_id(records_[p].id), settings_.like_weight});
        }
    }
    return for_items(items, limit, exclude);
}

std::uint64_t cooccurrence_index::order_count(product_id product) const noexcept {
    const std::uint32_t a = products_.find(product.value());
    return a == id_table::none ? 0 : all_orders_[a];
}

std::uint64_t cooccurrence_index::like_count(product_id product) const noexcept {
    const std::uint32_t a = products_.find(product.value());
    return a == id_table::none ? 0 : records_[a].likes;
}

double cooccurrence_index::popularity(product_id product) const noexcept {
    const std::uint32_t a = products_.find(product.value());
    return a == id_table::none ? 0.0 : weight(all_orders_[a], records_[a].likes);
}

std::vector<scored_product> cooccurrence_index::most_popular(std::span<const product_id> candidates,
                                                             std::size_t limit,
                                                             const exclude_fn& exclude) const {
    if (limit == 0) return {};
    std::vector<product_id> distinct(candidates.begin(), candidates.end());
    std::sort(distinct.begin(), distinct.end());
    distinct.erase(std::unique(distinct.begin(), distinct.end()), distinct.end());
    std::vector<scored_product> ranked;
    ranked.reserve(distinct.size());
    for (const product_id p : distinct) {
        ranked.push_back({p, popularity(p), product_id(), reco_signal::popularity});
    }
    return select(ranked, limit, exclude);
}

std::vector<scored_product> cooccurrence_index::most_popular(std::size_t limit,
                                                             const exclude_fn& exclude) const {
    if (limit == 0) return {};
    std::vector<scored_product> ranked;
    ranked.reserve(records_.size());
    for (std::uint32_t a = 0; a < records_.size(); ++a) {
        ranked.push_back({product_id(records_[a].id), weight(all_orders_[a], records_[a].likes),
                          product_id(), reco_signal::popularity});
    }
    return select(ranked, limit, exclude);
}

std::vector<product_id> cooccurrence_index::likes_of(user_id user) const {
    const std::uint32_t u = users_.find(user.value());
    if (u == id_table::none) return {};
    std::vector<product_id> out;
    out.reserve(likes_of_user_[u].size());
    for (const std::uint32_t p : likes_of_user_[u]) out.emplace_back(records_[p].id);
    std::sort(out.begin(), out.end());
    return out;
}

std::size_t cooccurrence_index::memory_bytes() const noexcept {
    const auto flat = [](const auto& v) { return v.capacity() * sizeof(v[0]); };
    // build() reserves these at an upper bound and writes a part: the rest is never touched.
    const auto used = [](const auto& v) { return v.size() * sizeof(v[0]); };
    const auto nested = [&flat](const auto& vv) {
        std::size_t bytes = vv.capacity() * sizeof(vv[0]);
        for (const auto& v : vv) bytes += flat(v);
        return bytes;
    };
    const std::size_t later_pairs = later_pairs_.memory_bytes();
    std::size_t lists = flat(heads_);
    for (const list_head& h : heads_) lists += flat(h.entries);
    return products_.memory_bytes() + users_.memory_bytes() + flat(records_) + flat(all_orders_) +
           flat(holders_start_) + flat(holders_) + flat(later_items_) + nested(later_holders_) +
           nested(users_liking_) + lists + nested(alarms_) + used(basket_items_) +
           flat(segment_start_) + used(segment_partner_) + used(segment_orders_) + later_pairs +
           nested(likes_of_user_) + flat(dirty_flag_) + flat(dirty_) + flat(count_orders_) +
           flat(count_likes_) + flat(touched_) + flat(candidates_);
}

}  // namespace shopcore::detail
