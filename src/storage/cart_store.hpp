#ifndef SHOPCORE_SRC_STORAGE_CART_STORE_HPP
#define SHOPCORE_SRC_STORAGE_CART_STORE_HPP

// Internal: the SQL of carts, their lines and codes, and the product facts pricing needs.

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include <shopcore/cart/cart.hpp>
#include <shopcore/core/currency.hpp>

#include "storage/database.hpp"

namespace shopcore::storage {

/// The id of the cart with this token hash, or of this user's cart.
std::optional<cart_id> find_cart_by_token(connection& c, const std::string& token_hash);
std::optional<cart_id> find_cart_by_owner(connection& c, user_id owner);

/// Locks the cart row until the transaction ends (FOR UPDATE on the servers; SQLite's
/// BEGIN IMMEDIATE already serialises writers).
void lock_cart(connection& c, cart_id id);

/// The cart with its lines (by position) and codes (by position, as code text).
std::optional<cart> load_cart(connection& c, cart_id id);
/// The ids of the codes on the cart, in the order of cart::codes (position, then id).
std::vector<discount_id> cart_code_ids(connection& c, cart_id id);

cart_id insert_cart(connection& c, const std::optional<std::string>& token_hash,
                    std::optional<user_id> owner, timestamp now, timestamp expires);
/// Writes destination, method and times; bumps the version.
void touch_cart(connection& c, const cart& k);
void delete_cart(connection& c, cart_id id);

/// One past the highest position of the cart's lines (codes), so that positions only grow.
std::int64_t next_line_position(connection& c, cart_id id);
std::int64_t next_code_position(connection& c, cart_id id);

void insert_line(connection& c, cart_id id, const cart_line& line, std::int64_t position);
void update_line(connection& c, cart_id id, product_id product, std::int64_t quantity);
void delete_line(connection& c, cart_id id, product_id product);
void delete_lines(connection& c, cart_id id);

void insert_cart_code(connection& c, cart_id id, discount_id code, std::int64_t position);
void delete_cart_code(connection& c, cart_id id, discount_id code);
void delete_cart_codes(connection& c, cart_id id);

/// What one batch of purge_carts() did.
struct purge_result {
    std::int64_t examined = 0;  ///< Expired carts listed (the batch is full when == limit).
    std::int64_t deleted = 0;   ///< Those still expired once locked, and deleted.
    std::int64_t last_id = 0;   ///< The highest id listed: the next batch starts after it.
};

/// Deletes up to `limit` carts with ids above `after_id` that expired at or before `now`, each
/// locked and checked again first.
purge_result purge_carts(connection& c, timestamp now, std::int64_t after_id, std::int64_t limit);

/// What the cart needs to know of a product: whether it sells, its prices, weight, category
/// and stock on hand.
struct product_facts {
    bool active = false;
    std::int64_t price_minor = 0;
    std::int64_t sale_price_minor = 0;
    std::int64_t weight_grams = 0;
    std::optional<category_id> category;
    std::int64_t on_hand = 0;
};
std::optional<product_facts> load_product_facts(connection& c, product_id id);

/// The category's parent, if any.
std::optional<category_id> category_parent(connection& c, category_id id);

}  // namespace shopcore::storage

#endif  // SHOPCORE_SRC_STORAGE_CART_STORE_HPP
