#ifndef SHOPCORE_CATALOG_CATALOG_SERVICE_HPP
#define SHOPCORE_CATALOG_CATALOG_SERVICE_HPP

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <shopcore/catalog/category.hpp>
#include <shopcore/catalog/product.hpp>
#include <shopcore/core/actor.hpp>
#include <shopcore/core/pagination.hpp>
#include <shopcore/export.hpp>

namespace shopcore {

/// Categories and products. Obtained from `shop::catalog()`; thread-safe.
///
/// Changes need the system actor or an admin holding `permission::manage_catalog` (checked
/// against the database on each call) and throw `permission_denied_error` otherwise. Reads are
/// open to everyone, but inactive products are visible to staff only. Every change
/// is one transaction: on any error nothing is written.
class SHOPCORE_EXPORT catalog_service {
public:
    /// Internal state (defined in the library).
    struct impl;
    /// Internal: built by the shop.
    explicit catalog_service(std::unique_ptr<impl> p);
    /// Destroyed by its shop.
    ~catalog_service();
    /// Not copyable: a service belongs to its shop.
    catalog_service(const catalog_service&) = delete;
    /// Not copyable: a service belongs to its shop.
    catalog_service& operator=(const catalog_service&) = delete;

    // ---- categories ----

    /// Creates a category (its slug derived from the name when empty). Fires category_created.
    /// @returns the stored category.
    /// @throws validation_error (empty/overlong name, bad slug), not_found_error (parent),
    /// conflict_error (slug taken), permission_denied_error.
    category create_category(const actor& by, const new_category& c);

    /// Renames a category or changes its slug. Fires category_updated.
    /// @throws validation_error, not_found_error, conflict_error (slug taken or version
    /// mismatch), permission_denied_error.
    category update_category(const actor& by, category_id id, const category_update& u);

    /// Moves a category under `new_parent` (none: make it a root). Fires category_moved.
    /// @throws invalid_state_error when the move would create a cycle; not_found_error (the
    /// category or the new parent), conflict_error (changed concurrently),
    /// permission_denied_error.
    category move_category(const actor& by, category_id id, std::optional<category_id> new_parent);

    /// Deletes a category. Without `reassign_to` it must be empty (no products, no children);
    /// with it, its products and children move there first. Fires before_category_delete and
    /// category_deleted. @throws invalid_state_error (not empty, or reassigning into itself or
    /// its own subtree), not_found_error, hook_rejected_error, permission_denied_error.
    void delete_category(const actor& by, category_id id,
                         std::optional<category_id> reassign_to = std::nullopt);

    /// One category; open to every actor. @throws not_found_error.
    [[nodiscard]] category category_by_id(const actor& by, category_id id);
    /// The category with this slug; open to every actor. @throws not_found_error.
    [[nodiscard]] category category_by_slug(const actor& by, const std::string& slug);
    /// Every category, depth first: each parent before its children, siblings by name.
    [[nodiscard]] std::vector<category> list_categories(const actor& by);

    // ---- products ----

    /// Creates a product with its stock row (initial stock, low-stock threshold).
    /// Fires before_product_create, product_created.
    /// @throws validation_error (empty/overlong text, negative or wrong-currency price, sale
    /// larger than the price, negative stock), conflict_error (SKU or slug taken),
    /// not_found_error (category), hook_rejected_error, permission_denied_error.
    product create_product(const actor& by, const new_product& p);

    /// Changes the given fields. Fires before_product_update, product_updated, and
    /// product_price_changed when the price or sale price changed (and product_deactivated).
    /// @throws as create_product, plus conflict_error on a version mismatch, validation_error
    /// when both `category` and `clear_category` are given, not_found_error (the product).
    product update_product(const actor& by, product_id id, const product_update& u);

    /// Hides a product from customers (idempotent). On change it is update_product with
    /// `active = false`: fires before_product_update, product_updated, product_deactivated.
    /// @throws not_found_error, hook_rejected_error, conflict_error (changed concurrently),
    /// permission_denied_error.
    product deactivate_product(const actor& by, product_id id);

    /// One product. @throws not_found_error (also for an inactive product and a non-staff
    /// actor).
    [[nodiscard]] product product_by_id(const actor& by, product_id id);
    /// The product with this SKU. @throws not_found_error (as product_by_id).
    [[nodiscard]] product product_by_sku(const actor& by, const std::string& sku);
    /// The product with this slug. @throws not_found_error (as product_by_id).
    [[nodiscard]] product product_by_slug(const actor& by, const std::string& slug);

    /// Products matching `q`, one page at a time (keyset pagination: pages stay stable while
    /// products are added). @throws validation_error for a bad limit, a malformed token or one
    /// from another query, a text over 200 characters, or a min/max price in another currency.
    [[nodiscard]] page<product> list_products(const actor& by, const product_query& q,
                                              const page_request& page = page_request());

private:
    std::unique_ptr<impl> impl_;
};

}  // namespace shopcore

#endif  // SHOPCORE_CATALOG_CATALOG_SERVICE_HPP
