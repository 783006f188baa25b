#ifndef SHOPCORE_SRC_STORAGE_ORDER_STORE_HPP
#define SHOPCORE_SRC_STORAGE_ORDER_STORE_HPP

// Internal: the SQL of checkout, orders, their history and payments. Placement reads what it
// prices in few statements and writes each table with one multi-row INSERT.

#include <cstdint>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include <shopcore/account/user.hpp>
#include <shopcore/core/currency.hpp>
#include <shopcore/inventory/stock.hpp>
#include <shopcore/order/order.hpp>
#include <shopcore/order/order_service.hpp>
#include <shopcore/shipping/shipping_calculator.hpp>

#include "storage/database.hpp"

namespace shopcore::storage {

/// A cart line with what checkout needs of its product and stock.
struct checkout_line {
    product_id product;
    std::int64_t quantity = 0;
    std::string sku;
    std::string name;
    bool active = false;
    std::int64_t price_minor = 0;
    std::int64_t sale_price_minor = 0;
    std::int64_t weight_grams = 0;
    std::optional<category_id> category;
    std::int64_t product_version = 0;
    std::int64_t on_hand = 0;
};

/// The user's live cart as checkout reads it.
struct checkout_cart {
    cart_id id;
    std::int64_t version = 0;
    std::string shipping_method;
    std::int64_t codes = 0;            // how many codes it holds
    std::vector<checkout_line> lines;  // by position
};

/// The user's live cart (expiring after `now`) with its lines: one statement.
std::optional<checkout_cart> load_checkout_cart(connection& c, user_id user, timestamp now);

/// Each of `categories` and its ancestors, mapped to its parent: one statement.
std::unordered_map<std::int64_t, std::optional<std::int64_t>> category_ancestry(
    connection& c, const std::vector<category_id>& categories);

/// The buyer's details checkout defaults to.
struct buyer {
    std::string first_name;
    std::string last_name;
    std::string phone;
    std::optional<std::string> email;
    bool staff = false;                      // an active admin (staff-only codes)
    bool usable = false;                     // active and not deleted
    std::optional<address> default_address;  // marked default, else the first
};
/// The buyer and their default address: one statement. None for an unknown user.
std::optional<buyer> load_buyer(connection& c, user_id user);

/// Takes `units` of a product whose row still has `product_version` and is active; returns
/// the stock left and the low-stock threshold, or none (short, changed or inactive).
struct taken_stock {
    std::int64_t on_hand = 0;
    std::int64_t threshold = 0;
};
std::optional<taken_stock> take_for_order(connection& c, product_id product, std::int64_t units,
                                          std::int64_t product_version, std::int64_t now_micros);

/// Why a line could not be taken: none when the product changed or went inactive, else the
/// stock on hand (read with the row locked).
std::optional<std::int64_t> locked_on_hand_if_unchanged(connection& c, product_id product,
                                                        std::int64_t product_version);

/// Inserts every movement with one statement.
void insert_movements(connection& c, const std::vector<stock_movement>& movements);

/// Closes the cart the order came from if it still has `version`: it loses its owner (so the
/// user starts a new one) and its destination, and expires now (purge_expired deletes it).
/// @returns false if it changed.
bool close_cart(connection& c, cart_id id, std::int64_t version, std::int64_t now_micros);

/// The order as written by placement.
order_id insert_order(connection& c, const order& o, const std::string& idempotency_key,
                      const std::string& request_hash, cart_id cart);
/// Lines, codes and line shares of a new order, one statement each (none when empty).
void insert_order_parts(connection& c, order_id id, const order& o);

/// The order with a key of the user's: its id, request hash and cart.
struct keyed_order {
    order_id id;
    std::string request_hash;
    cart_id cart;
};
std::optional<keyed_order> find_order_by_key(connection& c, user_id user, const std::string& key);

std::optional<order> load_order(connection& c, const currency& cur, order_id id);
std::optional<order_id> find_order_by_number(connection& c, const std::string& number);

/// Ids of orders placed before the cursor (placed_at, id) descending, matching the filter.
std::vector<order_id> list_order_ids(connection& c, const order_filter& f,
                                     std::optional<std::pair<std::int64_t, std::int64_t>> after,
                                     std::int64_t limit);

/// Sets the status if it is still `from`; bumps the version. @returns false otherwise.
bool set_order_status(connection& c, order_id id, order_status from, order_status to,
                      std::int64_t now_micros, std::optional<std::int64_t> paid_at);

/// Replaces the purchase information if the version is `expected`. @returns false otherwise.
bool set_purchase_info(connection& c, order_id id, const purchase_info& p, std::int64_t expected,
                       std::int64_t now_micros);

/// pending_payment orders whose payment window ended at or before now, oldest first.
std::vector<order_id> overdue_orders(connection& c, std::int64_t now_micros, std::int64_t limit);

void insert_history(connection& c, order_id id, const order_history_entry& e);
std::vector<order_history_entry> load_history(connection& c, order_id id);

/// A recorded payment.
struct payment_row {
    std::int64_t id = 0;
    order_id order;
    std::string provider;
    std::string authority;
    std::int64_t amount_minor = 0;
    payment_status status = payment_status::started;
    std::string reference_id;
    std::string message;
};
void insert_payment(connection& c, const payment_row& p, std::int64_t now_micros);
std::optional<payment_row> find_payment(connection& c, const std::string& provider,
                                        const std::string& authority);
/// Records the verdict if the payment is still `started`. @returns false otherwise.
bool settle_payment(connection& c, std::int64_t id, payment_status status,
                    const std::string& reference_id, const std::string& message,
                    std::int64_t now_micros);

/// Replaces the personal data of the user's orders (recipient, phone, e-mail, address, note,
/// and the client's idempotency keys, which may hold anything: each becomes the order number).
void anonymise_orders(connection& c, user_id user);

}  // namespace shopcore::storage

#endif  // SHOPCORE_SRC_STORAGE_ORDER_STORE_HPP
