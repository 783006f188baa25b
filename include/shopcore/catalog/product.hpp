#ifndef SHOPCORE_CATALOG_PRODUCT_HPP
#define SHOPCORE_CATALOG_PRODUCT_HPP

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include <shopcore/catalog/sale_discount.hpp>
#include <shopcore/core/clock.hpp>
#include <shopcore/core/ids.hpp>
#include <shopcore/core/money.hpp>
#include <shopcore/core/weight.hpp>

namespace shopcore {

/// A name/value pair describing a product ("colour" = "red"). Order is kept.
struct product_attribute {
    std::string name;   ///< 1..100 characters.
    std::string value;  ///< 0..1000 characters.

    /// Same name and same value.
    friend bool operator==(const product_attribute& a, const product_attribute& b) {
        return a.name == b.name && a.value == b.value;
    }
};

/// A product as stored. Stock lives in the inventory (`inventory_service`).
struct product {
    product_id id;                        ///< Assigned by the shop.
    std::string sku;                      ///< Unique; 1..64 printable ASCII characters, no spaces.
    std::string name;                     ///< 1..200 characters.
    std::string slug;                     ///< Unique; lower-case letters, digits and '-'.
    std::string description;              ///< 0..20000 characters.
    std::optional<category_id> category;  ///< None: in no category.
    money price;                          ///< List price, in the shop's currency, >= 0.
    sale_discount sale;                   ///< Standing sale discount, if any.
    money sale_price;         ///< `sale.apply(price)`: what the customer pays before codes.
    shopcore::weight weight;  ///< Shipping weight of one unit.
    std::vector<product_attribute> attributes;  ///< At most 100, in the order given.
    /// At most 20, in order; each an http(s) URL or an absolute path, 1..2000 characters.
    std::vector<std::string> image_urls;
    bool active = true;        ///< Inactive products are hidden from customers.
    timestamp created_at;      ///< When it was created.
    timestamp updated_at;      ///< When it last changed.
    std::int64_t version = 0;  ///< Incremented by every change (optimistic locking).
};

/// What `catalog_service::create_product` needs.
struct new_product {
    std::string sku;                            ///< As product::sku.
    std::string name;                           ///< As product::name.
    std::string slug;                           ///< Empty: derived from the name.
    std::string description;                    ///< As product::description.
    std::optional<category_id> category;        ///< An existing category, or none.
    money price;                                ///< As product::price.
    sale_discount sale;                         ///< An amount off must not exceed the price.
    shopcore::weight weight;                    ///< Shipping weight of one unit.
    std::vector<product_attribute> attributes;  ///< As product::attributes.
    std::vector<std::string> image_urls;        ///< As product::image_urls.
    bool active = true;                         ///< False: created hidden.
    std::int64_t initial_stock = 0;             ///< Units on hand at creation, >= 0.
    std::int64_t low_stock_threshold = 0;       ///< Low-stock event at or below this, >= 0.
};

/// A partial change of a product: fields left empty stay as they are.
struct product_update {
    std::optional<std::string> name;         ///< New name.
    std::optional<std::string> slug;         ///< New slug, unique; never derived.
    std::optional<std::string> description;  ///< New description.
    std::optional<category_id> category;     ///< Move to this category.
    bool clear_category = false;             ///< Remove the product from its category.
    std::optional<money> price;              ///< New list price (the sale price follows).
    std::optional<sale_discount> sale;       ///< New sale discount (the sale price follows).
    std::optional<shopcore::weight> weight;  ///< New shipping weight.
    std::optional<std::vector<product_attribute>> attributes;  ///< Replaces the list.
    std::optional<std::vector<std::string>> image_urls;        ///< Replaces the list.
    std::optional<bool> active;                    ///< False on an active product deactivates it.
    std::optional<std::int64_t> expected_version;  ///< When set, must equal the stored version.
};

/// Sort orders of `catalog_service::list_products`; ties are broken by id in the same
/// direction (ascending sorts by ascending id, descending sorts by descending id).
enum class product_sort {
    newest,            ///< Most recently created first.
    price_ascending,   ///< Lowest sale price first.
    price_descending,  ///< Highest sale price first.
    name_ascending,    ///< By name in byte order (upper case before lower case).
    name_descending    ///< By name in reverse byte order.
};

/// Filters of `catalog_service::list_products`.
struct product_query {
    std::optional<category_id> category;       ///< This category and all its sub-categories.
    std::string text;                          ///< Case-insensitive (ASCII) substring of the name.
    std::optional<money> min_price;            ///< Sale price at least this.
    std::optional<money> max_price;            ///< Sale price at most this.
    bool in_stock_only = false;                ///< Only products with stock on hand.
    bool include_inactive = false;             ///< Staff only; ignored for other actors.
    product_sort sort = product_sort::newest;  ///< The order of the listing.
};

}  // namespace shopcore

#endif  // SHOPCORE_CATALOG_PRODUCT_HPP
