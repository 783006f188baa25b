#ifndef SHOPCORE_EVENTS_EVENT_HUB_HPP
#define SHOPCORE_EVENTS_EVENT_HUB_HPP

#include <functional>
#include <memory>
#include <string>

#include <shopcore/events/events.hpp>
#include <shopcore/events/subscription.hpp>
#include <shopcore/export.hpp>

namespace shopcore {

/// The shop's event hub (built on Boost.Signals2, which it does not expose).
///
/// Two kinds of subscription:
/// - hooks (`before_*`) run inside the service's transaction, in group order. A hook vetoes by
///   throwing: the transaction rolls back and the caller gets `hook_rejected_error` carrying the
///   hook's message (a `hook_rejected_error` thrown by the hook is passed on as it is).
/// - notifications (`on_*`) run after commit, in group order, on the thread that made the
///   change. A listener that throws is reported to the error handler; the change stays
///   committed and the remaining listeners still run.
///
/// Lower `group` numbers run first; within a group, listeners run in subscription order.
/// Listeners must not call back into the shop to write from inside a hook (the transaction
/// holds the write lock). All members are thread-safe.
///
/// Every subscribing member returns the handle that keeps the listener connected (dropping it
/// disconnects at once) and throws validation_error (field "hook" or "listener") for an empty
/// callable. A hook that throws std::bad_alloc is not a veto: that exception is passed on.
class SHOPCORE_EXPORT event_hub {
public:
    /// Receives (event name, message) for every notification listener that threw, e.g.
    /// ("on_stock_changed", what()); "unknown exception" for a non-standard exception.
    using error_handler = std::function<void(const std::string& event, const std::string& message)>;

    /// A hub with no listeners and the default error handler.
    event_hub();
    /// Drops every listener; subscriptions still held then report not connected.
    ~event_hub();
    /// Not copyable: listeners belong to one hub.
    event_hub(const event_hub&) = delete;
    /// Not copyable: listeners belong to one hub.
    event_hub& operator=(const event_hub&) = delete;

    /// Replaces the error handler. The default writes one line to stderr; an empty handler
    /// drops the reports. An exception thrown by the handler is swallowed.
    void set_error_handler(error_handler handler);

    /// Hook: A product is about to be created. Runs inside the transaction; throw to veto.
    [[nodiscard]] subscription before_product_create(
        std::function<void(const before_product_create_event&)> hook, int group = 0);

    /// Hook: A product is about to be changed. Runs inside the transaction; throw to veto.
    [[nodiscard]] subscription before_product_update(
        std::function<void(const before_product_update_event&)> hook, int group = 0);

    /// Hook: Stock on hand is about to change. Runs inside the transaction; throw to veto.
    [[nodiscard]] subscription before_stock_change(
        std::function<void(const before_stock_change_event&)> hook, int group = 0);

    /// Hook: A category is about to be deleted. Runs inside the transaction; throw to veto.
    [[nodiscard]] subscription before_category_delete(
        std::function<void(const before_category_delete_event&)> hook, int group = 0);

    /// Hook: A discount code is about to be applied to a cart. Runs inside the transaction;
    /// throw to refuse the code (the caller gets discount_rejected_error "vetoed").
    [[nodiscard]] subscription before_discount_apply(
        std::function<void(const before_discount_apply_event&)> hook, int group = 0);

    /// Notification: A category was created. Runs after commit.
    [[nodiscard]] subscription on_category_created(
        std::function<void(const category_created_event&)> listener, int group = 0);

    /// Notification: A category was renamed. Runs after commit.
    [[nodiscard]] subscription on_category_updated(
        std::function<void(const category_updated_event&)> listener, int group = 0);

    /// Notification: A category moved. Runs after commit.
    [[nodiscard]] subscription on_category_moved(
        std::function<void(const category_moved_event&)> listener, int group = 0);

    /// Notification: A category was deleted. Runs after commit.
    [[nodiscard]] subscription on_category_deleted(
        std::function<void(const category_deleted_event&)> listener, int group = 0);

    /// Notification: A product was created. Runs after commit.
    [[nodiscard]] subscription on_product_created(
        std::function<void(const product_created_event&)> listener, int group = 0);

    /// Notification: A product changed. Runs after commit.
    [[nodiscard]] subscription on_product_updated(
        std::function<void(const product_updated_event&)> listener, int group = 0);

    /// Notification: A product's price or sale price changed. Runs after commit.
    [[nodiscard]] subscription on_product_price_changed(
        std::function<void(const product_price_changed_event&)> listener, int group = 0);

    /// Notification: A product was deactivated. Runs after commit.
    [[nodiscard]] subscription on_product_deactivated(
        std::function<void(const product_deactivated_event&)> listener, int group = 0);

    /// Notification: Stock on hand changed. Runs after commit.
    [[nodiscard]] subscription on_stock_changed(
        std::function<void(const stock_changed_event&)> listener, int group = 0);

    /// Notification: Stock entered the low band (1..threshold). Runs after commit.
    [[nodiscard]] subscription on_low_stock(std::function<void(const low_stock_event&)> listener,
                                            int group = 0);

    /// Notification: Stock reached zero. Runs after commit.
    [[nodiscard]] subscription on_out_of_stock(
        std::function<void(const out_of_stock_event&)> listener, int group = 0);

    /// Notification: Stock rose from zero. Runs after commit.
    [[nodiscard]] subscription on_back_in_stock(
        std::function<void(const back_in_stock_event&)> listener, int group = 0);

    /// Notification: A user account was created. Runs after commit.
    [[nodiscard]] subscription on_user_registered(
        std::function<void(const user_registered_event&)> listener, int group = 0);

    /// Notification: A verification code must be delivered. Runs after commit.
    [[nodiscard]] subscription on_verification_code(
        std::function<void(const verification_code_event&)> listener, int group = 0);

    /// Notification: A phone number was verified. Runs after commit.
    [[nodiscard]] subscription on_phone_verified(
        std::function<void(const phone_verified_event&)> listener, int group = 0);

    /// Notification: A login attempt failed. Runs after commit.
    [[nodiscard]] subscription on_login_failed(
        std::function<void(const login_failed_event&)> listener, int group = 0);

    /// Notification: A password was changed. Runs after commit.
    [[nodiscard]] subscription on_password_changed(
        std::function<void(const password_changed_event&)> listener, int group = 0);

    /// Notification: A user account changed. Runs after commit.
    [[nodiscard]] subscription on_user_updated(
        std::function<void(const user_updated_event&)> listener, int group = 0);

    /// Notification: An account was deleted. Runs after commit.
    [[nodiscard]] subscription on_user_deleted(
        std::function<void(const user_deleted_event&)> listener, int group = 0);

    /// Notification: A discount code was applied to a cart. Runs after commit.
    [[nodiscard]] subscription on_discount_applied(
        std::function<void(const discount_applied_event&)> listener, int group = 0);

    /// Notification: A discount code was removed from a cart. Runs after commit.
    [[nodiscard]] subscription on_discount_removed(
        std::function<void(const discount_removed_event&)> listener, int group = 0);

    /// Notification: A cart's contents changed. Runs after commit.
    [[nodiscard]] subscription on_cart_changed(
        std::function<void(const cart_changed_event&)> listener, int group = 0);

    /// Notification: A guest cart was merged into a user's cart. Runs after commit.
    [[nodiscard]] subscription on_cart_merged(
        std::function<void(const cart_merged_event&)> listener, int group = 0);

    /// Hook: An order is about to be placed. Runs inside the transaction; throwing
    /// hook_rejected_error vetoes it (nothing is written).
    [[nodiscard]] subscription before_order_place(
        std::function<void(const before_order_place_event&)> hook, int group = 0);

    /// Notification: An order was placed. Runs after commit.
    [[nodiscard]] subscription on_order_placed(
        std::function<void(const order_placed_event&)> listener, int group = 0);

    /// Notification: An order was paid. Runs after commit.
    [[nodiscard]] subscription on_order_paid(std::function<void(const order_paid_event&)> listener,
                                             int group = 0);

    /// Notification: An order was cancelled or expired. Runs after commit.
    [[nodiscard]] subscription on_order_cancelled(
        std::function<void(const order_cancelled_event&)> listener, int group = 0);

    /// Notification: An order's status changed. Runs after commit.
    [[nodiscard]] subscription on_order_status_changed(
        std::function<void(const order_status_changed_event&)> listener, int group = 0);

    /// Notification: A user liked a product. Runs after commit.
    [[nodiscard]] subscription on_product_liked(
        std::function<void(const product_liked_event&)> listener, int group = 0);

    /// Notification: A user took a like back. Runs after commit.
    [[nodiscard]] subscription on_product_unliked(
        std::function<void(const product_unliked_event&)> listener, int group = 0);

    /// Notification: A comment was written. Runs after commit.
    [[nodiscard]] subscription on_comment_added(
        std::function<void(const comment_added_event&)> listener, int group = 0);

    /// Notification: A moderator hid a comment. Runs after commit.
    [[nodiscard]] subscription on_comment_hidden(
        std::function<void(const comment_hidden_event&)> listener, int group = 0);

    /// Notification: A support ticket was opened. Runs after commit.
    [[nodiscard]] subscription on_ticket_opened(
        std::function<void(const ticket_opened_event&)> listener, int group = 0);

    /// Notification: A message was added to a ticket. Runs after commit.
    [[nodiscard]] subscription on_ticket_replied(
        std::function<void(const ticket_replied_event&)> listener, int group = 0);

    /// Notification: A ticket was closed. Runs after commit.
    [[nodiscard]] subscription on_ticket_closed(
        std::function<void(const ticket_closed_event&)> listener, int group = 0);

    /// Internal state (defined in the library).
    struct impl;
    /// Internal: used by the services to publish.
    impl& internal() noexcept { return *impl_; }

private:
    std::unique_ptr<impl> impl_;
};

}  // namespace shopcore

#endif  // SHOPCORE_EVENTS_EVENT_HUB_HPP
