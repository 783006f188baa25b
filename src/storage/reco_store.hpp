#ifndef SHOPCORE_SRC_STORAGE_RECO_STORE_HPP
#define SHOPCORE_SRC_STORAGE_RECO_STORE_HPP

// Internal: what recommendations read from the database.

#include <cstdint>
#include <optional>
#include <unordered_set>
#include <vector>

#include <shopcore/core/ids.hpp>

#include "recommend/cooccurrence_index.hpp"
#include "storage/database.hpp"

namespace shopcore::storage {

/// The highest order id (0 when there is none).
std::int64_t max_order_id(connection& c);
/// How many orders the index learns from (placed, not cancelled or expired, id <= max_id).
std::int64_t count_learned_orders(connection& c, std::int64_t max_id);
/// Their lines as baskets, one per order, in order id order; `ids` gets the orders' ids
/// (ascending).
void load_order_baskets(connection& c, std::int64_t max_id, detail::basket_list& out,
                        std::vector<std::int64_t>& ids);
/// Every like.
std::vector<detail::user_like> load_all_likes(connection& c);

/// Those of `products` that are active and have stock on hand.
std::unordered_set<std::int64_t> available_products(connection& c,
                                                    const std::vector<product_id>& products);
/// The product's category, if it exists and has one; none for an unknown product.
struct product_place {
    bool active = false;
    std::optional<category_id> category;
};
std::optional<product_place> product_place_of(connection& c, product_id product);
/// Active products of the category (at most `limit`, by id).
std::vector<product_id> category_products(connection& c, category_id category, std::int64_t limit);
/// The products of the user's orders that were not cancelled or expired, most recent first.
std::vector<product_id> purchased_products(connection& c, user_id user);

}  // namespace shopcore::storage

#endif  // SHOPCORE_SRC_STORAGE_RECO_STORE_HPP
