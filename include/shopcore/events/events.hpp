#ifndef SHOPCORE_EVENTS_EVENTS_HPP
#define SHOPCORE_EVENTS_EVENTS_HPP

/// @file The catalog of events. Every event is a plain value (ids, money, timestamps, text).
/// `before_*` events are delivered inside the transaction to hooks that may veto;
/// the others are notifications delivered after commit. docs/hooks.md says exactly when each
/// fires.

#include <cstdint>
#include <optional>
#include <string>

#include <shopcore/core/actor.hpp>
#include <shopcore/core/clock.hpp>
#include <shopcore/core/ids.hpp>
#include <shopcore/core/money.hpp>

namespace shopcore {

// ---- before_* hooks (inside the transaction; throwing vetoes) -------------------------------

/// A product is about to be created.
struct before_product_create_event {
    actor by;
    std::string sku;
    std::string name;
    std::optional<category_id> category;
    money price;
    money sale_price;
    std::int64_t initial_stock = 0;
};

/// A product is about to be changed (fields hold the values after the change).
struct before_product_update_event {
    actor by;
    product_id product;
    std::string name;
    std::optional<category_id> category;
    money price;
    money sale_price;
    bool active = true;
};

/// Stock on hand is about to change (not fired for the initial stock of a new product).
struct before_stock_change_event {
    actor by;
    product_id product;
    std::int64_t delta = 0;
    std::int64_t on_hand_before = 0;
    std::int64_t on_hand_after = 0;
    std::string reason;
};

/// A category is about to be deleted.
struct before_category_delete_event {
    actor by;
    category_id category;
    std::optional<category_id> reassign_to;
};

// ---- notifications (after commit) ---------------------------------------------------------

/// A category was created.
struct category_created_event {
    actor by;
    category_id category;
    std::string name;
    std::string slug;
    std::optional<category_id> parent;
    timestamp at;
};

/// A category's name or slug changed.
struct category_updated_event {
    actor by;
    category_id category;
    std::string name;
    std::string slug;
    timestamp at;
};

/// A category moved to another parent.
struct category_moved_event {
    actor by;
    category_id category;
    std::optional<category_id> old_parent;
    std::optional<category_id> new_parent;
    timestamp at;
};

/// A category was deleted; its products and children moved to `reassigned_to` if set.
struct category_deleted_event {
    actor by;
    category_id category;
    std::optional<category_id> reassigned_to;
    timestamp at;
};

/// A product was created.
struct product_created_event {
    actor by;
    product_id product;
    std::string sku;
    std::string name;
    money price;
    money sale_price;
    timestamp at;
};

/// A product was changed (any field); `version` is the new version.
struct product_updated_event {
    actor by;
    product_id product;
    std::int64_t version = 0;
    timestamp at;
};

/// A product's list price or sale price changed (fired after product_updated).
struct product_price_changed_event {
    actor by;
    product_id product;
    money old_price;
    money new_price;
    money old_sale_price;
    money new_sale_price;
    timestamp at;
};

/// A product was deactivated (hidden from customers).
struct product_deactivated_event {
    actor by;
    product_id product;
    timestamp at;
};

/// Stock on hand changed by `delta` to `on_hand`.
struct stock_changed_event {
    actor by;
    product_id product;
    std::int64_t delta = 0;
    std::int64_t on_hand = 0;
    std::string reason;
    timestamp at;
};

/// Stock entered the low band 1..threshold, from above the threshold or from zero (a restock
/// from zero into the band fires back_in_stock and then low_stock).
struct low_stock_event {
    product_id product;
    std::int64_t on_hand = 0;
    std::int64_t threshold = 0;
    timestamp at;
};

/// Stock reached zero.
struct out_of_stock_event {
    product_id product;
    timestamp at;
};

/// Stock rose from zero.
struct back_in_stock_event {
    product_id product;
    std::int64_t on_hand = 0;
    timestamp at;
};

// ---- accounts (notifications, after commit) ---------------------------------------------------

/// A user account was created (self-registration, by an admin, or by phone verification).
struct user_registered_event {
    actor by;
    user_id user;
    bool is_admin = false;
    bool default_password = false;  ///< The password was generated.
    timestamp at;
};

/// A verification code must be delivered to `phone` (by SMS in real life). The only place the
/// raw code ever appears; it is stored hashed.
struct verification_code_event {
    std::string phone;    ///< Normalised.
    std::string code;     ///< 6 digits.
    std::string purpose;  ///< "verify_phone" or "change_phone".
    timestamp expires_at;
};

/// A phone number was verified with its code.
struct phone_verified_event {
    std::optional<user_id> user;
    std::string phone;
    timestamp at;
};

/// A login attempt failed (`user` is set when the login named an existing account).
struct login_failed_event {
    std::optional<user_id> user;
    bool locked = false;  ///< The account is (now) locked.
    timestamp at;
};

/// A user's password was changed (all their sessions were revoked).
struct password_changed_event {
    user_id user;
    timestamp at;
};

/// A user's profile, phone, role, permissions or active flag changed.
struct user_updated_event {
    actor by;
    user_id user;
    std::int64_t version = 0;
    timestamp at;
};

/// An account was deleted (its personal data anonymised).
struct user_deleted_event {
    actor by;
    user_id user;
    timestamp at;
};

}  // namespace shopcore

#endif  // SHOPCORE_EVENTS_EVENTS_HPP
