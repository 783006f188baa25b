#ifndef SHOPCORE_EVENTS_EVENTS_HPP
#define SHOPCORE_EVENTS_EVENTS_HPP

/// @file The catalog of events. Every event is a plain value (ids, money, timestamps, text).
/// `before_*` events are delivered inside the transaction to hooks that may veto;
/// the others are notifications delivered after commit. docs/hooks.md says exactly when each
/// fires.

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include <shopcore/core/actor.hpp>
#include <shopcore/core/clock.hpp>
#include <shopcore/core/ids.hpp>
#include <shopcore/core/money.hpp>
#include <shopcore/order/order_status.hpp>
#include <shopcore/support/ticket.hpp>

namespace shopcore {

// ---- before_* hooks (inside the transaction; throwing vetoes) -------------------------------

/// A product is about to be created.
struct before_product_create_event {
    actor by;                             ///< Who is creating it.
    std::string sku;                      ///< The new product's SKU.
    std::string name;                     ///< The new product's name.
    std::optional<category_id> category;  ///< Its category, if any.
    money price;                          ///< Its list price.
    money sale_price;                     ///< Its price after the standing sale discount.
    std::int64_t initial_stock = 0;       ///< Units it will have on hand.
};

/// A product is about to be changed (fields hold the values after the change).
struct before_product_update_event {
    actor by;                             ///< Who is changing it.
    product_id product;                   ///< The product.
    std::string name;                     ///< Name after the change.
    std::optional<category_id> category;  ///< Category after the change.
    money price;                          ///< List price after the change.
    money sale_price;                     ///< Sale price after the change.
    bool active = true;                   ///< Active flag after the change.
};

/// Stock on hand is about to change (not fired for the initial stock of a new product).
struct before_stock_change_event {
    actor by;                         ///< Who is changing it.
    product_id product;               ///< The product.
    std::int64_t delta = 0;           ///< on_hand_after - on_hand_before; never zero.
    std::int64_t on_hand_before = 0;  ///< Units on hand before the change.
    std::int64_t on_hand_after = 0;   ///< Units on hand after the change; never negative.
    std::string reason;               ///< The reason given by the caller.
};

/// A category is about to be deleted.
struct before_category_delete_event {
    actor by;                                ///< Who is deleting it.
    category_id category;                    ///< The category.
    std::optional<category_id> reassign_to;  ///< Where its products and children will go, if set.
};

// ---- notifications (after commit) ---------------------------------------------------------

/// A category was created.
struct category_created_event {
    actor by;                           ///< Who created it.
    category_id category;               ///< The new category.
    std::string name;                   ///< Its name.
    std::string slug;                   ///< Its slug.
    std::optional<category_id> parent;  ///< Its parent; none for a root category.
    timestamp at;                       ///< When it was created (the shop's clock).
};

/// A category's name or slug changed.
struct category_updated_event {
    actor by;              ///< Who changed it.
    category_id category;  ///< The category.
    std::string name;      ///< Name after the change.
    std::string slug;      ///< Slug after the change.
    timestamp at;          ///< When it changed.
};

/// A category moved to another parent.
struct category_moved_event {
    actor by;                               ///< Who moved it.
    category_id category;                   ///< The category.
    std::optional<category_id> old_parent;  ///< Parent before; none for a root.
    std::optional<category_id> new_parent;  ///< Parent after; none for a root.
    timestamp at;                           ///< When it moved.
};

/// A category was deleted; its products and children moved to `reassigned_to` if set.
struct category_deleted_event {
    actor by;                                  ///< Who deleted it.
    category_id category;                      ///< The deleted category.
    std::optional<category_id> reassigned_to;  ///< Where its contents went, if anywhere.
    timestamp at;                              ///< When it was deleted.
};

/// A product was created.
struct product_created_event {
    actor by;            ///< Who created it.
    product_id product;  ///< The new product.
    std::string sku;     ///< Its SKU.
    std::string name;    ///< Its name.
    money price;         ///< Its list price.
    money sale_price;    ///< Its price after the standing sale discount.
    timestamp at;        ///< When it was created.
};

/// A product was changed (any field); `version` is the new version.
struct product_updated_event {
    actor by;                  ///< Who changed it.
    product_id product;        ///< The product.
    std::int64_t version = 0;  ///< The product's version after the change.
    timestamp at;              ///< When it changed.
};

/// A product's list price or sale price changed (fired after product_updated).
struct product_price_changed_event {
    actor by;              ///< Who changed it.
    product_id product;    ///< The product.
    money old_price;       ///< List price before.
    money new_price;       ///< List price after.
    money old_sale_price;  ///< Sale price before.
    money new_sale_price;  ///< Sale price after.
    timestamp at;          ///< When it changed.
};

/// A product was deactivated (hidden from customers).
struct product_deactivated_event {
    actor by;            ///< Who deactivated it.
    product_id product;  ///< The product.
    timestamp at;        ///< When it was deactivated.
};

/// Stock on hand changed by `delta` to `on_hand`.
struct stock_changed_event {
    actor by;                  ///< Who changed it.
    product_id product;        ///< The product.
    std::int64_t delta = 0;    ///< Units added (positive) or removed (negative).
    std::int64_t on_hand = 0;  ///< Units on hand after the change.
    std::string reason;        ///< The reason given by the caller.
    timestamp at;              ///< When it changed.
};

/// Stock entered the low band 1..threshold, from above the threshold or from zero (a restock
/// from zero into the band fires back_in_stock and then low_stock).
struct low_stock_event {
    product_id product;          ///< The product.
    std::int64_t on_hand = 0;    ///< Units on hand now (1..threshold).
    std::int64_t threshold = 0;  ///< The product's low-stock threshold.
    timestamp at;                ///< When stock changed.
};

/// Stock reached zero.
struct out_of_stock_event {
    product_id product;  ///< The product.
    timestamp at;        ///< When stock reached zero.
};

/// Stock rose from zero.
struct back_in_stock_event {
    product_id product;        ///< The product.
    std::int64_t on_hand = 0;  ///< Units on hand now (at least 1).
    timestamp at;              ///< When stock rose.
};

// ---- accounts (notifications, after commit) ---------------------------------------------------

/// A user account was created (self-registration, by an admin, or by phone verification).
struct user_registered_event {
    actor by;                       ///< Who created it (anonymous for self-registration).
    user_id user;                   ///< The new account.
    bool is_admin = false;          ///< The account was created as an admin.
    bool default_password = false;  ///< The password was generated.
    timestamp at;                   ///< When it was created (its join date).
};

/// A verification code must be delivered to `phone` (by SMS in real life). The only place the
/// raw code ever appears; it is stored hashed.
struct verification_code_event {
    std::string phone;     ///< Normalised.
    std::string code;      ///< 6 digits.
    std::string purpose;   ///< "verify_phone" or "change_phone".
    timestamp expires_at;  ///< The code is refused after this (5 minutes after sending).
};

/// A phone number was verified with its code.
struct phone_verified_event {
    std::optional<user_id> user;  ///< The account with this phone, if any.
    std::string phone;            ///< The verified number, normalised.
    timestamp at;                 ///< When the code was accepted.
};

/// A login attempt failed (`user` is set when the login named an existing account).
struct login_failed_event {
    std::optional<user_id> user;  ///< The account named by the login, if it exists.
    bool locked = false;          ///< The account is (now) locked.
    timestamp at;                 ///< When the attempt was made.
};

/// A user's password was changed (all their sessions were revoked).
struct password_changed_event {
    user_id user;  ///< The account.
    timestamp at;  ///< When the password changed.
};

/// A user's profile, phone, role, permissions or active flag changed.
struct user_updated_event {
    actor by;                  ///< Who changed it.
    user_id user;              ///< The account.
    std::int64_t version = 0;  ///< The account's version after the change.
    timestamp at;              ///< When it changed.
};

/// An account was deleted (its personal data anonymised).
struct user_deleted_event {
    actor by;      ///< Who deleted it (the user themself or an admin).
    user_id user;  ///< The deleted account (kept, anonymised).
    timestamp at;  ///< When it was deleted.
};

// ---- carts and discount codes -----------------------------------------------------------------

/// Hook: a discount code is about to be applied to a cart (it passed every built-in rule).
/// Throw to refuse it: the caller gets discount_rejected_error with reason "vetoed" and the
/// exception's what() in its message.
struct before_discount_apply_event {
    actor by;                         ///< Who is applying it.
    cart_id cart;                     ///< The cart.
    std::optional<user_id> customer;  ///< The cart's owner; none for a guest cart.
    std::string code;                 ///< The code, upper case.
    discount_id discount;             ///< The code's id.
    money amount;    ///< What it would take off the cart (lines, or shipping once known).
    money subtotal;  ///< The cart's subtotal after sale prices, before codes.
};

/// A discount code was applied to a cart.
struct discount_applied_event {
    actor by;              ///< Who applied it.
    cart_id cart;          ///< The cart.
    std::string code;      ///< The code.
    discount_id discount;  ///< The code's id.
    money amount;          ///< What it took off when applied.
    timestamp at;          ///< When.
};

/// A discount code was removed from a cart (by its holder, or by clearing the cart).
struct discount_removed_event {
    actor by;              ///< Who removed it.
    cart_id cart;          ///< The cart.
    std::string code;      ///< The code.
    discount_id discount;  ///< The code's id.
    timestamp at;          ///< When.
};

/// A cart's contents changed.
struct cart_changed_event {
    actor by;                           ///< Who changed it.
    cart_id cart;                       ///< The cart.
    std::optional<user_id> owner;       ///< Its user; none for a guest cart.
    std::optional<product_id> product;  ///< The line changed; none when the cart was cleared.
    std::int64_t old_quantity = 0;      ///< The line's units before (0: it was not there).
    std::int64_t new_quantity = 0;      ///< The line's units after (0: it was removed).
    timestamp at;                       ///< When.
};

/// A guest cart was merged into a user's cart at sign-in (the guest cart is gone).
struct cart_merged_event {
    user_id user;        ///< The user.
    cart_id guest_cart;  ///< The guest cart (deleted).
    cart_id user_cart;   ///< The user's cart.
    timestamp at;        ///< When.
};

/// An order is about to be placed (inside its transaction, after stock and codes were taken):
/// a hook may veto it, and nothing is written.
struct before_order_place_event {
    actor by;                        ///< The buyer.
    cart_id cart;                    ///< The cart it comes from.
    std::string number;              ///< The number it will have.
    std::int64_t lines = 0;          ///< How many lines.
    money total;                     ///< What the buyer will pay.
    std::vector<std::string> codes;  ///< The codes that apply.
};

/// An order was placed (once per order, not again for an idempotent repeat).
struct order_placed_event {
    actor by;                              ///< The buyer.
    order_id order;                        ///< The order.
    std::string number;                    ///< Its number.
    user_id customer;                      ///< The buyer's account.
    money total;                           ///< What the buyer pays.
    std::vector<product_id> products;      ///< The products bought, by line.
    std::vector<std::int64_t> quantities;  ///< Their units, by line.
    timestamp at;                          ///< When.
};

/// A payment of an order was verified: the order is paid.
struct order_paid_event {
    order_id order;            ///< The order.
    std::string number;        ///< Its number.
    money amount;              ///< What was paid (the total).
    std::string reference_id;  ///< The gateway's receipt.
    timestamp at;              ///< When.
};

/// An order was cancelled or expired; its stock (and code uses, by policy) came back.
struct order_cancelled_event {
    actor by;                          ///< Who (the system for expiry).
    order_id order;                    ///< The order.
    std::string number;                ///< Its number.
    order_status from;                 ///< pending_payment or paid (paid: the app should refund).
    order_status to;                   ///< cancelled or expired.
    std::string reason;                ///< The reason given.
    timestamp at;                      ///< When.
    std::vector<product_id> products;  ///< The products of its lines, as order_placed gave them.
};

/// An order's status changed (every change, cancellation and payment included).
struct order_status_changed_event {
    actor by;            ///< Who.
    order_id order;      ///< The order.
    std::string number;  ///< Its number.
    order_status from;   ///< Before.
    order_status to;     ///< After.
    timestamp at;        ///< When.
};

/// A user liked a product (not fired again for a like that was already there).
struct product_liked_event {
    user_id user;        ///< Who.
    product_id product;  ///< The product.
    timestamp at;        ///< When.
};

/// A user took a like back.
struct product_unliked_event {
    user_id user;        ///< Who.
    product_id product;  ///< The product.
    timestamp at;        ///< When.
};

/// A comment was written.
struct comment_added_event {
    comment_id comment;                  ///< The comment.
    product_id product;                  ///< The product.
    user_id author;                      ///< Who wrote it.
    std::optional<std::int32_t> rating;  ///< Its rating, when given.
    timestamp at;                        ///< When.
};

/// A moderator hid a comment.
struct comment_hidden_event {
    actor by;            ///< The moderator.
    comment_id comment;  ///< The comment.
    product_id product;  ///< The product.
    std::string reason;  ///< Why.
    timestamp at;        ///< When.
};

/// A customer opened a support ticket.
struct ticket_opened_event {
    ticket_id ticket;                                    ///< The ticket.
    user_id customer;                                    ///< Who opened it.
    std::string subject;                                 ///< Its subject.
    ticket_priority priority = ticket_priority::normal;  ///< How urgent.
    timestamp at;                                        ///< When.
};

/// A message was added to a ticket (by its customer or by staff).
struct ticket_replied_event {
    actor by;                 ///< Who wrote it.
    ticket_id ticket;         ///< The ticket.
    user_id customer;         ///< The ticket's customer (to notify when staff replied).
    bool from_staff = false;  ///< Staff wrote it.
    timestamp at;             ///< When.
};

/// A ticket was closed.
struct ticket_closed_event {
    actor by;          ///< Who closed it.
    ticket_id ticket;  ///< The ticket.
    user_id customer;  ///< Its customer.
    timestamp at;      ///< When.
};

}  // namespace shopcore

#endif  // SHOPCORE_EVENTS_EVENTS_HPP
