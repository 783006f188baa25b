#ifndef SHOPCORE_ORDER_ORDER_SERVICE_HPP
#define SHOPCORE_ORDER_ORDER_SERVICE_HPP

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include <shopcore/core/actor.hpp>
#include <shopcore/core/ids.hpp>
#include <shopcore/core/pagination.hpp>
#include <shopcore/export.hpp>
#include <shopcore/order/order.hpp>
#include <shopcore/order/order_status.hpp>
#include <shopcore/order/payment_provider.hpp>

namespace shopcore {

/// A payment's state as the shop records it.
enum class payment_status {
    started,     ///< The buyer was sent to the gateway.
    paid,        ///< Verified, amount equal to the order total: the order is paid.
    failed,      ///< The gateway said no, or the amount differed.
    refund_due,  ///< Paid after the order was cancelled or expired: give the money back.
};

/// "started", "paid", "failed", "refund_due".
[[nodiscard]] SHOPCORE_EXPORT const char* payment_status_name(payment_status s) noexcept;

/// What start_payment() returns.
struct payment_start {
    std::string authority;     ///< The gateway's id of this payment.
    std::string redirect_url;  ///< Send the buyer here.
};

/// What verify_payment() returns.
struct payment_result {
    shopcore::order order;                            ///< The order after verification.
    payment_status status = payment_status::started;  ///< Never `started`.
    std::string reference_id;                         ///< The gateway's receipt when paid.
    std::string message;                              ///< Why, when failed or refund_due.
};

/// Orders. Obtained from `shop::orders()`; thread-safe and safe across processes.
///
/// Access: a customer sees and changes only their own orders; admins need
/// `permission::manage_orders` (reading included). Every change is one transaction, recorded
/// in the order's history with who and when; events fire after commit.
class SHOPCORE_EXPORT order_service {
public:
    /// Internal state (defined in the library).
    struct impl;
    /// Internal: built by the shop.
    explicit order_service(std::unique_ptr<impl> p);
    /// Destroyed by its shop.
    ~order_service();
    /// Not copyable: a service belongs to its shop.
    order_service(const order_service&) = delete;
    /// Not copyable: a service belongs to its shop.
    order_service& operator=(const order_service&) = delete;

    /// Places an order from the acting user's cart. The cart is priced first, with the same
    /// engine as cart_service::price() and the shipping address's country and province as the
    /// destination; then one transaction takes the stock of every line (a conditional update
    /// per product, in id order), counts each code's use, writes the order with its snapshot,
    /// its first history entry, and closes the cart. The order is pending_payment until paid.
    /// The same idempotency key again returns the same order (placed_order fires once).
    /// @throws authentication_error (not signed in); validation_error ("idempotency_key",
    ///         "purchase", "note", or "address" when no shipping address is given or stored);
    ///         invalid_state_error (empty cart, an inactive product, no shipping method for the
    ///         address); insufficient_stock_error (for the first short line; shortages() lists
    ///         every one); discount_rejected_error (a code no longer applies: its reason);
    ///         hook_rejected_error (a before_order_place or before_stock_change hook);
    ///         idempotency_error (the key was used for another cart or other details);
    ///         conflict_error (the cart kept changing while being placed). On any error
    ///         nothing is written.
    order place_order(const actor& by, const checkout_request& request);

    /// The order. @throws not_found_error (also for another customer's order), or
    ///         permission_denied_error (an admin without manage_orders).
    [[nodiscard]] order get(const actor& by, order_id id);

    /// The order with this number. @throws as get().
    [[nodiscard]] order find_by_number(const actor& by, const std::string& number);

    /// The acting user's orders, newest first. @throws authentication_error (not signed in),
    ///         validation_error ("limit", "token").
    [[nodiscard]] page<order> list_mine(const actor& by, const page_request& request);

    /// Orders matching `filter`, newest first (admins with manage_orders).
    /// @throws permission_denied_error, validation_error ("limit", "token", "placed_to"
    ///         not after placed_from).
    [[nodiscard]] page<order> list(const actor& by, const order_filter& filter,
                                   const page_request& request);

    /// Replaces the purchase information (recipient, phone, e-mail, address, note) while the
    /// order is editable (is_editable()). The buyer or an admin. Country and province cannot
    /// change: they priced shipping and tax.
    /// @throws validation_error ("purchase", "country", "province"), invalid_state_error
    ///         (shipped or final), conflict_error (`expected_version` is not the stored one),
    ///         and as get().
    order update_purchase_info(const actor& by, order_id id, const purchase_info& info,
                               std::int64_t expected_version);

    /// Moves the order along the table in order_status.hpp (admins with manage_orders).
    /// To `paid` only through verify_payment(). Cancelling returns stock and codes as
    /// cancel() does. @throws invalid_state_error (not allowed from the current status, or
    ///         `paid`), validation_error ("note" over 1000 characters), and as get().
    order change_status(const actor& by, order_id id, order_status to, const std::string& note);

    /// Cancels a pending_payment order (its buyer or an admin) or a paid one (admins only):
    /// stock returns and, under code_release_policy::release, the code uses are given back.
    /// @throws invalid_state_error (another status), and as change_status().
    order cancel(const actor& by, order_id id, const std::string& reason);

    /// Expires every pending_payment order whose payment window has passed, releasing stock
    /// and codes as cancel() does. The system actor or an admin with manage_orders.
    /// @returns how many orders expired. @throws permission_denied_error.
    std::int64_t expire_unpaid(const actor& by);

    /// The order's history, oldest first. @throws as get().
    [[nodiscard]] std::vector<order_history_entry> history(const actor& by, order_id id);

    /// Starts paying a pending_payment order through the shop's payment provider (called
    /// outside any transaction) and records the payment. The buyer or an admin.
    /// @throws invalid_state_error (not pending_payment, or the shop has no provider),
    ///         validation_error ("callback_url" empty or over 2000 characters), whatever the
    ///         provider throws, and as get().
    payment_start start_payment(const actor& by, order_id id, const std::string& callback_url);

    /// Verifies a payment by its authority, as a gateway callback does; anyone holding the
    /// authority may call it. The provider is asked once; the answer is kept, so calling again
    /// returns the same result. The order becomes paid only when the gateway took exactly its
    /// total while it was pending_payment.
    /// @throws not_found_error (unknown authority), whatever the provider throws (nothing is
    ///         recorded then; call again).
    payment_result verify_payment(const actor& by, const std::string& authority);

private:
    std::unique_ptr<impl> impl_;
};

}  // namespace shopcore

#endif  // SHOPCORE_ORDER_ORDER_SERVICE_HPP
