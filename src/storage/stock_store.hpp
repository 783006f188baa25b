#ifndef SHOPCORE_SRC_STORAGE_STOCK_STORE_HPP
#define SHOPCORE_SRC_STORAGE_STOCK_STORE_HPP

// SQL for stock levels and the stock audit log. Decrements are single conditional UPDATEs
// whose affected-row count is checked: correct under any number of concurrent writers.

#include <cstdint>
#include <optional>
#include <vector>

#include <shopcore/inventory/stock.hpp>

#include "storage/database.hpp"

namespace shopcore::storage {

void insert_stock(connection& c, product_id product, std::int64_t on_hand, std::int64_t threshold,
                  std::int64_t now_micros);
std::optional<stock_level> load_stock(connection& c, product_id product);
/// Whether the product is active; nullopt when it does not exist.
std::optional<bool> product_is_active(connection& c, product_id product);

/// Locks the stock row of `product` until the transaction ends (SELECT ... FOR UPDATE on the
/// servers; SQLite's BEGIN IMMEDIATE already holds the write lock) without changing it.
/// @returns false when the product has no stock row.
bool lock_stock_row(connection& c, product_id product);

/// `UPDATE stock SET on_hand = on_hand - :units WHERE product_id = :p AND on_hand >= :units`.
/// @returns true when the units were taken.
bool try_take_stock(connection& c, product_id product, std::int64_t units, std::int64_t now_micros);
/// Adds `delta` unless the result would be negative. @returns true when applied.
bool try_adjust_stock(connection& c, product_id product, std::int64_t delta,
                      std::int64_t now_micros);
void set_threshold(connection& c, product_id product, std::int64_t threshold,
                   std::int64_t now_micros);

void insert_movement(connection& c, const stock_movement& m);
/// Newest first; rows with id below `before_id` when given.
std::vector<stock_movement> load_movements(connection& c, product_id product,
                                           std::optional<std::int64_t> before_id,
                                           std::int64_t limit);

}  // namespace shopcore::storage

#endif  // SHOPCORE_SRC_STORAGE_STOCK_STORE_HPP
