#ifndef SHOPCORE_SRC_STORAGE_DISCOUNT_STORE_HPP
#define SHOPCORE_SRC_STORAGE_DISCOUNT_STORE_HPP

// Internal: the SQL of discount codes and their counted uses.

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include <shopcore/core/currency.hpp>
#include <shopcore/discount/discount_code.hpp>

#include "storage/database.hpp"

namespace shopcore::storage {

/// Inserts the code (its id is ignored) with its targets; returns the new id.
discount_id insert_discount(connection& c, const discount_code& d);

/// Writes every field and the targets when the stored version is d.version; bumps the
/// version. @returns false when the version differs (nothing written).
bool update_discount_row(connection& c, const discount_code& d);

std::optional<discount_code> load_discount(connection& c, const currency& cur, discount_id id);
std::optional<discount_code> load_discount_by_code(connection& c, const currency& cur,
                                                   const std::string& code);

/// Codes by (code, id) after the cursor, at most `limit`.
std::vector<discount_code> list_discounts(connection& c, const currency& cur,
                                          const std::string& prefix, std::optional<bool> active,
                                          const std::optional<std::string>& after_code,
                                          std::int64_t after_id, std::int64_t limit);

bool discount_code_taken(connection& c, const std::string& code);

/// How many counted uses `user` has of the code (released ones do not count).
std::int64_t customer_uses(connection& c, discount_id id, user_id user);

/// The outcome of count_discount_use().
enum class use_result { counted, exhausted, customer_limit_reached, changed };

/// Counts one use of `d` by `user` (none: a guest), for `order` when given: with the code's row
/// locked, its version (changed: the stored code is no longer `d`), the total limit
/// (exhausted), then the customer's (customer_limit_reached), then a conditional UPDATE and a
/// row unique per (code, user, use number). Writes nothing unless it returns counted.
use_result count_discount_use(connection& c, const discount_code& d, std::optional<user_id> user,
                              std::int64_t now_micros, std::optional<order_id> order = {});

/// Gives back the uses counted for `order`: each code counts one use fewer and the use rows
/// are marked released (kept, so that use numbers are never reused). @returns how many.
std::int64_t release_order_uses(connection& c, order_id order, std::int64_t now_micros);

/// A category is being deleted: codes scoped to it move to `to` (its contents' new home), or
/// lose it; a category code left with no category is deactivated, so that no stored code is
/// ever malformed.
void retarget_category(connection& c, category_id from, std::optional<category_id> to,
                       std::int64_t now_micros);

/// Whether every id exists in the table ("category" or "product").
bool all_exist(connection& c, const char* table, const std::vector<std::int64_t>& ids);

}  // namespace shopcore::storage

#endif  // SHOPCORE_SRC_STORAGE_DISCOUNT_STORE_HPP
