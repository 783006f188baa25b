#ifndef SHOPCORE_DISCOUNT_DISCOUNT_CODE_HPP
#define SHOPCORE_DISCOUNT_DISCOUNT_CODE_HPP

/// @file Discount codes as values: what a code gives, to what, to whom and when, and the
/// machine-readable reasons a code is refused. docs/concepts/discounts.md explains every rule.

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include <shopcore/core/clock.hpp>
#include <shopcore/core/currency.hpp>
#include <shopcore/core/ids.hpp>
#include <shopcore/core/money.hpp>
#include <shopcore/core/ratio.hpp>
#include <shopcore/export.hpp>

namespace shopcore {

/// What a code gives.
enum class discount_kind {
    percentage,     ///< `percent` of the eligible lines' amount, allocated over them.
    fixed_amount,   ///< `amount` off the eligible lines together (at most what they cost).
    free_shipping,  ///< The shipping charge of the cart becomes zero.
};

/// Which lines a code applies to.
enum class discount_scope {
    order,       ///< Every line: an order-level discount, applied after line-level ones.
    categories,  ///< Lines whose product is in one of `categories` or their sub-categories.
    products,    ///< Lines of one of `products`.
};

/// Who may use a code.
enum class discount_audience {
    everyone,        ///< Guests and signed-in users.
    customers_only,  ///< Signed-in users only (customers and staff).
    staff_only,      ///< Admins only.
};

/// Why a code does not apply. Stable names: discount_refusal_name().
enum class discount_refusal {
    unknown_code,              ///< No such code.
    inactive,                  ///< Deactivated by an admin.
    not_started,               ///< Before `starts_at`.
    expired,                   ///< At or after `ends_at`.
    exhausted,                 ///< The total usage limit is reached (or a single-use code used).
    already_used,              ///< This customer has used it as often as allowed.
    login_required,            ///< Customers only, or a per-customer limit, and no one signed in.
    staff_only,                ///< Staff only, and the user is not an admin.
    minimum_subtotal_not_met,  ///< The eligible lines cost less than `min_subtotal`.
    minimum_quantity_not_met,  ///< The eligible lines hold fewer units than `min_quantity`.
    no_eligible_items,         ///< No line is in the code's scope.
    not_combinable,            ///< Exclusive, or another code on the cart is.
    already_applied,           ///< The code is already on the cart.
    vetoed,                    ///< A before_discount_apply hook refused it (its reason is kept).
};

/// The snake_case name of a refusal, e.g. "minimum_subtotal_not_met"; "unknown" outside the
/// enumeration. These names are what discount_rejected_error::reason() returns.
[[nodiscard]] SHOPCORE_EXPORT const char* discount_refusal_name(discount_refusal reason) noexcept;

/// The snake_case name of a kind ("percentage", "fixed_amount", "free_shipping").
[[nodiscard]] SHOPCORE_EXPORT const char* discount_kind_name(discount_kind kind) noexcept;

/// A discount code as stored. Codes are compared case-insensitively: they are kept in upper
/// case ("SUMMER10").
struct discount_code {
    discount_id id;           ///< Assigned by the shop.
    std::string code;         ///< 3..64 of A-Z, 0-9, '-' and '_', upper case.
    std::string description;  ///< 0..500 characters, shown to customers.
    discount_kind kind = discount_kind::percentage;  ///< What it gives.
    ratio percent;                                   ///< Percentage codes: in (0, 1].
    money amount;  ///< Fixed-amount codes: above zero, shop currency.
    discount_scope scope = discount_scope::order;  ///< Which lines it applies to.
    std::vector<category_id> categories;           ///< Scope `categories`: at least one.
    std::vector<product_id> products;              ///< Scope `products`: at least one.
    std::optional<money> min_subtotal;             ///< The eligible lines must cost at least this.
    std::int64_t min_quantity = 0;            ///< The eligible lines must hold this many units.
    std::optional<timestamp> starts_at;       ///< Valid from this moment (inclusive).
    std::optional<timestamp> ends_at;         ///< Valid until this moment (exclusive).
    std::optional<std::int64_t> usage_limit;  ///< Uses in total, across customers; >= 1.
    std::optional<std::int64_t> per_customer_limit;  ///< Uses per signed-in customer; >= 1.
    bool single_use = false;  ///< One use in total: the same as a usage limit of 1.
    discount_audience audience = discount_audience::everyone;  ///< Who may use it.
    /// Exclusive codes are never combined with another code.
    bool exclusive = false;
    /// Higher first. Among the codes of a cart, the highest decides exclusivity, and within
    /// a level (line, order, shipping) codes apply in priority order (ties: by code).
    std::int32_t priority = 0;
    bool active = true;           ///< False: refused as `inactive`.
    std::int64_t times_used = 0;  ///< Uses counted (at order placement, or by record_use()).
    timestamp created_at;         ///< When it was created.
    timestamp updated_at;         ///< When it last changed.
    std::int64_t version = 0;     ///< Incremented by every change (optimistic locking).
};

/// What an admin gives to create a code; fields as in discount_code.
struct new_discount_code {
    std::string code;                                          ///< As discount_code::code.
    std::string description;                                   ///< As discount_code.
    discount_kind kind = discount_kind::percentage;            ///< As discount_code.
    ratio percent;                                             ///< As discount_code.
    money amount;                                              ///< As discount_code.
    discount_scope scope = discount_scope::order;              ///< As discount_code.
    std::vector<category_id> categories;                       ///< As discount_code.
    std::vector<product_id> products;                          ///< As discount_code.
    std::optional<money> min_subtotal;                         ///< As discount_code.
    std::int64_t min_quantity = 0;                             ///< As discount_code.
    std::optional<timestamp> starts_at;                        ///< As discount_code.
    std::optional<timestamp> ends_at;                          ///< After starts_at.
    std::optional<std::int64_t> usage_limit;                   ///< As discount_code.
    std::optional<std::int64_t> per_customer_limit;            ///< As discount_code.
    bool single_use = false;                                   ///< As discount_code.
    discount_audience audience = discount_audience::everyone;  ///< As discount_code.
    bool exclusive = false;                                    ///< As discount_code.
    std::int32_t priority = 0;                                 ///< As discount_code.
    bool active = true;                                        ///< As discount_code.
};

/// A partial change; unset fields keep their value. The code text itself cannot change.
struct discount_code_update {
    std::optional<std::string> description;              ///< New description.
    std::optional<ratio> percent;                        ///< New percentage.
    std::optional<money> amount;                         ///< New fixed amount.
    std::optional<std::vector<category_id>> categories;  ///< New category scope.
    std::optional<std::vector<product_id>> products;     ///< New product scope.
    std::optional<money> min_subtotal;                   ///< New minimum subtotal.
    bool clear_min_subtotal = false;                     ///< Remove the minimum subtotal.
    std::optional<std::int64_t> min_quantity;            ///< New minimum quantity (>= 0).
    std::optional<timestamp> starts_at;                  ///< New start.
    bool clear_starts_at = false;                        ///< Remove the start.
    std::optional<timestamp> ends_at;                    ///< New end.
    bool clear_ends_at = false;                          ///< Remove the end.
    std::optional<std::int64_t> usage_limit;             ///< New total limit.
    bool clear_usage_limit = false;                      ///< Remove the total limit.
    std::optional<std::int64_t> per_customer_limit;      ///< New per-customer limit.
    bool clear_per_customer_limit = false;               ///< Remove the per-customer limit.
    std::optional<discount_audience> audience;           ///< New audience.
    std::optional<bool> exclusive;                       ///< New exclusivity.
    std::optional<std::int32_t> priority;                ///< New priority.
    std::optional<bool> active;                          ///< Activate or deactivate.
    std::optional<std::int64_t> expected_version;        ///< When set, must match.
};

/// Checks a code's own rules (not its applicability to a cart), as discount_service does on
/// create and update.
/// @throws validation_error naming the field: "code", "description", "percent" (not in
///         (0, 1] for a percentage code), "amount" (not above zero or in another currency for
///         a fixed code), "categories"/"products" (empty for that scope), "min_subtotal"
///         (negative or another currency), "min_quantity" (negative), "ends_at" (not after
///         starts_at), "usage_limit"/"per_customer_limit" (below 1).
SHOPCORE_EXPORT void validate_discount_code(const discount_code& code,
                                            const currency& shop_currency);

}  // namespace shopcore

#endif  // SHOPCORE_DISCOUNT_DISCOUNT_CODE_HPP
