#ifndef SHOPCORE_PRICING_PRICE_BREAKDOWN_HPP
#define SHOPCORE_PRICING_PRICE_BREAKDOWN_HPP

/// @file The result of pricing: every line, every discount and where it went, every refused
/// code and why, shipping, tax and the totals. pricing_engine::explain() renders it as text.

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include <shopcore/core/clock.hpp>
#include <shopcore/core/currency.hpp>
#include <shopcore/core/ids.hpp>
#include <shopcore/core/money.hpp>
#include <shopcore/core/ratio.hpp>
#include <shopcore/core/weight.hpp>
#include <shopcore/discount/discount_code.hpp>
#include <shopcore/pricing/tax.hpp>
#include <shopcore/shipping/shipping_calculator.hpp>

namespace shopcore {

/// One priced line. In tax_mode::exclusive the amounts are net and `tax` comes on top; in
/// tax_mode::inclusive they are gross and `tax` is the part of `total` that is tax.
struct priced_line {
    product_id product;         ///< The product.
    std::int64_t quantity = 0;  ///< Units, >= 1.
    money unit_price;           ///< List price of one unit.
    money sale_unit_price;      ///< Price of one unit after the product's sale discount.
    money list_subtotal;        ///< unit_price * quantity.
    money subtotal;             ///< sale_unit_price * quantity: what codes start from.
    money discount;             ///< Sum of the codes' shares on this line; <= subtotal.
    money total;                ///< subtotal - discount; never negative.
    /// Index into price_breakdown::taxes: the rate applied; none when no rate matched.
    std::optional<std::size_t> tax_entry;
    ratio tax_rate;       ///< The rate applied (0 when none matched).
    money tax;            ///< Tax on `total` (added or included, by the tax mode).
    weight total_weight;  ///< Unit weight * quantity.
};

/// One tax rate that applied to lines, with what it taxed: the tax summary of an invoice.
struct tax_summary {
    std::string name;  ///< The rate's name ("VAT 9%").
    ratio rate;        ///< The rate.
    money taxable;     ///< Sum of the totals of the lines taxed at it.
    money amount;      ///< Sum of their taxes.
};

/// A code's share on one line.
struct line_discount {
    std::size_t line = 0;      ///< Index into price_breakdown::lines.
    std::size_t discount = 0;  ///< Index into price_breakdown::applied: which code.
    money amount;              ///< Above zero.
};

/// A code that applied, with the total it took.
struct applied_discount {
    std::string code;                                ///< The code.
    discount_kind kind = discount_kind::percentage;  ///< What it gives.
    discount_scope scope = discount_scope::order;    ///< Which lines it covered.
    std::int32_t priority = 0;                       ///< Its priority.
    std::size_t eligible_lines = 0;                  ///< Lines in its scope.
    money eligible_subtotal;  ///< Those lines' subtotal (after sale prices, before codes).
    money amount;             ///< Taken off the lines, or off shipping for free shipping; >= 0.
};

/// A code that did not apply, and why.
struct refused_discount {
    std::string code;                                          ///< The code as given.
    discount_refusal reason = discount_refusal::unknown_code;  ///< Machine-readable.
    /// For minimum_subtotal_not_met: how much more the eligible lines must cost.
    std::optional<money> missing_amount;
    /// For minimum_quantity_not_met: how many more units the eligible lines must hold.
    std::int64_t missing_quantity = 0;
    std::string message;  ///< English, for the customer ("add 12.50 USD more to use SAVE10").
};

/// Whether and how shipping was priced.
enum class shipping_status {
    no_destination,       ///< No destination, or no lines: shipping is zero (not yet known).
    quoted,               ///< A method was chosen (the requested one, or the cheapest).
    no_method_available,  ///< No method serves this destination, weight and value.
    method_unavailable,   ///< The requested method does not apply; `options` has those that do.
};

/// The shipping part of a breakdown.
struct shipping_charge {
    shipping_status status = shipping_status::no_destination;  ///< See shipping_status.
    std::string method_code;              ///< The method charged; empty unless status is quoted.
    money cost;                           ///< The method's cost; zero unless quoted.
    money discount;                       ///< Taken off by free-shipping codes; <= cost.
    money total;                          ///< cost - discount.
    money tax;                            ///< Tax on `total` at tax_settings::shipping_rate.
    std::vector<shipping_quote> options;  ///< Every applicable method, cheapest first.
};

/// The priced cart or order. Invariants, checked by property tests:
/// - tax_mode::exclusive: total = subtotal - discount_total + shipping_total + tax_total;
/// - tax_mode::inclusive: total = subtotal - discount_total + shipping_total (tax included);
/// - every line's discount is the sum of its line_discounts and never exceeds its subtotal.
struct price_breakdown {
    shopcore::currency currency;                ///< Every amount is in this currency.
    timestamp priced_at;                        ///< The request's time.
    tax_mode mode = tax_mode::exclusive;        ///< How `tax_total` relates to `total`.
    std::vector<priced_line> lines;             ///< In request order.
    std::vector<line_discount> line_discounts;  ///< Every code's share on every line.
    std::vector<applied_discount> applied;      ///< In the order they were applied.
    std::vector<refused_discount> refused;      ///< In request order.
    std::vector<tax_summary> taxes;  ///< Each rate lines were taxed at, in order of first use.
    shipping_charge shipping;        ///< The shipping charge.
    money list_subtotal;             ///< Sum of list subtotals.
    money sale_savings;              ///< list_subtotal - subtotal.
    money subtotal;                  ///< Sum of line subtotals (after sale prices).
    money discount_total;  ///< Sum of line discounts (shipping discounts are in `shipping`).
    money shipping_total;  ///< shipping.total.
    money tax_total;       ///< Line taxes + shipping tax.
    money total;           ///< What the customer pays.
    weight total_weight;   ///< Sum of line weights.
    std::int64_t total_quantity = 0;  ///< Sum of line quantities.
};

}  // namespace shopcore

#endif  // SHOPCORE_PRICING_PRICE_BREAKDOWN_HPP
