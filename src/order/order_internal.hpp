#ifndef SHOPCORE_SRC_ORDER_ORDER_INTERNAL_HPP
#define SHOPCORE_SRC_ORDER_ORDER_INTERNAL_HPP

// Internal: what the shop needs to build the order service, and the purchase-info rules.

#include <memory>
#include <string>

#include <shopcore/order/order.hpp>
#include <shopcore/order/order_service.hpp>
#include <shopcore/order/payment_provider.hpp>

#include "shop_context.hpp"

namespace shopcore::detail {

/// `in` checked and normalised (phone, e-mail). @throws validation_error ("purchase",
/// "phone", "email", "country", "note").
purchase_info checked_purchase(const purchase_info& in, const std::string& default_country_code);

/// The order service. @throws validation_error("orders") for settings out of range.
std::unique_ptr<order_service> make_order_service(shop_context& ctx, const order_settings& s,
                                                  std::shared_ptr<payment_provider> payments,
                                                  bool ships);

}  // namespace shopcore::detail

#endif  // SHOPCORE_SRC_ORDER_ORDER_INTERNAL_HPP
