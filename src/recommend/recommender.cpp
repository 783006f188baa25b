#include <shopcore/recommend/recommender.hpp>

#include <algorithm>
#include <mutex>
#include <shared_mutex>
#include <unordered_set>
#include <utility>
#include <variant>
#include <vector>

#include <shopcore/cart/cart_service.hpp>
#include <shopcore/core/error.hpp>
#include <shopcore/events/events.hpp>

#include "account/authorization.hpp"
#include "recommend/cooccurrence_index.hpp"
#include "recommend/recommender_internal.hpp"
#include "storage/reco_store.hpp"

namespace shopcore {
namespace {

using storage::connection;

constexpr std::size_t max_limit = 100;
constexpr std::int64_t fallback_candidates = 1000;  // category products ranked by popularity

void check_limit(std::size_t limit) {
    if (limit < 1 || limit > max_limit) {
        throw validation_error("limit", "must be between 1 and " + std::to_string(max_limit));
    }
}

recommendation_reason reason_of(detail::reco_signal s) {
    switch (s) {
        case detail::reco_signal::orders:
            return recommendation_reason::bought_together;
        case detail::reco_signal::likes:
            return recommendation_reason::liked_together;
        case detail::reco_signal::popularity:
            break;
    }
    return recommendation_reason::popular_in_category;
}

// The index's settings for a build over `orders` orders.
detail::cooccurrence_settings index_settings(const recommender_settings& s, std::size_t orders) {
    detail::cooccurrence_settings out;
    out.neighbours = s.neighbours;
    out.like_weight = s.like_weight;
    out.min_support = s.min_support == 0 ? detail::automatic_min_support(orders) : s.min_support;
    return out;
}

// An update that reached the index while a rebuild was reading the database: replayed on the
// new index before it replaces the old one.
struct placed_order {
    std::int64_t id;
    std::vector<product_id> products;
};
struct like_change {
    user_id user;
    product_id product;
    bool liked;
};
struct cancelled_order {  // cancelled or expired
    std::int64_t id;
    std::vector<product_id> products;
};
using pending_update = std::variant<placed_order, like_change, cancelled_order>;

// The orders an index holds, so that a notification changes it once and only where it applies.
struct held_orders {
    std::vector<std::int64_t> built;           // read by its build (ascending)
    std::vector<std::int64_t> added;           // learned from notifications since (ascending)
    std::unordered_set<std::int64_t> removed;  // cancelled since
    // Cancelled before their placement reached the index (a notification race), or placed by
    // another process: their placement, if it comes, is not learned.
    std::unordered_set<std::int64_t> cancelled_first;

    [[nodiscard]] bool counted(std::int64_t id) const {
        return std::binary_search(built.begin(), built.end(), id) ||
               std::binary_search(added.begin(), added.end(), id);
    }
    void add(std::int64_t id) {
        added.insert(std::upper_bound(added.begin(), added.end(), id), id);
    }
};

}  // namespace

const char* recommendation_reason_name(recommendation_reason r) noexcept {
    switch (r) {
        case recommendation_reason::bought_together:
            return "bought_together";
        case recommendation_reason::liked_together:
            return "liked_together";
        case recommendation_reason::popular_in_category:
            return "popular_in_category";
    }
    return "unknown";
}

struct recommender::impl {
    impl(detail::shop_context& c, cart_service& k, recommender_settings s)
        : ctx(c), carts(k), settings(std::move(s)) {}

    detail::shop_context& ctx;
    cart_service& carts;
    recommender_settings settings;

    // Queries share it; updates and the swap after a rebuild hold it alone.
    mutable std::shared_mutex mutex;
    std::unique_ptr<detail::cooccurrence_index> index;
    std::int64_t orders = 0;
    std::int64_t likes = 0;
    std::optional<timestamp> built_at;

    std::mutex pending_mutex;  // taken before `mutex` when both are needed
    bool rebuilding = false;
    std::vector<pending_update> pending;
    std::mutex rebuild_mutex;  // one rebuild at a time
    std::vector<subscription> subscriptions;
    // The orders the index holds: a notification of an order the build already read must not
    // count it twice, and only an order the index holds can be taken out.
    held_orders held;

    // Applies an update to `to` (holding `in`) where it changes something; counts it in
    // `learned`/`liked`.
    static void apply(detail::cooccurrence_index& to, const pending_update& u, held_orders& in,
                      std::int64_t& learned, std::int64_t& liked) {
        if (const auto* o = std::get_if<placed_order>(&u)) {
            if (in.counted(o->id) || in.cancelled_first.erase(o->id) != 0) return;
            to.add_order(o->products);
            in.add(o->id);
            ++learned;
            return;
        }
        if (const auto* c = std::get_if<cancelled_order>(&u)) {
            if (!in.counted(c->id)) {
                in.cancelled_first.insert(c->id);
            } else if (in.removed.insert(c->id).second && to.remove_order(c->products)) {
                --learned;
            }
            return;
        }
        const auto& l = std::get<like_change>(u);
        if (l.liked ? to.add_like(l.user, l.product) : to.remove_like(l.user, l.product)) {
            liked += l.liked ? 1 : -1;
        }
    }

    void learn(pending_update u) {
        {
            const std::lock_guard<std::mutex> guard(pending_mutex);
            if (rebuilding) pending.push_back(u);
        }
        const std::unique_lock<std::shared_mutex> lock(mutex);
        apply(*index, u, held, orders, likes);
    }

    void build(const rebuild_progress& progress) {
        const std::lock_guard<std::mutex> one_at_a_time(rebuild_mutex);
        {
            const std::lock_guard<std::mutex> guard(pending_mutex);
            rebuilding = true;
            pending.clear();
        }
        try {
            detail::basket_list baskets;
            std::vector<detail::user_like> all_likes;
            std::vector<std::int64_t> read_ids;
            ctx.db->read([&](connection& c) {
                const std::int64_t max_id = storage::max_order_id(c);
                storage::load_order_baskets(c, max_id, baskets, read_ids);
                all_likes = storage::load_all_likes(c);
            });
            auto fresh = std::make_unique<detail::cooccurrence_index>(
                index_settings(settings, baskets.size()));
            fresh->build(baskets, all_likes, progress);
            const std::lock_guard<std::mutex> guard(pending_mutex);
            const std::unique_lock<std::shared_mutex> lock(mutex);
            auto learned = static_cast<std::int64_t>(baskets.size());
            // Likes as the index holds them (a user's duplicate likes count once).
            std::int64_t liked = 0;
            {
                std::vector<std::pair<std::int64_t, std::int64_t>> distinct;
                for (const auto& l : all_likes)
                    distinct.emplace_back(l.user.value(), l.product.value());
                std::sort(distinct.begin(), distinct.end());
                liked = std::unique(distinct.begin(), distinct.end()) - distinct.begin();
            }
            // Updates that arrived while the database was read: orders it did not read (on the
            // servers one with a lower id may commit after the read), cancellations of orders
            // it read or that arrived meanwhile, and every like change (each applied only where
            // it changes something).
            held_orders fresh_held;
            fresh_held.built = std::move(read_ids);
            for (const pending_update& u : pending) apply(*fresh, u, fresh_held, learned, liked);
            index = std::move(fresh);
            held = std::move(fresh_held);
            orders = learned;
            likes = liked;
            built_at = ctx.now();
            rebuilding = false;
            pending.clear();
        } catch (...) {
            const std::lock_guard<std::mutex> guard(pending_mutex);
            rebuilding = false;
            pending.clear();
            throw;
        }
    }

    // Whether the index was built (answers are empty until then).
    [[nodiscard]] bool built() const;

    // Runs `query(k)` for growing k until `limit` available products are found (or the index
    // has no more), checking availability in one statement per round.
    template <class Query>
    std::vector<recommendation> available(connection& c, std::size_t limit, Query query) {
        std::vector<recommendation> out;
        for (std::size_t k = limit * 3;; k *= 4) {
            std::vector<detail::scored_product> found;
            {
                const std::shared_lock<std::shared_mutex> lock(mutex);
                found = query(k);
            }
            std::vector<product_id> ids;
            ids.reserve(found.size());
            for (const auto& f : found) ids.push_back(f.product);
            const auto ok = storage::available_products(c, ids);
            out.clear();
            for (const auto& f : found) {
                if (out.size() == limit) break;
                if (ok.count(f.product.value()) == 0) continue;
                out.push_back({f.product, f.score, reason_of(f.signal), f.because_of});
            }
            if (out.size() == limit || found.size() < k || k > 100000) return out;
        }
    }

    // Popular products of `anchor`'s category, leaving out `skip` (the category fallback).
    std::vector<recommendation> popular_near(connection& c, product_id anchor,
                                             const std::vector<product_id>& skip,
                                             std::size_t limit) {
        const auto place = storage::product_place_of(c, anchor);
        if (!place || !place->category) return {};
        std::vector<product_id> candidates =
            storage::category_products(c, *place->category, fallback_candidates);
        std::erase_if(candidates, [&](product_id p) {
            return std::find(skip.begin(), skip.end(), p) != skip.end();
        });
        auto out =
            available(c, limit, [&](std::size_t k) { return index->most_popular(candidates, k); });
        for (recommendation& r : out) r.because = anchor;
        return out;
    }
};

recommender::recommender(std::unique_ptr<impl> p) : impl_(std::move(p)) {}
recommender::~recommender() = default;

namespace detail {

void check_recommender_settings(const recommender_settings& s) {
    if (s.neighbours < 1 || s.neighbours > 1000) {
        throw validation_error("recommendations", "neighbours must be between 1 and 1000");
    }
    if (!(s.like_weight >= 0.001 && s.like_weight <= 1.0)) {
        throw validation_error("recommendations", "like_weight must be between 0.001 and 1");
    }
    if (s.min_support > 1000) {
        throw validation_error("recommendations", "min_support must be between 0 and 1000");
    }
}

std::unique_ptr<recommender> make_recommender(shop_context& ctx, cart_service& carts,
                                              const recommender_settings& settings) {
    check_recommender_settings(settings);
    auto p = std::make_unique<recommender::impl>(ctx, carts, settings);
    p->index = std::make_unique<cooccurrence_index>(index_settings(settings, 0));
    recommender::impl* self = p.get();
    // Orders and likes made through this shop reach the index as they commit.
    p->subscriptions.push_back(ctx.hub.on_order_placed([self](const order_placed_event& e) {
        self->learn(placed_order{e.order.value(), e.products});
    }));
    // A cancelled or expired order is taken out again.
    p->subscriptions.push_back(ctx.hub.on_order_cancelled([self](const order_cancelled_event& e) {
        self->learn(cancelled_order{e.order.value(), e.products});
    }));
    p->subscriptions.push_back(ctx.hub.on_product_liked([self](const product_liked_event& e) {
        self->learn(like_change{e.user, e.product, true});
    }));
    p->subscriptions.push_back(ctx.hub.on_product_unliked([self](const product_unliked_event& e) {
        self->learn(like_change{e.user, e.product, false});
    }));
    if (settings.build_at_open) p->build(settings.progress);
    return std::make_unique<recommender>(std::move(p));
}

}  // namespace detail

bool recommender::impl::built() const {
    const std::shared_lock<std::shared_mutex> lock(mutex);
    return built_at.has_value();
}

std::vector<recommendation> recommender::related(const actor& by, product_id product,
                                                 std::size_t limit) {
    check_limit(limit);
    return impl_->ctx.db->read([&](connection& c) {
        const auto place = storage::product_place_of(c, product);
        if (!place || (!place->active && !by.is_staff())) {
            throw not_found_error("product " + std::to_string(product.value()) + " not found");
        }
        if (!impl_->built()) return std::vector<recommendation>{};
        auto out = impl_->available(
            c, limit, [&](std::size_t k) { return impl_->index->related(product, k); });
        if (out.empty()) out = impl_->popular_near(c, product, {product}, limit);
        return out;
    });
}

std::vector<recommendation> recommender::for_cart(const actor& by, const cart_ref& cart_ref_,
                                                  std::size_t limit) {
    check_limit(limit);
    const cart k = impl_->carts.get(by, cart_ref_);
    std::vector<detail::weighted_product> items;
    std::vector<product_id> in_cart;
    for (const cart_line& l : k.lines) {
        items.push_back({l.product, 1.0});
        in_cart.push_back(l.product);
    }
    if (items.empty() || !impl_->built()) return {};
    return impl_->ctx.db->read([&](connection& c) {
        auto out = impl_->available(
            c, limit, [&](std::size_t n) { return impl_->index->for_items(items, n); });
        if (out.empty()) out = impl_->popular_near(c, in_cart.front(), in_cart, limit);
        return out;
    });
}

std::vector<recommendation> recommender::for_user(const actor& by, user_id user,
                                                  std::size_t limit) {
    check_limit(limit);
    if (by.kind() == actor_kind::anonymous) {
        throw authentication_error("sign in to see recommendations for a user");
    }
    return impl_->ctx.db->read([&](connection& c) {
        if (!(by.kind() == actor_kind::customer && by.user() == user) &&
            !(by.kind() == actor_kind::admin && by.user() == user)) {
            detail::require_permission(c, by, permission::manage_users,
                                       "read another user's recommendations");
        }
        if (!impl_->built()) return std::vector<recommendation>{};
        const std::vector<product_id> bought = storage::purchased_products(c, user);
        auto out = impl_->available(
            c, limit, [&](std::size_t n) { return impl_->index->for_user(user, bought, n); });
        if (out.empty() && !bought.empty()) {
            out = impl_->popular_near(c, bought.front(), bought, limit);
        }
        return out;
    });
}

void recommender::rebuild(const actor& by, const rebuild_progress& progress) {
    impl_->ctx.db->read([&](connection& c) {
        detail::require_permission(c, by, permission::manage_catalog,
                                   "rebuild the recommendations");
    });
    impl_->build(progress);
}

recommender_stats recommender::stats() const {
    const std::shared_lock<std::shared_mutex> lock(impl_->mutex);
    recommender_stats s;
    s.orders = impl_->orders;
    s.likes = impl_->likes;
    s.products = static_cast<std::int64_t>(impl_->index->product_count());
    s.min_support = impl_->index->settings().min_support;
    s.built_at = impl_->built_at;
    return s;
}

}  // namespace shopcore
