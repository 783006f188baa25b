#ifndef SHOPCORE_CART_CART_HPP
#define SHOPCORE_CART_CART_HPP

/// @file Carts as values, the settings that limit them, and how a guest cart joins a user's.

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include <shopcore/core/clock.hpp>
#include <shopcore/core/ids.hpp>
#include <shopcore/export.hpp>
#include <shopcore/pricing/price_breakdown.hpp>
#include <shopcore/shipping/shipping_calculator.hpp>

namespace shopcore {

/// How a guest cart joins the user's cart at sign-in (cart_service::merge_guest_cart).
/// Whatever the policy, each quantity is capped by the stock available and the line limit.
enum class cart_merge_policy {
    add_quantities,   ///< A product in both gets the sum (the default).
    larger_quantity,  ///< A product in both gets the larger quantity.
    guest_replaces,   ///< The guest cart's lines replace the user's (unless it has none).
    keep_user,        ///< The user's cart is kept as it is; the guest cart is dropped.
};

/// Limits and lifetimes of carts. Defaults follow the leading engines
/// (docs/concepts/cart.md).
struct cart_settings {
    std::int64_t max_line_quantity = 50;     ///< Units of one product per cart, 1..1000000.
    std::int64_t max_lines = 100;            ///< Distinct products per cart, 1..10000.
    std::int64_t max_total_quantity = 1000;  ///< Units per cart, 1..100000000.
    std::int64_t max_codes = 5;              ///< Discount codes per cart, 0..100.
    std::int64_t guest_ttl_seconds = 30 * 24 * 3600;  ///< A guest cart expires after this idle.
    std::int64_t user_ttl_seconds = 90 * 24 * 3600;   ///< A user's cart expires after this idle.
    cart_merge_policy merge_policy = cart_merge_policy::add_quantities;  ///< At sign-in.
};

/// One product in a cart.
struct cart_line {
    product_id product;         ///< The product.
    std::int64_t quantity = 0;  ///< Units, >= 1.
    timestamp added_at;         ///< When the product was first added.
};

/// A cart: a guest's (found by its token) or a user's (one per user).
struct cart {
    cart_id id;                      ///< Assigned by the shop; 0 for a user who has no cart yet.
    std::optional<user_id> owner;    ///< The user; none for a guest cart.
    std::vector<cart_line> lines;    ///< In the order products were first added.
    std::vector<std::string> codes;  ///< Discount codes, in the order applied.
    std::optional<shipping_destination> destination;  ///< Where it ships, once known.
    std::string shipping_method;  ///< The chosen method's code; empty: the cheapest.
    timestamp created_at;         ///< When it was created.
    timestamp updated_at;         ///< When it last changed.
    timestamp expires_at;         ///< When it expires unless it changes again.
    std::int64_t version = 0;     ///< Incremented by every change.
};

/// Which cart a call is about: a guest cart by its token, or (empty token) the acting user's
/// own cart.
struct cart_ref {
    std::string guest_token;  ///< The token create_guest_cart() returned; empty: the user's.
};

/// A new guest cart and the token that opens it.
struct guest_cart {
    shopcore::cart cart;  ///< The empty cart.
    /// 43 characters (256 random bits, base64url). Returned once; only its hash is stored.
    std::string token;
};

/// What stands in the way of ordering a cart as it is.
enum class cart_problem_kind {
    inactive,              ///< The product is no longer sold; the line is left out of the price.
    insufficient_stock,    ///< Fewer units are on hand than the line holds.
    shipping_unavailable,  ///< No method delivers the cart there, or the chosen one does not.
};

/// "inactive", "insufficient_stock", "shipping_unavailable"; "unknown" outside the enumeration.
[[nodiscard]] SHOPCORE_EXPORT const char* cart_problem_kind_name(cart_problem_kind kind) noexcept;

/// Something that stops a line or the cart from being bought as it is. Pricing still works.
struct cart_problem {
    cart_problem_kind kind = cart_problem_kind::inactive;  ///< What is wrong.
    std::optional<product_id> product;  ///< The line's product, for line problems.
    std::int64_t available = 0;         ///< For insufficient_stock: units available.
};

/// A cart with its price and its problems.
struct priced_cart {
    shopcore::cart cart;                 ///< The cart.
    price_breakdown breakdown;           ///< From the shop's pricing engine.
    std::vector<cart_problem> problems;  ///< Empty when it can be ordered as it is.
};

}  // namespace shopcore

#endif  // SHOPCORE_CART_CART_HPP
