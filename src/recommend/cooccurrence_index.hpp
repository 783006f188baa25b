#ifndef SHOPCORE_SRC_RECOMMEND_COOCCURRENCE_INDEX_HPP
#define SHOPCORE_SRC_RECOMMEND_COOCCURRENCE_INDEX_HPP

// Internal: the item-to-item index behind shop::recommendations(). It knows nothing of the
// database, categories or stock: the integrator feeds it orders and likes (build() at open,
// add_order() / remove_order() / add_like() / remove_like() as they happen) and passes "inactive or
// out of stock" in as a predicate.
//
// Similarity. Every order is a basket of distinct products with weight 1; every user's set of
// liked products is one more basket with weight w (settings.like_weight). For products a, b:
//
//     n_a  = O_a + w * L_a          O_a: orders holding a, L_a: users liking a
//     c_ab = O_ab + w * L_ab        O_ab: orders holding both, L_ab: users liking both
//     sim(a, b) = c_ab / sqrt(n_a * n_b)
//
// which is the cosine of a and b's columns in the basket x product matrix whose rows carry
// those weights: a product bought with everything has a large n and does not top every list,
// and a pair seen only through likes scores below the same pair seen through orders (c scales
// with w, sqrt(n_a * n_b) only with sqrt(w) per side). Orders with more than
// settings.max_basket distinct products (wholesale, bulk) count towards popularity only.
//
// Index. Each product keeps its top settings.neighbours partners b by sim(a, b) (ties: smaller
// product id first), with pair counts O_ab and L_ab. Scores are computed at query time from the
// counts and the current n, so they are always exact. The incremental updates keep every list
// exactly equal to what build() over the same history gives: same neighbours, same scores to
// the bit (the same operations on the same counts), which the unit tests check on random
// histories. There is no approximation; the .cpp says how (a bound and a guard per list,
// alarms on the members' n, a reserve of next-best partners, a pair-count store).
//
// Memory (1,000,000 orders over 100,000 products, benchmarks/README.md): about 160 MB with
// min_support 1, 90 MB with 2; it keeps the baskets (4 bytes per order line), the pair counts
// (8 bytes per distinct pair) and the lists (20 bytes per tracked neighbour).
//
// Thread safety: const member functions may run concurrently with each other (for_items() uses
// a per-thread table that grows to the largest query's size, a few KB for a cart). build(),
// add_order(), remove_order(), add_like() and remove_like() need exclusive access: the caller
// serialises them against everything else (a std::shared_mutex: shared for queries, exclusive for
// updates). An update takes a few microseconds.

#include <cstddef>
#include <cstdint>
#include <functional>
#include <span>
#include <unordered_map>
#include <utility>
#include <vector>

#include <shopcore/core/ids.hpp>

namespace shopcore::detail {

/// How the index learns and what it keeps.
struct cooccurrence_settings {
    /// Neighbours kept per product (the k of top-k): the longest list related() can return and
    /// what each item of a for_items() query contributes. Between 1 and 100000.
    std::size_t neighbours = 50;
    /// Weight of one user's likes relative to one order, in [0.001, 1000]. With the default
    /// 0.5, two users liking a pair count like one order holding it.
    double like_weight = 0.5;
    /// A pair enters the lists only when O_ab + L_ab (orders plus users, unweighted) reaches
    /// this. 1 is plain cosine; 2 drops pairs seen once, which on large histories removes
    /// chance pairs between rare products (benchmarks/README.md measures both). At least 1.
    std::uint32_t min_support = 1;
    /// Orders with more distinct products than this count towards popularity but not towards
    /// co-occurrence (they would add max_basket^2 / 2 pairs each and say little). At least 2.
    std::size_t max_basket = 100;
    /// Candidates tracked per product beyond `neighbours` (with their pair counts), so that
    /// when a neighbour falls out after an update, its successor is known without recounting
    /// the product's orders. A performance knob: results do not depend on it. Memory grows by
    /// about 20 bytes per product per unit. At most 100000.
    std::size_t reserve = 16;
};

/// The history size from which automatic_min_support() leaves out pairs seen once.
inline constexpr std::size_t large_history_orders = 100000;

/// The min_support a build over `orders` orders uses when the settings leave it to the library
/// (recommender_settings::min_support = 0): 1 below large_history_orders, 2 from there. In a
/// young shop a pair seen once is most of what there is to know; in a large history such pairs
/// are mostly chance meetings of rare products, which take the top of many lists (a partner
/// bought once, with that product, scores the largest possible key) and churn with every order.
/// Measured on generated histories over 100,000 products (benchmarks/README.md): from 100,000
/// orders on, 2 gives 0.8-3.4 points more hold-out hits (and, at 1,000,000 orders, better
/// planted-pair recall, two thirds of the build time, half the memory and under half the
/// update time). Below that, both are under the most-popular baseline (within half a point
/// of each other at 40,000 orders), and a shop whose every pair is rare keeps them all.
constexpr std::uint32_t automatic_min_support(std::size_t orders) noexcept {
    return orders >= large_history_orders ? 2 : 1;
}

/// Where a recommendation comes from.
enum class reco_signal : std::uint8_t {
    orders,     ///< bought together with `because_of`
    likes,      ///< liked by people who liked `because_of`
    popularity  ///< popular (most_popular(); `because_of` is invalid)
};

/// One recommended product.
struct scored_product {
    /// The product recommended.
    product_id product;
    /// Higher is better. For related(): sim(query, product), in (0, 1]. For for_items(): the
    /// sum over query items q of weight(q) * sim(q, product). For most_popular(): popularity().
    double score = 0;
    /// The query item whose contribution to `score` was largest (ties: the smaller id);
    /// invalid for popularity.
    product_id because_of;
    /// Orders when that item's pair count from orders (O) is at least its weighted count from
    /// likes (w * L), likes otherwise; popularity for most_popular().
    reco_signal signal = reco_signal::orders;

    /// Member-wise equality (scores compared exactly).
    friend bool operator==(const scored_product&, const scored_product&) = default;
};

/// A user likes a product (a wishlist entry, a heart).
struct user_like {
    user_id user;
    product_id product;
};

/// An item of a for_items() query with its weight (1 for a cart line; a caller may weight
/// recent purchases higher, likes lower).
struct weighted_product {
    product_id product;
    double weight = 1.0;
};

/// Baskets stored flat (one array of product ids and one of offsets): what build() reads, about
/// 8 bytes per order line, where a std::vector per order costs 40 bytes more per order.
class basket_list {
public:
    /// Reserves room for `baskets` baskets holding `items` product ids in all.
    void reserve(std::size_t baskets, std::size_t items);
    /// Appends a basket (duplicates allowed; build() counts a product once per basket).
    void add(std::span<const product_id> basket);
    /// Appends a product to the open basket (streaming order lines sorted by order).
    void append(product_id product) { items_.push_back(product); }
    /// Closes the open basket (empty baskets are kept; they count as nothing).
    void close_basket() { starts_.push_back(items_.size()); }
    /// Number of closed baskets.
    [[nodiscard]] std::size_t size() const noexcept { return starts_.size() - 1; }
    /// Number of product ids in closed baskets.
    [[nodiscard]] std::size_t item_count() const noexcept { return starts_.back(); }
    /// Basket `i`. @pre i < size().
    [[nodiscard]] std::span<const product_id> operator[](std::size_t i) const noexcept {
        return {items_.data() + starts_[i], items_.data() + starts_[i + 1]};
    }
    /// Removes every basket.
    void clear() noexcept;

private:
    std::vector<product_id> items_;
    std::vector<std::size_t> starts_{0};
};

/// Item-to-item co-occurrence index: top-k cosine neighbours per product, learned from orders
/// and likes, updated incrementally. See the file comment for the formula and thread safety.
class cooccurrence_index {
public:
    /// Decides which products the query leaves out (true: leave it out), e.g. "inactive or out
    /// of stock". Called lazily, best candidate first, until the limit is filled, so typically
    /// about `limit` times. It must not modify the index (it may query it).
    using exclude_fn = std::function<bool(product_id)>;
    /// Reports build progress: `done` of `total` units (a unit is one basket read or one
    /// product's list computed).
    using progress_fn = std::function<void(std::size_t done, std::size_t total)>;

    /// An empty index with these settings.
    /// @throws validation_error naming the setting (neighbours, like_weight, min_support,
    /// max_basket) when it is out of range.
    explicit cooccurrence_index(cooccurrence_settings settings = {});

    /// The settings it was built with.
    [[nodiscard]] const cooccurrence_settings& settings() const noexcept { return settings_; }

    /// Replaces the contents with what `orders` and `likes` teach (a duplicate like counts
    /// once; invalid ids are ignored). `progress`, when set, is called with increasing `done`
    /// at most about every 1% of `total`, and last with done == total.
    /// Complexity: O(sum over orders of size^2 + sum over users of likes^2 + pairs) time,
    /// O(order lines + likes + products * neighbours) memory (benchmarks/README.md: 1,000,000
    /// orders over 100,000 products in about a second).
    void build(const basket_list& orders, std::span<const user_like> likes,
               const progress_fn& progress = {});
    /// The same from one vector per basket.
    void build(std::span<const std::vector<product_id>> orders, std::span<const user_like> likes,
               const progress_fn& progress = {});

    /// Learns one placed order (duplicates in `basket` count once; invalid ids are ignored).
    /// Afterwards the index equals build() over the history plus this order.
    /// @throws std::length_error past 2^32 order lines learned since build() (rebuild).
    /// Complexity: O(size^2 * (neighbours + reserve)) list updates, a pair-count lookup per
    /// pair, and the alarms of the order's products that fire; a list whose reserve cannot
    /// replace a fallen neighbour is recounted (rare). About 5 microseconds for a typical
    /// order on a 1,000,000-order index.
    void add_order(std::span<const product_id> basket);
    /// Learns that `user` likes `product`. Returns false (and changes nothing) if it was known
    /// or an id is invalid. Complexity: like an order of the user's likes plus one.
    bool add_like(user_id user, product_id product);
    /// Forgets a placed order (a cancellation): afterwards the index equals build() over the
    /// history without it. Any learned order holding exactly these products (duplicates count
    /// once; invalid ids are ignored) is the one removed. Returns false (and changes nothing)
    /// if no learned order of two to max_basket products holds exactly these; for an order of
    /// one product or of more than max_basket, only that its products were ordered is
    /// checked: the caller removes only orders it gave to build() or add_order(), once.
    /// Complexity: a recount of each product's orders and a look at its partners' bounds,
    /// plus the lists that must be recomputed (benchmarks/README.md: a few milliseconds on a
    /// 1,000,000-order index).
    bool remove_order(std::span<const product_id> basket);
    /// Forgets a like. Returns false (and changes nothing) if it was not known. Recomputes the
    /// lists of the product and of the user's other liked products, and of any product whose
    /// list the product may now enter: a recount of the product's orders plus those
    /// recomputations.
    bool remove_like(user_id user, product_id product);

    /// Up to `limit` products most similar to `product`, best first (ties: smaller id),
    /// leaving out those `exclude` rejects; because_of is `product`. Empty for an unknown
    /// product or one never bought or liked with another.
    /// Complexity: O(neighbours) plus the predicate calls.
    [[nodiscard]] std::vector<scored_product> related(product_id product, std::size_t limit,
                                                      const exclude_fn& exclude = {}) const;

    /// The cart query: merges the neighbour lists of `items` (each contribution multiplied by
    /// the item's weight; an item given twice counts once with its largest weight), best first
    /// (ties: smaller id), leaving out the items themselves and whatever `exclude` rejects.
    /// Unknown items and items with a weight that is not positive and finite contribute
    /// nothing (but are still left out). The sum runs in product id order, so the result does
    /// not depend on the order of `items`.
    /// Complexity: O(items * neighbours) expected plus the predicate calls.
    [[nodiscard]] std::vector<scored_product> for_items(std::span<const weighted_product> items,
                                                        std::size_t limit,
                                                        const exclude_fn& exclude = {}) const;

    /// For a user: for_items() over `purchased` (weight 1) and the user's likes known to the
    /// index (weight settings().like_weight, or 1 if also purchased), leaving out all of them.
    [[nodiscard]] std::vector<scored_product> for_user(user_id user,
                                                       std::span<const product_id> purchased,
                                                       std::size_t limit,
                                                       const exclude_fn& exclude = {}) const;

    /// Orders holding the product (all of them, large ones included); 0 if unknown.
    [[nodiscard]] std::uint64_t order_count(product_id product) const noexcept;
    /// Users liking the product; 0 if unknown.
    [[nodiscard]] std::uint64_t like_count(product_id product) const noexcept;
    /// order_count + like_weight * like_count: the ranking of most_popular().
    [[nodiscard]] double popularity(product_id product) const noexcept;
    /// The category fallback: `candidates` (e.g. the active products of a category) ranked by
    /// popularity, best first (ties: smaller id), leaving out what `exclude` rejects; products
    /// without orders or likes come last with score 0, so a new category still fills. A
    /// candidate given twice appears once. Signal popularity. Complexity: O(candidates).
    [[nodiscard]] std::vector<scored_product> most_popular(std::span<const product_id> candidates,
                                                           std::size_t limit,
                                                           const exclude_fn& exclude = {}) const;
    /// The same over every product the index knows. Complexity: O(products); cache it.
    [[nodiscard]] std::vector<scored_product> most_popular(std::size_t limit,
                                                           const exclude_fn& exclude = {}) const;

    /// The products `user` likes, by id.
    [[nodiscard]] std::vector<product_id> likes_of(user_id user) const;
    /// Products the index has seen in an order or a like.
    [[nodiscard]] std::size_t product_count() const noexcept { return records_.size(); }
    /// Orders learned (large ones and one-product ones included).
    [[nodiscard]] std::uint64_t total_orders() const noexcept { return total_orders_; }
    /// Approximate heap memory held, in bytes (capacities, except for arrays build() reserves
    /// at an upper bound and fills in part, whose unwritten tail is never resident).
    [[nodiscard]] std::size_t memory_bytes() const noexcept;

private:
    // int64 keys to dense indices: a direct table for small non-negative keys (database ids),
    // a hash map for the rest.
    class id_table {
    public:
        static constexpr std::uint32_t none = 0xffffffffU;
        [[nodiscard]] std::uint32_t find(std::int64_t key) const noexcept;
        void insert(std::int64_t key, std::uint32_t value);
        [[nodiscard]] std::size_t memory_bytes() const noexcept;

    private:
        std::vector<std::uint32_t> direct_;  // value + 1; 0 = absent
        std::unordered_map<std::int64_t, std::uint32_t> sparse_;
        std::size_t count_ = 0;
    };

    // Counts of pairs first seen after build(): open addressing on the packed pair.
    class pair_table {
    public:
        [[nodiscard]] std::uint32_t find(std::uint64_t key) const noexcept;
        std::uint32_t& at(std::uint64_t key);             // inserted with 0 if absent
        void prefetch(std::uint64_t key) const noexcept;  // the slot find() starts at
        [[nodiscard]] std::size_t memory_bytes() const noexcept {
            return slots_.capacity() * sizeof(slot);
        }

    private:
        struct slot {
            std::uint64_t key;  // 0: empty (a packed pair is never 0)
            std::uint32_t value;
        };
        [[nodiscard]] std::size_t home(std::uint64_t key) const noexcept;
        std::vector<slot> slots_;
        std::size_t used_ = 0;
    };

    // A tracked partner of a list: a neighbour (member) or a reserve entry, with the pair's
    // counts (weights are applied at query time). Members carry an alarm (see the .cpp).
    struct neighbour {
        std::uint32_t item;
        std::uint32_t orders;
        std::uint32_t likes;
        std::uint32_t ticket;  // identifies the member's current alarm; 0: none
        float level;           // the alarm fires when the member's key falls to this
    };
    // Ranking key of a partner b within a's list: c_ab / sqrt(n_b) (the same order as
    // sim(a, b), as n_a is common to the list), then the smaller product id. q < 0: none.
    struct rank_key {
        double q;
        std::int64_t id;
    };
    // A product's list with its state, in one cache line.
    struct alignas(64) list_head {
        std::vector<neighbour> entries;  // members, then reserve
        rank_key bound{-1.0, 0};         // >= the key of every untracked eligible partner
        rank_key guard{-1.0, 0};         // >= the key of every non-member (reserve and untracked)
        std::uint32_t members = 0;
    };
    // What updates and queries read of a partner, together.
    struct product_record {
        double inv_norm = 0;       // 1 / sqrt(n_a), 0 when n_a = 0
        std::int64_t id = 0;       // the product id
        std::uint32_t orders = 0;  // orders of at most max_basket products: O_a
        std::uint32_t likes = 0;   // L_a
    };
    // Alarm in the heap of product a: when n_a reaches `at`, member a of list `list` may have
    // fallen to its level.
    struct watch {
        double at;
        std::uint32_t list;
        std::uint32_t ticket;
    };
    struct pair_counts {
        std::uint32_t orders;
        std::uint32_t likes;
    };
    struct candidate {
        double q;
        std::int64_t id;
        std::uint32_t item;
    };

    template <class Baskets>
    void build_from(std::size_t count, const Baskets& basket_at, std::span<const user_like> likes,
                    const progress_fn& progress);
    std::uint32_t intern_product(product_id product);
    std::uint32_t intern_user(user_id user);
    void renumber_by_popularity(std::vector<std::uint32_t>& mapped,
                                std::vector<std::pair<std::uint32_t, std::uint32_t>>& likes);
    void refresh_norm(std::uint32_t a) noexcept;
    [[nodiscard]] double norm_of(std::uint32_t a) const noexcept {
        return weight(records_[a].orders, records_[a].likes);
    }
    [[nodiscard]] double weight(std::uint32_t orders, std::uint32_t likes) const noexcept {
        return static_cast<double>(orders) + settings_.like_weight * static_cast<double>(likes);
    }
    [[nodiscard]] bool eligible(std::uint32_t orders, std::uint32_t likes) const noexcept {
        return static_cast<std::uint64_t>(orders) + likes >= settings_.min_support;
    }
    [[nodiscard]] rank_key key_of(const neighbour& e) const noexcept {
        const product_record& r = records_[e.item];
        return {weight(e.orders, e.likes) * r.inv_norm, r.id};
    }
    [[nodiscard]] reco_signal signal_of(const neighbour& e) const noexcept;

    // Pair counts.
    [[nodiscard]] std::size_t find_partner(std::uint32_t hi, std::uint32_t lo) const noexcept;
    [[nodiscard]] std::uint32_t* order_slot(std::uint32_t a, std::uint32_t b) noexcept;
    [[nodiscard]] std::uint32_t orders_between(std::uint32_t a, std::uint32_t b) const noexcept;
    [[nodiscard]] std::uint32_t likes_between(std::uint32_t a, std::uint32_t b) const noexcept;
    void count_row(std::uint32_t a);
    void lower(std::uint32_t list, std::uint32_t b, pair_counts now);
    void recheck_partners(std::uint32_t p);
    [[nodiscard]] std::uint32_t* stored_basket(std::span<const std::uint32_t> items);
    void clear_row() noexcept;

    // Lists.
    void recompute_list(std::uint32_t a);
    void arm(std::uint32_t list, std::uint32_t i);
    [[nodiscard]] double alarm_at(const neighbour& e) const noexcept;
    void raise_guard(std::uint32_t list, rank_key key);
    void touch(std::uint32_t list, std::uint32_t b, pair_counts now);
    void check_alarms(std::uint32_t a);
    void repair(std::uint32_t list, std::uint32_t i);
    [[nodiscard]] bool below_every_level(std::uint32_t list, double q) const noexcept;
    [[nodiscard]] std::uint32_t weakest(std::uint32_t list, std::uint32_t from,
                                        std::uint32_t to) const noexcept;
    [[nodiscard]] std::uint32_t strongest(std::uint32_t list, std::uint32_t from,
                                          std::uint32_t to) const noexcept;
    void mark_dirty(std::uint32_t a);
    void recompute_dirty();
    void maybe_compact_alarms();
    [[nodiscard]] std::vector<scored_product> select(std::vector<scored_product>& candidates,
                                                     std::size_t limit,
                                                     const exclude_fn& exclude) const;

    cooccurrence_settings settings_;
    std::uint64_t total_orders_ = 0;

    // Per product (dense index; build() numbers products by popularity).
    id_table products_;
    std::vector<product_record> records_;
    std::vector<std::uint32_t> all_orders_;                 // every order, for popularity
    std::vector<std::vector<std::uint32_t>> users_liking_;  // user indices, ascending
    std::vector<list_head> heads_;
    std::vector<std::vector<watch>> alarms_;  // min-heaps on `at`

    // Baskets of 2..max_basket distinct products (the only ones that make pairs), each
    // followed by a separator: those given to build(), and those learned since. For each
    // product, the offsets of the baskets holding it (flat for build(), a vector per product
    // for later ones, so that an update never copies a long list).
    std::vector<std::uint32_t> basket_items_;
    std::vector<std::size_t> holders_start_{0};
    std::vector<std::uint32_t> holders_;
    std::vector<std::uint32_t> later_items_;
    std::vector<std::vector<std::uint32_t>> later_holders_;

    // Order pair counts O_ab: from build(), for each product b the partners a < b (more
    // popular) with their counts; pairs first seen later in a hash map.
    std::vector<std::size_t> segment_start_{0};
    std::vector<std::uint32_t> segment_partner_;
    std::vector<std::uint32_t> segment_orders_;
    pair_table later_pairs_;

    // Per user.
    id_table users_;
    std::vector<std::vector<std::uint32_t>> likes_of_user_;  // product indices, ascending

    // Alarms bookkeeping and update scratch space.
    std::uint32_t next_ticket_ = 0;
    std::size_t alarm_count_ = 0;
    std::size_t member_count_ = 0;
    bool building_ = false;
    std::vector<std::uint8_t> dirty_flag_;
    std::vector<std::uint32_t> dirty_;
    std::vector<std::uint32_t> count_orders_;
    std::vector<std::uint32_t> count_likes_;
    std::vector<std::uint32_t> touched_;
    std::vector<candidate> candidates_;
    std::vector<std::uint32_t> update_items_;
    std::vector<pair_counts> update_pairs_;
};

}  // namespace shopcore::detail

#endif  // SHOPCORE_SRC_RECOMMEND_COOCCURRENCE_INDEX_HPP
