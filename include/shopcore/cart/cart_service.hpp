#ifndef SHOPCORE_CART_CART_SERVICE_HPP
#define SHOPCORE_CART_CART_SERVICE_HPP

#include <cstdint>
#include <memory>
#include <string>

#include <shopcore/cart/cart.hpp>
#include <shopcore/core/actor.hpp>
#include <shopcore/core/ids.hpp>
#include <shopcore/export.hpp>
#include <shopcore/shipping/shipping_calculator.hpp>

namespace shopcore {

/// Persistent carts. Obtained from `shop::carts()`; thread-safe and safe across processes.
///
/// Access: a guest cart is opened by its token, by anyone who holds it; a user's own cart by
/// the signed-in actor (customer or admin) with an empty cart_ref. Nobody else can read or
/// change a cart. Every change is one transaction that locks the cart, checks the product
/// (exists: not_found_error; active: invalid_state_error), the limits (validation_error) and
/// the stock on hand (insufficient_stock_error carrying the product, the quantity the line
/// would have, and the units available); on any error nothing is written. A change fires
/// cart_changed after commit. Expired carts behave as gone: a guest token then finds nothing,
/// and a user starts afresh. A user's first change that writes something creates their cart;
/// a change that changes nothing (clearing an empty cart, setting a line to the quantity it
/// has) writes nothing.
class SHOPCORE_EXPORT cart_service {
public:
    /// Internal state (defined in the library).
    struct impl;
    /// Internal: built by the shop.
    explicit cart_service(std::unique_ptr<impl> p);
    /// Destroyed by its shop.
    ~cart_service();
    /// Not copyable: a service belongs to its shop.
    cart_service(const cart_service&) = delete;
    /// Not copyable: a service belongs to its shop.
    cart_service& operator=(const cart_service&) = delete;

    /// Creates an empty guest cart. Open to everyone.
    [[nodiscard]] guest_cart create_guest_cart(const actor& by);

    /// The cart. A user without a cart gets an empty one with id 0 (nothing is written).
    /// @throws not_found_error (unknown or expired guest token), authentication_error (empty
    ///         ref and the actor is anonymous or the system).
    [[nodiscard]] cart get(const actor& by, const cart_ref& ref);

    /// Adds `quantity` units of `product` (to its line, or as a new line at the end).
    /// @throws validation_error ("quantity" below 1 or the line above max_line_quantity,
    ///         "lines" above max_lines, "quantity" with the cart above max_total_quantity),
    ///         not_found_error, invalid_state_error (inactive product),
    ///         insufficient_stock_error, authentication_error as get().
    cart add_item(const actor& by, const cart_ref& ref, product_id product, std::int64_t quantity);

    /// Sets the line's quantity; 0 removes the line. A product not in the cart is added.
    /// Lowering a line is always allowed, even when the product stopped selling or its stock
    /// fell below the line (that is how such a cart is fixed); raising it is checked as
    /// add_item().
    /// @throws as add_item() ("quantity" below 0).
    cart set_quantity(const actor& by, const cart_ref& ref, product_id product,
                      std::int64_t quantity);

    /// Removes the line. @throws not_found_error if the product is not in the cart, and as
    /// get().
    cart remove_item(const actor& by, const cart_ref& ref, product_id product);

    /// Removes every line and code (the destination and method stay).
    /// @throws as get().
    cart clear(const actor& by, const cart_ref& ref);

    /// Applies a discount code (case-insensitive). The cart is priced with the code: it is
    /// kept only if it applies and every code already applied still does; then the
    /// before_discount_apply hooks run and may veto, and discount_applied fires after commit.
    /// @throws discount_rejected_error with reason unknown_code, already_applied, any engine
    ///         refusal (docs/concepts/discounts.md), not_combinable (it would push out a code
    ///         already applied), vetoed (a hook refused it; the hook's reason is in the
    ///         message); validation_error ("codes" above max_codes); as get().
    cart apply_code(const actor& by, const cart_ref& ref, const std::string& code);

    /// Removes a code; discount_removed fires after commit.
    /// @throws not_found_error if the code is not on the cart; as get().
    cart remove_code(const actor& by, const cart_ref& ref, const std::string& code);

    /// Sets where the cart ships. @throws validation_error ("country" not two upper-case
    /// letters, "province" over 200 characters); as get().
    cart set_destination(const actor& by, const cart_ref& ref, const shipping_destination& to);

    /// Chooses a shipping method by code; empty: the cheapest.
    /// @throws validation_error ("shipping_method" unknown to the shop); as get().
    cart choose_shipping(const actor& by, const cart_ref& ref, const std::string& method_code);

    /// The cart priced by the shop's pricing engine, with what stands in the way of ordering
    /// it. Always works on a readable cart: inactive products are left out and reported,
    /// codes that no longer apply are listed as refused with their reason.
    /// @throws as get().
    [[nodiscard]] priced_cart price(const actor& by, const cart_ref& ref);

    /// Moves a guest cart into the signed-in user's cart under settings' merge_policy, capping
    /// each quantity by stock and the line limit and dropping inactive products; codes are
    /// kept when they still apply. The guest cart is deleted; cart_merged fires.
    /// @returns the user's cart. @throws authentication_error (anonymous or system actor),
    ///         not_found_error (unknown or expired token).
    cart merge_guest_cart(const actor& by, const std::string& guest_token);

    /// Deletes every cart that expired at or before now, in batches of 200 carts (each its own
    /// transaction; a cart renewed meanwhile is kept). The system actor or an admin holding
    /// `permission::manage_orders`.
    /// @returns how many carts were deleted. @throws permission_denied_error.
    std::int64_t purge_expired(const actor& by);

    /// The settings the shop was opened with.
    [[nodiscard]] const cart_settings& settings() const noexcept;

private:
    std::unique_ptr<impl> impl_;
};

}  // namespace shopcore

#endif  // SHOPCORE_CART_CART_SERVICE_HPP
