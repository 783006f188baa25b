#ifndef SHOPCORE_ORDER_ORDER_STATUS_HPP
#define SHOPCORE_ORDER_ORDER_STATUS_HPP

/// @file Where an order is in its life, and which moves are allowed (docs/concepts/orders.md).

#include <optional>
#include <string>
#include <vector>

#include <shopcore/export.hpp>

namespace shopcore {

/// The states of an order. Transitions (anything else is invalid_state_error):
///
/// | from            | to                                   |
/// |-----------------|--------------------------------------|
/// | pending_payment | paid, cancelled, expired             |
/// | paid            | processing, cancelled, refunded      |
/// | processing      | shipped, refunded                    |
/// | shipped         | delivered, refunded                  |
/// | delivered       | refunded                             |
/// | cancelled, expired, refunded | (final)                 |
///
/// Cancelling and expiring return the stock and, under code_release_policy::release, the
/// discount-code uses; a refund returns neither (the goods may never come back).
enum class order_status {
    pending_payment,  ///< Placed; stock and code uses are taken; waiting for payment.
    paid,             ///< A verified payment of exactly the total.
    processing,       ///< The shop is preparing it.
    shipped,          ///< Handed to the carrier; purchase information is frozen.
    delivered,        ///< Arrived.
    cancelled,        ///< Cancelled before shipping (stock returned).
    expired,          ///< Not paid in time (stock returned).
    refunded,         ///< The money was given back.
};

/// "pending_payment", "paid", ... "refunded".
[[nodiscard]] SHOPCORE_EXPORT const char* order_status_name(order_status s) noexcept;

/// The status named `name`, or none.
[[nodiscard]] SHOPCORE_EXPORT std::optional<order_status> order_status_from_name(
    const std::string& name);

/// Whether the table above allows `from` -> `to`.
[[nodiscard]] SHOPCORE_EXPORT bool can_transition(order_status from, order_status to) noexcept;

/// The statuses `from` may move to, in the enum's order.
[[nodiscard]] SHOPCORE_EXPORT std::vector<order_status> next_statuses(order_status from);

/// Whether the buyer may still edit the purchase information (before shipping, not final).
[[nodiscard]] SHOPCORE_EXPORT bool is_editable(order_status s) noexcept;

}  // namespace shopcore

#endif  // SHOPCORE_ORDER_ORDER_STATUS_HPP
