#ifndef SHOPCORE_RECOMMEND_RECOMMENDER_HPP
#define SHOPCORE_RECOMMEND_RECOMMENDER_HPP

/// @file Product recommendations: related products, suggestions for a cart and for a user,
/// from an item-to-item index learned from orders and likes (docs/concepts/recommendations.md).

#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <vector>

#include <shopcore/cart/cart.hpp>
#include <shopcore/core/actor.hpp>
#include <shopcore/core/clock.hpp>
#include <shopcore/core/ids.hpp>
#include <shopcore/export.hpp>

namespace shopcore {

/// Why a product is recommended.
enum class recommendation_reason {
    bought_together,      ///< Bought together with `because`.
    liked_together,       ///< Liked by people who liked `because`.
    popular_in_category,  ///< Popular in the category of `because` (no co-purchase signal).
};

/// "bought_together", "liked_together", "popular_in_category".
[[nodiscard]] SHOPCORE_EXPORT const char* recommendation_reason_name(
    recommendation_reason r) noexcept;

/// One recommended product.
struct recommendation {
    product_id product;  ///< The product.
    /// How strong the signal is, for ordering only: higher is better. Comparable within one
    /// answer, not across answers.
    double score = 0;
    recommendation_reason reason = recommendation_reason::bought_together;  ///< Why.
    product_id because;  ///< The product of the query that contributed most.
};

/// Called during a build with the units of work done and their total (a unit is one order or
/// one user's likes read, or one product's neighbours computed); last with done == total.
using rebuild_progress = std::function<void(std::size_t done, std::size_t total)>;

/// Recommendation settings, given at shop::open.
struct recommender_settings {
    std::size_t neighbours = 50;  ///< Neighbours kept per product, 1..1000.
    double like_weight = 0.5;     ///< A like counts this much of a purchase, 0.001..1.
    /// Orders plus users liking both that a pair needs before it is recommended, 1..1000; 0
    /// (the default) lets each build choose: 1 for a history below 100,000 orders, 2 from
    /// there (pairs seen once are mostly chance in a large history; see
    /// docs/concepts/recommendations.md).
    std::uint32_t min_support = 0;
    /// Build the index from the database when the shop opens (otherwise: on the first
    /// rebuild() call; until then answers are empty).
    bool build_at_open = true;
    rebuild_progress progress;  ///< Reports the build at open; may be empty.
};

/// What the index holds.
struct recommender_stats {
    std::int64_t orders = 0;            ///< Orders learned from.
    std::int64_t likes = 0;             ///< Likes learned from.
    std::int64_t products = 0;          ///< Products seen in an order or a like.
    std::uint32_t min_support = 1;      ///< The min_support the index was built with.
    std::optional<timestamp> built_at;  ///< The last full build; none before one.
};

/// Recommendations. Obtained from `shop::recommendations()`; thread-safe: queries run
/// concurrently, and orders placed and likes given through this shop update the index as they
/// commit. Every answer leaves out inactive and out-of-stock products.
class SHOPCORE_EXPORT recommender {
public:
    /// Internal state (defined in the library).
    struct impl;
    /// Internal: built by the shop.
    explicit recommender(std::unique_ptr<impl> p);
    /// Destroyed by its shop.
    ~recommender();
    /// Not copyable: a service belongs to its shop.
    recommender(const recommender&) = delete;
    /// Not copyable: a service belongs to its shop.
    recommender& operator=(const recommender&) = delete;

    /// Products related to `product` ("customers also bought"), best first; popular products
    /// of its category when it has no signal. Open to everyone.
    /// @throws not_found_error (no such product, or inactive for a customer),
    ///         validation_error ("limit" outside 1..100).
    [[nodiscard]] std::vector<recommendation> related(const actor& by, product_id product,
                                                      std::size_t limit = 10);

    /// Suggestions for a cart: its products' neighbours merged, leaving out what is in it.
    /// The cart is reached as cart_service reaches it (a guest token, or the user's own).
    /// @throws as cart_service::get(), validation_error ("limit").
    [[nodiscard]] std::vector<recommendation> for_cart(const actor& by, const cart_ref& cart,
                                                       std::size_t limit = 10);

    /// Suggestions for a user from what they bought and liked, leaving out what they bought.
    /// The user themself, or an admin holding manage_users.
    /// @throws authentication_error, permission_denied_error, validation_error ("limit").
    [[nodiscard]] std::vector<recommendation> for_user(const actor& by, user_id user,
                                                       std::size_t limit = 10);

    /// Rebuilds the index from every order and like in the database. The system actor or an
    /// admin holding manage_catalog. Queries keep being answered from the old index meanwhile.
    /// @throws permission_denied_error.
    void rebuild(const actor& by, const rebuild_progress& progress = {});

    /// What the index holds.
    [[nodiscard]] recommender_stats stats() const;

private:
    std::unique_ptr<impl> impl_;
};

}  // namespace shopcore

#endif  // SHOPCORE_RECOMMEND_RECOMMENDER_HPP
