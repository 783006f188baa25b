#ifndef SHOPCORE_PRICING_PRICING_ENGINE_HPP
#define SHOPCORE_PRICING_PRICING_ENGINE_HPP

/// @file The pricing engine: a pure function from a pricing request to a price breakdown.
/// The cart prices itself with it and order placement prices with it, so they never disagree.

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <shopcore/core/clock.hpp>
#include <shopcore/core/currency.hpp>
#include <shopcore/core/ids.hpp>
#include <shopcore/core/money.hpp>
#include <shopcore/core/weight.hpp>
#include <shopcore/discount/discount_code.hpp>
#include <shopcore/export.hpp>
#include <shopcore/pricing/price_breakdown.hpp>
#include <shopcore/pricing/tax.hpp>
#include <shopcore/shipping/shipping_calculator.hpp>

namespace shopcore {

/// One line to price.
struct pricing_line {
    product_id product;  ///< The product (lines of one product may repeat; each is priced).
    /// The product's category followed by its ancestors up to the root; empty when it has
    /// none. Category scopes and category tax rates match any of them.
    std::vector<category_id> categories;
    money unit_price;           ///< List price of one unit, >= 0.
    money sale_unit_price;      ///< After the product's sale discount; 0 <= it <= unit_price.
    std::int64_t quantity = 1;  ///< >= 1.
    weight unit_weight;         ///< Shipping weight of one unit.
};

/// A code offered for the request, with what the engine needs to judge its limits.
struct discount_offer {
    discount_code code;              ///< The stored code (times_used included).
    std::int64_t customer_uses = 0;  ///< How often this customer has used it, >= 0.
};

/// Everything a price depends on. Nothing else is read: the engine is a pure function.
struct pricing_request {
    std::vector<pricing_line> lines;                  ///< May be empty (everything is then zero).
    std::optional<user_id> customer;                  ///< The signed-in user; none for a guest.
    bool staff = false;                               ///< The user is an admin (staff-only codes).
    std::vector<discount_offer> codes;                ///< Codes to apply; each code at most once.
    std::optional<shipping_destination> destination;  ///< None: shipping is not priced.
    std::string shipping_method;  ///< The chosen method's code; empty: the cheapest.
    timestamp at;                 ///< When: code start and end times compare to it.
};

/// Prices requests with a fixed shipping and tax configuration.
///
/// Pipeline, in this order (docs/concepts/pricing.md):
/// 1. sale prices: line subtotal = sale unit price * quantity;
/// 2. each code is judged (active, dates, limits, audience, scope, minimums); refused codes
///    are listed with their reason and take nothing;
/// 3. exclusivity: the accepted code with the highest priority (ties: smallest code) decides:
///    if it is exclusive only it applies, otherwise exclusive codes are refused
///    `not_combinable`;
/// 4. line-level codes (category and product scope), then order-level codes (order scope),
///    each level in priority order (ties: by code). A line-level percentage takes
///    round_half_up(percent * what the line still costs) on each eligible line. An order-level
///    percentage takes round_half_up(percent * what its eligible lines still cost) and a fixed
///    code min(amount, what they still cost); that amount is allocated over the eligible lines
///    in proportion to what each still costs, by largest remainder: exact, never below zero;
/// 5. shipping: weight and goods value (lines after discounts) are quoted for the
///    destination; the requested method or else the cheapest; free-shipping codes then take
///    the whole charge;
/// 6. tax, per line (or per unit) at the line's most specific rate, and on shipping.
///
/// Thread safety: immutable; price() may be called from many threads at once.
class SHOPCORE_EXPORT pricing_engine {
public:
    /// An engine for `shop_currency` with these shipping methods and tax settings.
    /// @throws validation_error "currency" if `shipping` uses another currency; "tax_rates"
    ///         for a rate outside [0, 1], an empty or over-long name, a bad country or a
    ///         province with "*"; "shipping_rate" outside [0, 1].
    pricing_engine(const currency& shop_currency, shipping_calculator shipping, tax_settings tax);

    /// Prices `request`.
    /// @throws validation_error naming the field for a malformed request: "lines"
    ///         (quantity < 1, a price in another currency or negative, a sale price above
    ///         the list price), "codes" (the same code twice, or a code whose text or, for
    ///         an active code, rules are malformed), "country" (destination country not two
    ///         upper-case letters); arithmetic_error if an amount overflows the int64 range of
    ///         minor units.
    /// Complexity: O(l * c + c log c) for l lines and c codes (category scopes and category
    /// tax rates add the length of their lists).
    [[nodiscard]] price_breakdown price(const pricing_request& request) const;

    /// As price(), reusing the storage of `out` (its vectors and strings) and of per-thread
    /// scratch space: once they have grown, it allocates only to report refused codes. The
    /// form for hot loops. @throws as price(); `out` is then unspecified but valid.
    void price_into(const pricing_request& request, price_breakdown& out) const;

    /// The breakdown as English text, one fact per line: each line with its discounts and
    /// tax, each applied and refused code with its reason, shipping and the totals.
    [[nodiscard]] std::string explain(const price_breakdown& breakdown) const;

    /// The shop currency.
    [[nodiscard]] currency shop_currency() const noexcept;
    /// The shipping methods.
    [[nodiscard]] const shipping_calculator& shipping() const noexcept;
    /// The tax settings.
    [[nodiscard]] const tax_settings& tax() const noexcept;

private:
    struct impl;
    std::shared_ptr<const impl> impl_;
};

}  // namespace shopcore

#endif  // SHOPCORE_PRICING_PRICING_ENGINE_HPP
