#ifndef SHOPCORE_SRC_CATALOG_CATALOG_RULES_HPP
#define SHOPCORE_SRC_CATALOG_CATALOG_RULES_HPP

#include <shopcore/catalog/product.hpp>
#include <shopcore/core/currency.hpp>

namespace shopcore::detail {

/// Checks every field rule of a product (text lengths, SKU form, slug, price currency and sign,
/// sale against price, attributes, image URLs). Throws validation_error naming the field.
void check_product(const product& p, const currency& shop_currency);

}  // namespace shopcore::detail

#endif  // SHOPCORE_SRC_CATALOG_CATALOG_RULES_HPP
