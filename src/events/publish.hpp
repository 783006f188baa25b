#ifndef SHOPCORE_SRC_EVENTS_PUBLISH_HPP
#define SHOPCORE_SRC_EVENTS_PUBLISH_HPP

// Internal: how services deliver events. Boost.Signals2 stays inside event_hub.cpp.

#include <shopcore/events/event_hub.hpp>

#include "storage/database.hpp"

// clang-format off
#define SHOPCORE_HOOK_LIST(X) \
    X(before_product_create) \
    X(before_product_update) \
    X(before_stock_change) \
    X(before_category_delete) \
    X(before_discount_apply) \
    X(before_order_place)

#define SHOPCORE_NOTIFICATION_LIST(X) \
    X(category_created) \
    X(category_updated) \
    X(category_moved) \
    X(category_deleted) \
    X(product_created) \
    X(product_updated) \
    X(product_price_changed) \
    X(product_deactivated) \
    X(stock_changed) \
    X(low_stock) \
    X(out_of_stock) \
    X(back_in_stock) \
    X(user_registered) \
    X(verification_code) \
    X(phone_verified) \
    X(login_failed) \
    X(password_changed) \
    X(user_updated) \
    X(user_deleted) \
    X(discount_applied) \
    X(discount_removed) \
    X(cart_changed) \
    X(cart_merged) \
    X(order_placed) \
    X(order_paid) \
    X(order_cancelled) \
    X(order_status_changed) \
    X(product_liked) \
    X(product_unliked) \
    X(comment_added) \
    X(comment_hidden) \
    X(ticket_opened) \
    X(ticket_replied) \
    X(ticket_closed)
// clang-format on

namespace shopcore::detail {

#define SHOPCORE_DECLARE_PUBLISH(name)                   \
    void publish(event_hub& hub, const name##_event& e); \
    bool has_listeners(event_hub& hub, const name##_event& e);
SHOPCORE_NOTIFICATION_LIST(SHOPCORE_DECLARE_PUBLISH)
#undef SHOPCORE_DECLARE_PUBLISH

#define SHOPCORE_DECLARE_HOOK(name) void run_hook(event_hub& hub, const name##_event& e);
SHOPCORE_HOOK_LIST(SHOPCORE_DECLARE_HOOK)
#undef SHOPCORE_DECLARE_HOOK

/// Queues a notification to be published once the transaction has committed; nothing is queued
/// when no listener is connected to it at the time of the change (most are not: a checkout
/// would otherwise copy every stock event for nobody).
template <class Event>
void publish_after_commit(storage::transaction_context& tx, event_hub& hub, Event e) {
    if (!has_listeners(hub, e)) return;
    tx.after_commit([&hub, ev = std::move(e)] { publish(hub, ev); });
}

}  // namespace shopcore::detail

#endif  // SHOPCORE_SRC_EVENTS_PUBLISH_HPP
