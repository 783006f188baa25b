#ifndef SHOPCORE_SRC_SERVICE_IMPLS_HPP
#define SHOPCORE_SRC_SERVICE_IMPLS_HPP

// Internal: the private state of each service, so that shop.cpp can build them.

#include <shopcore/catalog/catalog_service.hpp>
#include <shopcore/inventory/inventory_service.hpp>

#include "shop_context.hpp"

namespace shopcore {

struct catalog_service::impl {
    detail::shop_context& ctx;
};

struct inventory_service::impl {
    detail::shop_context& ctx;
};

}  // namespace shopcore

#endif  // SHOPCORE_SRC_SERVICE_IMPLS_HPP
