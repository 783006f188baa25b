#ifndef SHOPCORE_SRC_STORAGE_CATALOG_STORE_HPP
#define SHOPCORE_SRC_STORAGE_CATALOG_STORE_HPP

// SQL for categories and products. Callers validate; these functions only read and write.

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include <shopcore/catalog/category.hpp>
#include <shopcore/catalog/product.hpp>
#include <shopcore/core/currency.hpp>

#include "storage/database.hpp"

namespace shopcore::storage {

// ---- categories ----
std::optional<category> load_category(connection& c, category_id id);
std::optional<category> load_category_by_slug(connection& c, const std::string& slug);
std::vector<category> load_categories(connection& c);
category_id insert_category(connection& c, const category& cat);
/// Writes name, slug, parent and updated_at; bumps the version. False if the version moved.
bool update_category_row(connection& c, const category& cat);
std::int64_t count_child_categories(connection& c, category_id id);
std::int64_t count_products_in_category(connection& c, category_id id);
/// Moves products and child categories of `from` under `to`.
void reassign_category_contents(connection& c, category_id from, category_id to,
                                std::int64_t now_micros);
void delete_category_row(connection& c, category_id id);

// ---- products ----
std::optional<product> load_product(connection& c, const currency& cur, product_id id);
std::optional<product> load_product_by(connection& c, const currency& cur, const char* column,
                                       const std::string& value);
product_id insert_product(connection& c, const product& p);
/// Writes every column and bumps the version. False if the stored version differs from
/// `p.version`.
bool update_product_row(connection& c, const product& p);
void replace_product_details(connection& c, const product& p);
bool sku_taken(connection& c, const std::string& sku, product_id except);
bool product_slug_taken(connection& c, const std::string& slug, product_id except);

/// One page of products: the filters of `q` (with include_inactive already decided), the
/// cursor (key text and id) if continuing, and `limit` rows (the caller asks one more to see
/// whether another page follows).
struct product_cursor {
    std::string key;
    std::int64_t id = 0;
};
std::vector<product> list_products(connection& c, const currency& cur, const product_query& q,
                                   const std::optional<product_cursor>& after, std::int64_t limit);
/// The cursor key of a product under `sort`.
std::string product_sort_key(const product& p, product_sort sort);

}  // namespace shopcore::storage

#endif  // SHOPCORE_SRC_STORAGE_CATALOG_STORE_HPP
